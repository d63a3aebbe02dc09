import {
  DEFAULT_CONCURRENCY,
  DEFAULT_DELETE_FAILED_JOBS,
  DEFAULT_DELETE_SUCCESSFUL_JOBS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_RUNTIME_SECONDS,
  DEFAULT_SLEEP_DELAY_SECONDS,
  DEFAULT_WORKER_COUNT,
  DEFAULT_WORKER_QUEUE,
  MAX_TIMER_SECONDS,
} from '../defaults.js'
import { InvalidConfigError, UnknownAdapterError, UnknownQueueError } from '../errors.js'
import type { Logger, ResolvedWorkerConfig, WorkerConfig } from '../types.js'
import { isLogger } from './is-logger.js'

/**
 * Checks the config's `workers` and fills in every default (see `defaults.ts`).
 * `queue` becomes `'*'` or a non-empty list of configured queues.
 */
export function resolveWorkers(
  workers: readonly WorkerConfig[],
  adapterNames: readonly string[],
  queues: readonly string[],
): ResolvedWorkerConfig[] {
  if (!Array.isArray(workers)) {
    throw new InvalidConfigError('`workers` in your jobs config must be an array, e.g. [{ adapter: \'prisma\', queue: \'*\' }].')
  }
  return workers.map((worker, index) => {
    const where = `workers[${index}]`
    if (typeof worker !== 'object' || worker === null) throw new InvalidConfigError(`${where} in your jobs config must be an object.`)
    if (!adapterNames.includes(worker.adapter)) throw new UnknownAdapterError(String(worker.adapter), adapterNames, where)
    return {
      adapter: worker.adapter,
      queue: resolveQueue(worker.queue ?? DEFAULT_WORKER_QUEUE, queues, where),
      count: wholeNumber(worker.count, DEFAULT_WORKER_COUNT, 0, `${where}.count`),
      maxAttempts: wholeNumber(worker.maxAttempts, DEFAULT_MAX_ATTEMPTS, 1, `${where}.maxAttempts`),
      maxRuntime: positiveSeconds(worker.maxRuntime, DEFAULT_MAX_RUNTIME_SECONDS, `${where}.maxRuntime`, false),
      sleepDelay: positiveSeconds(worker.sleepDelay, DEFAULT_SLEEP_DELAY_SECONDS, `${where}.sleepDelay`, true),
      deleteFailedJobs: flag(worker.deleteFailedJobs, DEFAULT_DELETE_FAILED_JOBS, `${where}.deleteFailedJobs`),
      deleteSuccessfulJobs: flag(worker.deleteSuccessfulJobs, DEFAULT_DELETE_SUCCESSFUL_JOBS, `${where}.deleteSuccessfulJobs`),
      concurrency: wholeNumber(worker.concurrency, DEFAULT_CONCURRENCY, 1, `${where}.concurrency`),
      ...(worker.logger === undefined ? {} : { logger: checkLogger(worker.logger, `${where}.logger`) }),
    }
  })
}

function resolveQueue(queue: string | string[], queues: readonly string[], where: string): '*' | string[] {
  const list = Array.isArray(queue) ? queue : [queue]
  if (list.length === 0) throw new InvalidConfigError(`${where}.queue is an empty list. Use '*' for every queue, or name at least one.`)
  if (list.includes('*')) return '*'
  for (const name of list) {
    if (!queues.includes(name)) throw new UnknownQueueError(name, queues, `${where}.queue`)
  }
  return [...new Set(list)]
}

function wholeNumber(value: number | undefined, fallback: number, min: number, where: string): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidConfigError(`${where} must be a whole number, ${min} or more (got ${String(value)}). Default: ${fallback}.`)
  }
  return value
}

function positiveSeconds(value: number | undefined, fallback: number, where: string, allowZero: boolean): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0) || value > MAX_TIMER_SECONDS) {
    throw new InvalidConfigError(
      `${where} must be a number of seconds${allowZero ? ', 0 or more' : ' above 0'}, at most ${MAX_TIMER_SECONDS} (about 24.8 days, ` +
        `the longest timer Node can set) (got ${String(value)}). Default: ${fallback}.`,
    )
  }
  return value
}

function flag(value: boolean | undefined, fallback: boolean, where: string): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new InvalidConfigError(`${where} must be true or false (got ${String(value)}). Default: ${fallback}.`)
  return value
}

function checkLogger(logger: Logger, where: string): Logger {
  if (!isLogger(logger)) throw new InvalidConfigError(`${where} must have debug, info, warn and error methods (console and pino do).`)
  return logger
}
