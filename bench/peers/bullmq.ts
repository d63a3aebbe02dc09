/**
 * BullMQ 6 used directly, on Redis: `Queue.add`/`addBulk`, and a `Worker`
 * with a processor in each worker process (BullMQ's own loop: a blocking
 * fetch, no polling interval, lock renewal and stalled checks on their
 * defaults). Jobs are removed on completion, as jobs-kit deletes them.
 */
import { Queue } from 'bullmq'
import { createBenchRedis } from '../lib/redis.js'
import { spawnWorker, type WorkerProcess } from '../lib/processes.js'
import type { JobKind, QueueSystem } from '../lib/queue-system.js'

const WORKER_SCRIPT = 'bench/peers/bullmq-process.ts'
export const BULLMQ_QUEUE = 'bench'

export async function createBullMQ(): Promise<QueueSystem> {
  const redis = await createBenchRedis()
  const queue = new Queue(BULLMQ_QUEUE, { connection: redis.connection, prefix: redis.prefix })
  const options = { removeOnComplete: true, removeOnFail: true }

  const system: QueueSystem = {
    id: 'bullmq',
    label: 'BullMQ 6 Worker (Redis)',
    provider: 'redis',
    measuresLatency: true,
    notes: ['new Worker(queue, processor, { concurrency }) per process: blocking fetch, BullMQ defaults; removeOnComplete'],
    async prepare() {
      await queue.waitUntilReady()
    },
    async enqueueOne(kind: JobKind, key: string) {
      await queue.add(kind, { kind, key }, options)
    },
    async enqueueBulk(count: number) {
      for (let offset = 0; offset < count; offset += 1000) {
        await queue.addBulk(Array.from({ length: Math.min(1000, count - offset) }, () => ({ name: 'noop', data: { kind: 'noop' }, opts: options })))
      }
    },
    async fill(count: number) {
      await system.enqueueBulk(count)
    },
    async analyze() {},
    async remaining() {
      const counts = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active')
      return Object.values(counts).reduce((sum, each) => sum + each, 0)
    },
    async startWorkers(processes, concurrency, onMessage) {
      const workers: WorkerProcess[] = []
      for (let i = 0; i < processes; i++) {
        workers.push(
          spawnWorker({
            name: `bullmq-${i}`,
            nodeArgs: ['--import', 'tsx', WORKER_SCRIPT],
            env: {
              BENCH_HOLD: '1',
              BENCH_REDIS_HOST: redis.connection.host,
              BENCH_REDIS_PORT: String(redis.connection.port),
              BENCH_REDIS_PREFIX: redis.prefix,
              BENCH_CONCURRENCY: String(concurrency),
            },
            onMessage,
          }),
        )
      }
      return workers
    },
    async clear() {
      await queue.obliterate({ force: true })
    },
    async close() {
      await queue.close()
      await redis.drop()
    },
  }
  return system
}
