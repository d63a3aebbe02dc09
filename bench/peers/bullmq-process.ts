/**
 * One BullMQ worker process for the benchmarks. Env: BENCH_REDIS_HOST,
 * BENCH_REDIS_PORT, BENCH_REDIS_PREFIX, BENCH_CONCURRENCY. A job with
 * `data.kind === 'report'` tells the parent over IPC that it started.
 */
import { Worker } from 'bullmq'
import { readyAndWaitForGo } from '../lib/go-signal.js'
import { BULLMQ_QUEUE } from './bullmq.js'

// The parent is gone (an interrupted run): do not linger as an orphan.
process.on('disconnect', () => process.exit(0))

await readyAndWaitForGo()
const worker = new Worker(
  BULLMQ_QUEUE,
  async (job) => {
    if (job.data?.kind === 'report') process.send?.({ type: 'started', key: job.data.key })
  },
  {
    connection: { host: process.env.BENCH_REDIS_HOST, port: Number(process.env.BENCH_REDIS_PORT), maxRetriesPerRequest: null },
    prefix: process.env.BENCH_REDIS_PREFIX,
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 1),
  },
)
worker.on('error', (error) => console.error(`bullmq: ${error.message}`))
process.on('SIGTERM', () => void worker.close(true).finally(() => process.exit(0)))
