import { generateTestClients } from '../../test/support/prisma-clients.js'
await generateTestClients()
import { createTestDatabase } from '../../test/support/databases.js'
import { jobsModel, readJobs } from '../../test/support/jobs-table.js'
import { workoffWorker } from '../../test/support/workoff-worker.js'
import { JobManager } from '../../src/runtime/manager/job-manager.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'

const useDirect = process.argv[2] !== 'plain'
const holdMs = Number(process.argv[3] ?? 6000)
const handler = (name: string, args: unknown[] = []) => JSON.stringify({ name, path: `${name}/${name}`, args })
const logs: string[] = []
const logger = { debug() {}, info() {}, warn: (m: string) => logs.push('W ' + m), error: (m: string) => logs.push('E ' + m) }
const database = await createTestDatabase('sqlite')
const adapter = new PrismaAdapter({ db: database.db, betterSqlite3: useDirect, watchSqliteFile: false, logger })
const registry: Record<string, unknown> = {}
const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
const ran = new Map<number, number>()
registry.CountedJob = jobs.createJob({ queue: 'default', perform: async (n: number) => { await new Promise((r) => setTimeout(r, 2)); ran.set(n, (ran.get(n) ?? 0) + 1) } })
const N = 300
await jobsModel(database).createMany({ data: Array.from({ length: N }, (_, i) => ({ handler: handler('CountedJob', [i]), queue: 'default', priority: 50, runAt: new Date(Date.now() - 60_000 + i) })) })
const worker = workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger, concurrency: 4, mode: 'work' as any, sleepDelaySeconds: 0.2 })
const running = worker.run()
await new Promise((r) => setTimeout(r, 100))
// lag monitor
let maxGap = 0, last = Date.now()
const mon = setInterval(() => { const now = Date.now(); maxGap = Math.max(maxGap, now - last - 10); last = now }, 10)
const t0 = Date.now()
let txErr: unknown
let statementsDone = 0
const cpu0 = process.cpuUsage()
try {
  await database.db.$transaction(async (tx: any) => {
    await jobsModel(database, tx).create({ data: { handler: handler('CountedJob', [9999]), queue: 'default', priority: 50, runAt: new Date() } })
    const until = Date.now() + holdMs
    while (Date.now() < until) { await tx.$queryRawUnsafe('SELECT 1'); statementsDone++; await new Promise((r) => setTimeout(r, 50)) }
    if (process.env.ROLLBACK) throw new Error('app rolls back')
  }, { timeout: holdMs + 10_000, maxWait: 10_000 })
} catch (e) { txErr = e }
const cpu = process.cpuUsage(cpu0)
console.log('tx took', Date.now() - t0, 'ms; statements in tx', statementsDone, 'err', txErr && String(txErr).slice(0, 200), 'cpu ms during hold', Math.round((cpu.user + cpu.system) / 1000), 'max loop gap', maxGap)
for (let i = 0; i < 8; i++) { await new Promise((r) => setTimeout(r, 500)); console.log('t+', (i+1)*500, 'ran', ran.size) }
clearInterval(mon)
worker.stop?.()
;(worker as any).requestStop?.()
const rows = await readJobs(database)
console.log('locked', rows.filter((r: any) => r.lockedBy).length, 'ran', ran.size, 'twice', [...ran.values()].filter((c) => c > 1).length, 'rows left', rows.length, rows.slice(0, 3).map((r: any) => [r.lockedBy, r.attempts, r.lastError?.slice(0, 80)]))
console.log(logs.slice(0, 8).join('\n').slice(0, 3000), '\n#logs', logs.length)
await adapter.close()
await database.drop()
process.exit(0)
