/**
 * The BullMQ adapter as a conformance target: the real Redis, under a key
 * prefix of this run's own (test/support/redis.ts).
 */
import { fileURLToPath } from 'node:url'
import { BullMQAdapter } from '../../../src/runtime/adapters/bullmq/bullmq-adapter.js'
import { createTestRedis } from '../../support/redis.js'
import type { ConformanceTarget } from '../define-adapter-conformance.js'

interface ChildConfig {
  connection: { host: string; port: number; maxRetriesPerRequest: null }
  prefix: string
}

export async function bullmqTarget(): Promise<ConformanceTarget> {
  const redis = await createTestRedis()
  const config: ChildConfig = { connection: redis.connection, prefix: redis.prefix }
  const reader = new BullMQAdapter({ ...config, logger: quiet })
  return {
    createAdapter: ({ logger } = {}) => new BullMQAdapter({ ...config, logger }),
    child: { module: fileURLToPath(import.meta.url), config },
    readJob: async (id) => {
      const job = await reader.readJob(id)
      // A job that succeeded and is kept is done: BullMQ's completed set, unlocked.
      return job && { attempts: job.attempts, lastError: job.state === 'completed' ? null : job.lastError, failedAt: job.failedAt, lockedBy: job.lockedBy }
    },
    teardown: async () => {
      await reader.close()
      await redis.drop()
    },
  }
}

/** For the contention test's processes. */
export async function createAdapter(config: ChildConfig): Promise<BullMQAdapter> {
  return new BullMQAdapter({ ...config, logger: quiet })
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} }
