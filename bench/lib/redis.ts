/**
 * Redis for the benchmark's BullMQ rows: the server at JOBS_KIT_TEST_REDIS_URL
 * (default redis://127.0.0.1:6379), a key prefix of this run's own, deleted at the end.
 */
import { createTestRedis, type TestRedis } from '../../test/support/redis.js'

export type BenchRedis = TestRedis

export function createBenchRedis(): Promise<BenchRedis> {
  return createTestRedis()
}
