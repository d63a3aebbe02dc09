import type { Logger } from '../../src/runtime/types.js'
import { guardLogger } from '../../src/runtime/worker/guard-logger.js'
import { Worker, type WorkerOptions } from '../../src/runtime/worker/worker.js'

/**
 * A worker as the in-process tests run one: `workoff` (run what is due, then
 * return), one job at a time, 3 attempts, 30 s maxRuntime, 50 ms between
 * polls, failed jobs kept, succeeded ones deleted. `logger` is guarded as the
 * runner guards it; any other option overrides these.
 */
export function workoffWorker(options: Pick<WorkerOptions, 'adapter' | 'loadJob'> & { logger: Logger } & Partial<Omit<WorkerOptions, 'logger'>>): Worker {
  return new Worker({
    processName: 'test-host:jobs-kit-worker.all.0',
    queues: '*',
    maxAttempts: 3,
    maxRuntimeSeconds: 30,
    sleepDelaySeconds: 0.05,
    deleteFailedJobs: false,
    deleteSuccessfulJobs: true,
    concurrency: 1,
    mode: 'workoff',
    ...options,
    logger: guardLogger(options.logger),
  })
}
