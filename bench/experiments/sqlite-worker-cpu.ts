/**
 * A SQLite worker's CPU per job in one process, without the runner: the real Worker (guarded logger at
 * `warn`, the registry's outcome count) and the real PrismaAdapter with `betterSqlite3` (as setup writes it)
 * drain N no-op jobs from a WAL file in `workoff` mode, concurrency 1; median of several rounds
 * (process.cpuUsage). Also the raw floor: the same file drained by the adapter's transaction alone
 * (DELETE the finished job + the claim, RETURNING *) through better-sqlite3, no JS around it.
 *
 *   tsx bench/experiments/sqlite-worker-cpu.ts [jobs=10000] [rounds=5] [prefetch]
 *
 * Profile: node --cpu-prof --import tsx bench/experiments/sqlite-worker-cpu.ts 20000 1
 */
import { hostname } from 'node:os'
import Database from 'better-sqlite3'
import { JobManager, PrismaAdapter } from '../../src/runtime/index.js'
import { guardLogger } from '../../src/runtime/worker/guard-logger.js'
import { Worker } from '../../src/runtime/worker/worker.js'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'

const [total = 10_000, rounds = 5] = process.argv.slice(2, 4).map(Number)
const prefetch = process.argv[4] === undefined ? undefined : Number(process.argv[4])
await generateTestClients()
const database = await createTestDatabase('sqlite')
await database.db.$queryRawUnsafe('PRAGMA journal_mode = WAL')
const db = await database.newClient() // opens the file in WAL: synchronous NORMAL, as a worker's
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
const quiet = { debug: () => {}, info: () => {}, warn: console.warn, error: console.error }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
// Filled through better-sqlite3 (dates as the driver adapter writes them): a profile then shows the drain, not Prisma's createMany.
const raw = new Database(database.url.replace(/^file:/, ''))
const insert = raw.prepare(`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") VALUES (?, 'default', 50, ?, ?, ?)`)
const fill = raw.transaction(() => {
  const base = Date.now() - 3_600_000
  for (let i = 0; i < total; i++) {
    const at = new Date(base + i).toISOString().replace('Z', '+00:00')
    insert.run(handler, at, at, at)
  }
})
const cpus: number[] = []
const rates: number[] = []
for (let round = 0; round < rounds; round++) {
  fill()
  const adapter = new PrismaAdapter({ db, betterSqlite3: true, watchSqliteFile: false })
  const jobs = new JobManager({
    adapters: { prisma: adapter },
    queues: ['default'] as const,
    logger: quiet,
    workers: [{ adapter: 'prisma', queue: '*' }],
    jobs: () => ({ NoopJob }),
  })
  const NoopJob = jobs.createJob({ queue: 'default', name: 'NoopJob', perform: async () => {} })
  const outcomes = new Map<string, number>()
  // Warm up: open the connection and prepare the statements before measuring.
  await adapter.successAndFind({ jobs: [], deleteJob: true, next: { processName: 'x', staleAfterSeconds: 60, queues: '*', limit: 0 } })
  await adapter.find({ processName: `${hostname()}:warm`, staleAfterSeconds: 60, queues: ['none'], limit: 1 })
  const worker = new Worker({
    adapter,
    loadJob: (name) => jobs.loadJob(name),
    logger: guardLogger(quiet, 'warn'),
    hooks: jobs.hooks,
    processName: `${hostname()}:bench`,
    queues: '*',
    maxAttempts: 24,
    maxRuntimeSeconds: 14400,
    sleepDelaySeconds: 5,
    deleteFailedJobs: false,
    deleteSuccessfulJobs: true,
    concurrency: 1,

    onJobDone: (job, outcome) => void outcomes.set(`${job.queue}:${outcome}`, (outcomes.get(`${job.queue}:${outcome}`) ?? 0) + 1),
    mode: 'workoff',
  })
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await worker.run()
  const ms = performance.now() - t0
  const c = process.cpuUsage(c0)
  const done = outcomes.get('default:succeeded') ?? 0
  if (done !== total) throw new Error(`ran ${done} of ${total}`)
  const cpuUs = (c.user + c.system) / total
  cpus.push(cpuUs)
  rates.push((total / ms) * 1000)
  console.log(`round ${round}: ${cpuUs.toFixed(1)} µs CPU/job, ${((total / ms) * 1000).toFixed(0)} jobs/s`)
  await adapter.close()
}
console.log(`MEDIAN worker+adapter: ${median(cpus).toFixed(1)} µs CPU/job [${cpus.map((x) => x.toFixed(1)).join(' ')}], ${median(rates).toFixed(0)} jobs/s`)
raw.close()
await database.drop()
process.exit(0)
