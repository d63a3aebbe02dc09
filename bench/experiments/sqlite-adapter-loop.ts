/**
 * The SQLite adapter's share of a worker's CPU: a loop of the calls a concurrency-1 worker makes per job
 * (`successAndFind` with the next find, deleting), without the worker, on a WAL file, through Prisma
 * and with `betterSqlite3`, median of several rounds (process.cpuUsage).
 *
 *   tsx bench/experiments/sqlite-adapter-loop.ts [jobs=3000] [rounds=5]
 */
import { hostname } from 'node:os'
import { PrismaAdapter } from '../../src/runtime/index.js'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'

const N = Number(process.argv[2] ?? 3000)
const rounds = Number(process.argv[3] ?? 5)
await generateTestClients()
const database = await createTestDatabase('sqlite')
await database.db.$queryRawUnsafe('PRAGMA journal_mode = WAL')
const db = await database.newClient() // opens the file in WAL: synchronous NORMAL, as a worker's
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
const me = `${hostname()}:loop`
const next = { processName: me, staleAfterSeconds: 60, queues: '*' as const, limit: 1, workerStartedAt: new Date() }
const results: Record<string, number[]> = { prisma: [], betterSqlite3: [] }
for (let round = 0; round < rounds; round++) {
  for (const variant of (process.env.VARIANTS ?? 'prisma,betterSqlite3').split(',') as ('prisma' | 'betterSqlite3')[]) {
    await db.backgroundJob.createMany({ data: Array.from({ length: N }, (_, i) => ({ handler, queue: 'default', priority: 50, runAt: new Date(Date.now() - 3_600_000 + i) })) })
    const adapter = new PrismaAdapter({ db, betterSqlite3: variant === 'betterSqlite3', watchSqliteFile: false })
    let jobs = await adapter.find(next)
    const before = process.cpuUsage()
    let done = 0
    while (jobs.length > 0) {
      done += jobs.length
      jobs = await adapter.successAndFind({ jobs, deleteJob: true, next })
    }
    const cpu = process.cpuUsage(before)
    results[variant]!.push((cpu.user + cpu.system) / 1000 / done)
    await adapter.close()
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
for (const [variant, xs] of Object.entries(results)) if (xs.length) console.log(`${variant}: ${median(xs).toFixed(3)} CPU ms per successAndFind  [${xs.map((x) => x.toFixed(3)).join(', ')}]`)
await database.drop()
process.exit(0)
