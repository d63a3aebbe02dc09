/**
 * jobs-kit on Redis through the BullMQAdapter, measured as an app uses it:
 * `later()` from the config (jobs-kit/bullmq-app/jobs.ts), workers started
 * with the runner CLI, one process each (the same worker loop as the
 * database rows: polling every sleepDelay when idle, no wake-ups).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBenchRedis } from '../lib/redis.js'
import { REPO_ROOT, spawnWorker, type WorkerProcess } from '../lib/processes.js'
import type { JobKind, QueueSystem } from '../lib/queue-system.js'
import { BENCH_SLEEP_DELAY_SECONDS } from './jobs-kit.js'
import { runnerArgs } from './runner-args.js'

const CONFIG = join(REPO_ROOT, 'bench/jobs-kit/bullmq-app/jobs.ts')
/** later() calls in flight when scheduling in bulk (it has no bulk form). */
const BULK_IN_FLIGHT = 100

export async function createJobsKitBullMQ(): Promise<QueueSystem> {
  const redis = await createBenchRedis()
  const env = { BENCH_REDIS_HOST: redis.connection.host, BENCH_REDIS_PORT: String(redis.connection.port), BENCH_REDIS_PREFIX: redis.prefix }
  Object.assign(process.env, env)
  const { jobs, later } = await import('./bullmq-app/jobs.js')
  const { NoopJob, ReportJob } = await import('./bullmq-app/jobs/index.js')
  const adapter = jobs.adapters.redis
  const appRoot = mkdtempSync(join(tmpdir(), 'jkbench-bullmq-'))

  const system: QueueSystem = {
    id: 'jobs-kit/bullmq',
    label: 'jobs-kit + BullMQAdapter (Redis)',
    provider: 'redis',
    measuresLatency: true,
    notes: [
      `workers: runner CLI, one process each, --concurrency 1, --sleepDelay ${BENCH_SLEEP_DELAY_SECONDS} (polling; no wake-ups)`,
      `bulk enqueue: later() with ${BULK_IN_FLIGHT} calls in flight (no bulk API)`,
    ],
    async prepare() {},
    async enqueueOne(kind: JobKind, key: string) {
      if (kind === 'report') await later(ReportJob, [key])
      else await later(NoopJob, [])
    },
    async enqueueBulk(count: number) {
      for (let offset = 0; offset < count; offset += BULK_IN_FLIGHT) {
        await Promise.all(Array.from({ length: Math.min(BULK_IN_FLIGHT, count - offset) }, () => later(NoopJob, [])))
      }
    },
    async fill(count: number) {
      await system.enqueueBulk(count)
    },
    async analyze() {},
    async remaining() {
      const counts = await adapter.status()
      return counts.reduce((sum, each) => sum + each.waiting + each.scheduled + each.running, 0)
    },
    async startWorkers(processes, concurrency, onMessage) {
      const workers: WorkerProcess[] = []
      for (let i = 0; i < processes; i++) {
        workers.push(
          spawnWorker({
            name: `jobs-kit-bullmq-${i}`,
            nodeArgs: runnerArgs(i, { concurrency, sleepDelaySeconds: BENCH_SLEEP_DELAY_SECONDS, config: CONFIG }),
            cwd: appRoot,
            env: { BENCH_HOLD: '1', ...env },
            onMessage,
          }),
        )
      }
      return workers
    },
    async clear() {
      await adapter.clear()
    },
    async close() {
      await adapter.close()
      await redis.drop()
      rmSync(appRoot, { recursive: true, force: true })
    },
  }
  return system
}
