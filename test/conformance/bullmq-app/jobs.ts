/**
 * A jobs config with two adapters, as an app that moves some jobs to Redis
 * writes it: `memory` as the default scheduler's adapter, `redis` (the
 * BullMQAdapter) named by one job and served by the only worker.
 *
 * Env: REDIS_HOST, REDIS_PORT, REDIS_PREFIX, SIDE_EFFECT_FILE.
 */
import { appendFileSync } from 'node:fs'
import { BullMQAdapter, JobManager } from '../../../src/runtime/index.js'
import { MemoryAdapter } from '../../../src/runtime/testing/memory-adapter.js'

const registry: Record<string, unknown> = {}

export const jobs = new JobManager({
  adapters: {
    memory: new MemoryAdapter(),
    redis: new BullMQAdapter({
      connection: { host: process.env.REDIS_HOST, port: Number(process.env.REDIS_PORT), maxRetriesPerRequest: null },
      prefix: process.env.REDIS_PREFIX,
    }),
  },
  queues: ['default', 'email'] as const,
  logger: { debug() {}, info: console.log, warn: console.warn, error: console.error },
  workers: [{ adapter: 'redis', queue: '*', sleepDelay: 0.2, maxAttempts: 2 }],
  jobs: () => registry,
})

export const later = jobs.createScheduler({ adapter: 'memory' })

registry.SendEmailJob = jobs.createJob({
  queue: 'email',
  adapter: 'redis',
  perform: async (to: string) => {
    appendFileSync(process.env.SIDE_EFFECT_FILE!, `sent ${to}\n`)
  },
})
