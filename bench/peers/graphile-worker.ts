/**
 * graphile-worker 0.17 on its own PostgreSQL database.
 *
 * Workers run with its defaults except that batching is spelled out as off
 * (`localQueue.size = -1`, `completeJobBatchDelay = -1`): one job per
 * `get_job` query, one `complete_job` per job, the same work jobs-kit does.
 * New jobs wake workers through LISTEN/NOTIFY; `pollInterval` only matters for
 * future-dated jobs and is left at its default (2000 ms).
 */
import { Logger, makeWorkerUtils, runMigrations, type WorkerUtils } from 'graphile-worker'
import pg from 'pg'
import { createBenchDatabase, type BenchDatabase } from '../lib/databases.js'
import { spawnWorker, type WorkerProcess } from '../lib/processes.js'
import type { JobKind, QueueSystem } from '../lib/queue-system.js'

const WORKER_SCRIPT = 'bench/peers/graphile-worker-process.ts'
export const GRAPHILE_POLL_INTERVAL_MS = 2000

export async function createGraphileWorker(): Promise<QueueSystem> {
  const db: BenchDatabase = await createBenchDatabase('postgresql', 'graphile')
  const pool = new pg.Pool({ connectionString: db.url, max: 4 })
  pool.on('error', () => {}) // an idle client lost; the next query reconnects
  let utils: WorkerUtils | undefined
  const silent = { logger: quietLogger() }

  const system: QueueSystem = {
    id: 'graphile-worker',
    label: 'graphile-worker 0.17 (PostgreSQL)',
    provider: 'postgresql',
    measuresLatency: true,
    notes: [
      'localQueue off (size -1), completeJobBatchDelay -1: one get_job and one complete_job per job',
      `LISTEN/NOTIFY wakes workers; pollInterval ${GRAPHILE_POLL_INTERVAL_MS} ms (default)`,
      'bulk enqueue: workerUtils.addJobs (one call)',
      '4 × 10 drain: `concurrency: 10` as its README configures it (maxPoolSize 12), localQueue and batching still off as above',
    ],
    async prepare() {
      await runMigrations({ connectionString: db.url, ...silent })
      utils = await makeWorkerUtils({ pgPool: pool, ...silent })
    },
    async enqueueOne(kind: JobKind, key: string) {
      await utils!.addJob(kind, { key })
    },
    async enqueueBulk(count: number) {
      // addJobs takes an array; 5,000 per call keeps the JSON parameter reasonable.
      for (let offset = 0; offset < count; offset += 5000) {
        const specs = Array.from({ length: Math.min(5000, count - offset) }, () => ({ identifier: 'noop', payload: {} }))
        await utils!.addJobs(specs)
      }
    },
    async analyze() {
      await pool.query('analyze graphile_worker._private_jobs')
    },
    async fill(count: number) {
      await system.enqueueBulk(count)
    },
    async remaining() {
      const { rows } = await pool.query('select count(*)::int as n from graphile_worker._private_jobs')
      return rows[0].n
    },
    async startWorkers(processes, concurrency, onMessage) {
      const workers: WorkerProcess[] = []
      for (let i = 0; i < processes; i++) {
        workers.push(
          spawnWorker({
            name: `graphile-${i}`,
            nodeArgs: ['--import', 'tsx', WORKER_SCRIPT],
            env: { BENCH_HOLD: '1', BENCH_DB_URL: db.url, BENCH_CONCURRENCY: String(concurrency) },
            onMessage,
          }),
        )
      }
      return workers
    },
    async clear() {
      await pool.query('delete from graphile_worker._private_jobs')
    },
    async close() {
      await utils?.release()
      await pool.end()
      await db.drop()
    },
  }
  return system
}

/** graphile-worker's Logger takes a factory; a no-op one keeps the benchmark output clean. */
export function quietLogger(): Logger {
  return new Logger(() => () => {})
}
