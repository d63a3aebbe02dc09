/**
 * A real Redis for the BullMQ adapter's tests: `createTestRedis()` gives a
 * key prefix of the run's own (`jk_test_<time>_<random>`) on the server at
 * JOBS_KIT_TEST_REDIS_URL (default redis://127.0.0.1:6379); `drop()` deletes
 * every key under it. A server that cannot be reached is an error, never a
 * skipped test.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

export const REDIS_URL = process.env.JOBS_KIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export interface TestRedis {
  url: string
  /** ioredis options for BullMQ's `connection` (BullMQ opens its own connections from them). */
  connection: { host: string; port: number; maxRetriesPerRequest: null }
  prefix: string
  /** Deletes every key under the prefix and closes the admin connection. */
  drop(): Promise<void>
}

export async function createTestRedis(): Promise<TestRedis> {
  const server = new URL(REDIS_URL)
  const connection = { host: server.hostname, port: Number(server.port || 6379), maxRetriesPerRequest: null }
  const admin = new Redis({ ...connection, lazyConnect: true, retryStrategy: () => null })
  try {
    await admin.connect()
    await admin.ping()
  } catch (error) {
    admin.disconnect()
    throw new Error(
      `Redis is not reachable at ${REDIS_URL} (${(error as Error).message}). Start it with \`redis-server --daemonize yes\`, ` +
        'or point JOBS_KIT_TEST_REDIS_URL at a server the tests may write to.',
    )
  }
  const prefix = `jk_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  return {
    url: REDIS_URL,
    connection,
    prefix,
    drop: async () => {
      try {
        let cursor = '0'
        do {
          const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
          cursor = next
          if (keys.length > 0) await admin.del(...keys)
        } while (cursor !== '0')
      } finally {
        admin.disconnect()
      }
    },
  }
}
