/**
 * One graphile-worker process for the benchmarks. Env: BENCH_DB_URL,
 * BENCH_CONCURRENCY. Tasks: `noop` does nothing; `report` tells the parent
 * over IPC that it started.
 */
import { run } from 'graphile-worker'
import { readyAndWaitForGo } from '../lib/go-signal.js'
import { GRAPHILE_POLL_INTERVAL_MS, quietLogger } from './graphile-worker.js'

// The parent is gone (an interrupted run): do not linger as an orphan.
process.on('disconnect', () => process.exit(0))

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1)

await readyAndWaitForGo()
const runner = await run({
  connectionString: process.env.BENCH_DB_URL,
  concurrency,
  maxPoolSize: Math.max(concurrency + 2, 4),
  pollInterval: GRAPHILE_POLL_INTERVAL_MS,
  logger: quietLogger(),
  noHandleSignals: false,
  preset: { worker: { localQueue: { size: -1 }, completeJobBatchDelay: -1, failJobBatchDelay: -1 } },
  taskList: {
    noop: async () => {},
    report: async (payload: any) => {
      process.send?.({ type: 'started', key: payload.key })
    },
  },
})
await runner.promise
