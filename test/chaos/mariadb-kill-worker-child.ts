/**
 * A worker process for mariadb-kill-connections.test.ts: the real Worker
 * loop on PrismaAdapter with `mariadb: { connectionString }` (what `setup`
 * writes), concurrency from argv. Each run of MarkJob records its start and
 * end in `job_runs` (autocommit, its own connection) so the test can count
 * side effects and find overlapping runs of one job.
 *
 * argv: url processName concurrency
 */
import { PrismaMariaDb } from '@prisma/adapter-mariadb'
import mariadb from 'mariadb'
import { JobManager, PrismaAdapter } from '../../src/runtime/index.js'
import { guardLogger } from '../../src/runtime/worker/guard-logger.js'
import { Worker } from '../../src/runtime/worker/worker.js'
import { loadPrismaClientClass } from '../support/prisma-clients.js'

const [url, processName, concurrencyText] = process.argv.slice(2) as [string, string, string]
const server = new URL(url)
const connection = { host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username || 'root'), password: decodeURIComponent(server.password), database: server.pathname.slice(1) }
const PrismaClient = await loadPrismaClientClass('mysql', 'default')
const db = new PrismaClient({ adapter: new PrismaMariaDb({ ...connection, connectionLimit: 3 }) })
const adapter = new PrismaAdapter({ db, mariadb: { connectionString: url } })
// Side effects on a pool of their own; a killed connection is retried so a run is never lost from the count
// (INSERT IGNORE: a retry of an insert whose reply a kill cut off).
const effects = mariadb.createPool({ ...connection, connectionLimit: 4, connectTimeout: 20_000 })
async function record(sql: string, values: unknown[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await effects.query(sql, values)
      return
    } catch (error) {
      if (attempt > 50) throw error
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}
const quiet = { debug: () => {}, info: () => {}, warn: (...a: unknown[]) => console.error('[warn]', ...a), error: (...a: unknown[]) => console.error('[error]', ...a) }
const registry: Record<string, unknown> = {}
const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger: quiet, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
registry.MarkJob = jobs.createJob({
  queue: 'default',
  name: 'MarkJob',
  async perform(n: number) {
    const token = `${processName}:${process.hrtime.bigint()}`
    await record('INSERT IGNORE INTO job_runs (job, token, worker, started) VALUES (?, ?, ?, NOW(6))', [n, token, processName])
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20))
    await record('UPDATE job_runs SET ended = NOW(6) WHERE token = ?', [token])
  },
})
const worker = new Worker({
  adapter,
  loadJob: (name) => jobs.loadJob(name),
  hooks: jobs.hooks,
  processName,
  queues: '*',
  maxAttempts: 25,
  maxRuntimeSeconds: 30,
  sleepDelaySeconds: 0.05,
  deleteFailedJobs: false,
  deleteSuccessfulJobs: true,
  concurrency: Number(concurrencyText),
  mode: 'work',
  // Stale after 10 s (not 60): a claim whose reply a kill cut off comes back within the test.
  lockTiming: { staleAfterSeconds: 10, heartbeatIntervalSeconds: 2 },
  logger: guardLogger(quiet, 'warn'),
})
process.on('SIGTERM', () => worker.stop())
console.log('ready')
await worker.run()
await adapter.close()
await effects.end()
await db.$disconnect()
