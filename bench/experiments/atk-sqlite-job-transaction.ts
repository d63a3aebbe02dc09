// A job whose own Prisma transaction rolls back, at concurrency 4, with and without betterSqlite3:
// without it, Prisma 7's better-sqlite3 driver adapter runs the worker's other statements (claims, deletes of
// finished jobs) on its one connection inside that open transaction, and the rollback undoes them.
// npx tsx bench/experiments/atk-sqlite-job-transaction.ts plain|direct
import { generateTestClients } from '../../test/support/prisma-clients.js'
await generateTestClients()
const { createTestDatabase } = await import('../../test/support/databases.js')
const { jobsModel, readJobs } = await import('../../test/support/jobs-table.js')
const { workoffWorker } = await import('../../test/support/workoff-worker.js')
const { JobManager } = await import('../../src/runtime/manager/job-manager.js')
const { PrismaAdapter } = await import('../../src/runtime/adapters/prisma/prisma-adapter.js')
const handler = (name: string, args: unknown[] = []) => JSON.stringify({ name, path: `${name}/${name}`, args })
const quiet = { debug() {}, info() {}, warn() {}, error() {} }
const database = await createTestDatabase('sqlite')
const db = database.db
const adapter = new PrismaAdapter({ db, betterSqlite3: process.argv[2] === 'direct', logger: quiet, watchSqliteFile: false })
const registry: Record<string, unknown> = {}
const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger: quiet, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
const ran = new Map<number, number>()
registry.CountedJob = jobs.createJob({ queue: 'default', perform: async (n: number) => { await new Promise((r) => setTimeout(r, 2)); ran.set(n, (ran.get(n) ?? 0) + 1) } })
registry.TxJob = jobs.createJob({
  queue: 'default',
  perform: async () => {
    await db.$transaction(async (tx: any) => {
      await tx.$executeRawUnsafe(`UPDATE "BackgroundJob" SET "priority" = "priority" WHERE 0`)
      await tx.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS app_t (v)`)
      await new Promise((r) => setTimeout(r, 300))
      throw new Error('validation failed: roll back')
    }).catch(() => undefined)
  },
})
await jobsModel(database).createMany({
  data: [
    { handler: handler('TxJob'), queue: 'default', priority: 10, runAt: new Date(Date.now() - 120_000) },
    ...Array.from({ length: 200 }, (_, i) => ({ handler: handler('CountedJob', [i]), queue: 'default', priority: 50, runAt: new Date(Date.now() - 60_000 + i) })),
  ],
})
const worker = workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger: quiet, concurrency: 4 })
await worker.run()
console.log(process.argv[2], 'ran', ran.size, 'more than once', [...ran.values()].filter((c) => c > 1).length, 'rows left', (await readJobs(database)).length)
await adapter.close(); await database.drop(); process.exit(0)
