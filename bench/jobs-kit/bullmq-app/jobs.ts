/**
 * The benchmark's jobs config for jobs-kit on Redis: the BullMQAdapter as the
 * only adapter. Env: BENCH_REDIS_HOST, BENCH_REDIS_PORT, BENCH_REDIS_PREFIX.
 */
import { BullMQAdapter, JobManager } from '../../../src/runtime/index.js'
import { readyAndWaitForGo } from '../../lib/go-signal.js'

const logger = {
  debug: () => {},
  info: () => {},
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
}

export const jobs = new JobManager({
  adapters: {
    redis: new BullMQAdapter({
      connection: { host: process.env.BENCH_REDIS_HOST, port: Number(process.env.BENCH_REDIS_PORT), maxRetriesPerRequest: null },
      prefix: process.env.BENCH_REDIS_PREFIX,
      logger,
    }),
  },
  queues: ['default'] as const,
  logger,
  workers: [{ adapter: 'redis', queue: '*', count: 1 }],
  jobs: () => import('./jobs/index.js'),
})

export const later = jobs.createScheduler({ adapter: 'redis' })

await readyAndWaitForGo()
