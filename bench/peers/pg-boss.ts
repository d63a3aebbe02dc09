/**
 * pg-boss 10 on its own PostgreSQL database, in one of two modes:
 *
 * - `work`: pg-boss's own `boss.work(queue, { batchSize: 1, pollingIntervalSeconds: 0.5 })`.
 *   Its worker loop waits out the polling interval after every fetch, even a
 *   fetch that found a job (pg-boss/src/worker.js), so one worker runs at most
 *   one batch per interval: with batchSize 1 and the minimum interval (0.5 s)
 *   that is 2 jobs/s per worker. This is what a user gets by default.
 * - `loop`: the same engine without the polling wait: `fetch()` one job, run
 *   it, `await complete()`, repeat; sleep 0.5 s only when nothing was found.
 *   This is pg-boss's capacity at one job per query.
 *
 * Each benchmark phase uses a fresh queue (pg-boss 10 keeps completed jobs in
 * the queue's partition until maintenance archives them).
 */
import PgBoss from 'pg-boss'
import pg from 'pg'
import { createBenchDatabase, type BenchDatabase } from '../lib/databases.js'
import { spawnWorker, type WorkerProcess } from '../lib/processes.js'
import type { JobKind, QueueSystem } from '../lib/queue-system.js'

const WORKER_SCRIPT = 'bench/peers/pg-boss-process.ts'
export const PG_BOSS_POLLING_INTERVAL_SECONDS = 0.5
export type PgBossMode = 'work' | 'loop'

/** Options every pg-boss instance in the benchmark uses: no cron, no maintenance, no migrations after the first. */
export function pgBossOptions(url: string, extra: Partial<PgBoss.ConstructorOptions> = {}): PgBoss.ConstructorOptions {
  return { connectionString: url, schedule: false, supervise: false, ...extra }
}

export async function createPgBoss(mode: PgBossMode): Promise<QueueSystem> {
  const db: BenchDatabase = await createBenchDatabase('postgresql', `pgboss_${mode}`)
  const boss = new PgBoss(pgBossOptions(db.url, { max: 4 }))
  boss.on('error', (error) => console.error(`pg-boss: ${error.message}`))
  const pool = new pg.Pool({ connectionString: db.url, max: 2 })
  pool.on('error', () => {})
  let generation = 0
  let queue = 'bench_0'

  const system: QueueSystem = {
    id: `pg-boss/${mode}`,
    label: mode === 'work' ? 'pg-boss 10 work() (PostgreSQL)' : 'pg-boss 10 fetch/complete loop (PostgreSQL)',
    provider: 'postgresql',
    measuresLatency: mode === 'work',
    notes:
      mode === 'work'
        ? [`boss.work() with batchSize 1, pollingIntervalSeconds ${PG_BOSS_POLLING_INTERVAL_SECONDS} (the minimum); its loop waits the interval after every fetch`]
        : ['fetch() one job, run it, await complete(); sleeps 0.5 s only when the queue is empty'],
    async prepare() {
      await boss.start()
      await boss.createQueue(queue)
    },
    async enqueueOne(kind: JobKind, key: string) {
      await boss.send(queue, { kind, key })
    },
    async enqueueBulk(count: number) {
      for (let offset = 0; offset < count; offset += 5000) {
        await boss.insert(Array.from({ length: Math.min(5000, count - offset) }, () => ({ name: queue, data: { kind: 'noop' } })))
      }
    },
    async analyze() {
      await pool.query('analyze pgboss.job')
    },
    async fill(count: number) {
      await system.enqueueBulk(count)
    },
    async remaining() {
      const { rows } = await pool.query(
        `select count(*)::int as n from pgboss.job where name = $1 and state in ('created', 'retry', 'active')`,
        [queue],
      )
      return rows[0].n
    },
    async startWorkers(processes, concurrency, onMessage) {
      const workers: WorkerProcess[] = []
      for (let i = 0; i < processes; i++) {
        workers.push(
          spawnWorker({
            name: `pg-boss-${mode}-${i}`,
            nodeArgs: ['--import', 'tsx', WORKER_SCRIPT],
            env: { BENCH_HOLD: '1', BENCH_DB_URL: db.url, BENCH_CONCURRENCY: String(concurrency), BENCH_QUEUE: queue, BENCH_MODE: mode },
            onMessage,
          }),
        )
      }
      return workers
    },
    async clear() {
      // A new queue per phase: deleteQueue drops the old partition (it refuses while rows remain).
      await pool.query('delete from pgboss.job where name = $1', [queue])
      await boss.deleteQueue(queue)
      queue = `bench_${++generation}`
      await boss.createQueue(queue)
    },
    async close() {
      await boss.stop({ graceful: false, wait: true }).catch(() => {})
      await pool.end()
      await db.drop()
    },
  }
  return system
}
