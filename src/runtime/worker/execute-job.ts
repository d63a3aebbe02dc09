import { InvalidHandlerError, JobNotInRegistryError, JobTimeoutError } from '../errors.js'
import { runJob } from '../manager/run-job.js'
import type { FindInput, Job, JobContext, JobsAdapter, Logger, StoredJob } from '../types.js'
import { retryAt } from './backoff.js'
import { parseHandler } from './parse-handler.js'
import { describeError, toError } from './to-error.js'

/** What the executor needs from the worker. */
export interface ExecuteJobOptions {
  adapter: JobsAdapter
  /** Finds a job by its registry name (`jobManager.loadJob`). */
  loadJob: (name: string) => Promise<Job<string, unknown[]> | undefined>
  /** Already guarded: calling it never throws (see `guard-logger.ts`). */
  logger: Logger
  maxAttempts: number
  maxRuntimeSeconds: number
  deleteFailedJobs: boolean
  deleteSuccessfulJobs: boolean
  /** Aborted when the worker must stop at once (second SIGINT, SIGTERM). */
  stopSignal: AbortSignal
  /**
   * What to look for next once this job succeeded, or undefined to look for
   * nothing (the worker is stopping). Used when the adapter has `successAndFind`.
   */
  nextFind?: () => FindInput | undefined
  /** Receives the jobs `successAndFind` locked; called before `executeJob` returns. */
  onFound?: (jobs: StoredJob[]) => void
}

/** How one run ended, for logs and tests. */
export type JobOutcome = 'succeeded' | 'failed' | 'gave-up' | 'interrupted'

/**
 * Runs one locked job and records the result through the adapter.
 *
 * Never throws: a job's error, a bad row, a missing registry entry or an
 * adapter error all end up in the log (and, where possible, in the row).
 *
 * A job that overruns `maxRuntime` has its signal aborted and is recorded as a
 * failed attempt straight away; the executor does not wait for a `perform`
 * that ignores its signal (that promise is left to settle on its own, and its
 * result is ignored). When the worker stops at once, the row is left locked:
 * the job is taken back by a worker restarted under the same name, or by any
 * worker once the lock is stale.
 */
export async function executeJob(job: StoredJob, options: ExecuteJobOptions): Promise<JobOutcome> {
  const { logger } = options
  const startedAt = Date.now()
  let name = `job ${job.id}`
  try {
    const handler = parseHandler(job)
    name = handler.name
    const definition = await options.loadJob(handler.name)
    if (definition === undefined) throw new JobNotInRegistryError(handler.name)

    logger.debug(`[jobs-kit] ${describe(name, job)} started (attempt ${job.attempts})`)
    await runWithinMaxRuntime(job, name, definition, handler.args, options)
  } catch (thrown) {
    const error = toError(thrown)
    if (options.stopSignal.aborted) {
      logger.warn(`[jobs-kit] ${describe(name, job)} interrupted by shutdown; it stays locked and runs again after a restart`)
      return 'interrupted'
    }
    return recordFailure(job, name, error, options)
  }

  const durationMs = Date.now() - startedAt
  const next = options.adapter.successAndFind ? options.nextFind?.() : undefined
  if (next) {
    try {
      const found = await options.adapter.successAndFind!({ job, deleteJob: options.deleteSuccessfulJobs, next })
      logger.info(`[jobs-kit] ${describe(name, job)} succeeded in ${durationMs} ms`)
      options.onFound?.(found)
      return 'succeeded'
    } catch (thrown) {
      // Nothing was recorded (one atomic step), or we cannot tell: record the
      // success alone, as without successAndFind.
      logger.warn(`[jobs-kit] ${describe(name, job)} succeeded; recording it and finding the next job in one step failed (${describeError(toError(thrown))}), recording it alone`)
    }
  }
  try {
    await options.adapter.success({ job, deleteJob: options.deleteSuccessfulJobs })
    logger.info(`[jobs-kit] ${describe(name, job)} succeeded in ${durationMs} ms`)
  } catch (thrown) {
    logger.error(
      `[jobs-kit] ${describe(name, job)} succeeded in ${durationMs} ms but could not be marked done; ` +
        `it may run again once its lock is stale: ${describeError(toError(thrown))}`,
    )
  }
  return 'succeeded'
}

/**
 * Runs `perform` with a signal that aborts at `maxRuntime` or when the worker
 * stops at once, and settles as soon as either happens.
 */
async function runWithinMaxRuntime(
  job: StoredJob,
  name: string,
  definition: Job<string, unknown[]>,
  args: unknown[],
  options: ExecuteJobOptions,
): Promise<void> {
  const controller = new AbortController()
  const timeout = setTimeout(
    () => controller.abort(new JobTimeoutError(name, options.maxRuntimeSeconds)),
    options.maxRuntimeSeconds * 1000,
  )
  const onStop = () => controller.abort(options.stopSignal.reason)
  options.stopSignal.addEventListener('abort', onStop, { once: true })
  if (options.stopSignal.aborted) onStop()

  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(controller.signal.reason)
    controller.signal.addEventListener('abort', onAbort, { once: true })
  })
  const context: JobContext = {
    id: job.id,
    name,
    attempt: job.attempts,
    signal: controller.signal,
    logger: options.logger,
  }
  const performing = runJob(definition, args, context)
  // The race may leave `performing` unobserved (an aborted job that rejects
  // later): catch it here so it is never an unhandled rejection.
  performing.catch(() => {})
  try {
    await Promise.race([performing, aborted])
  } catch (thrown) {
    // A job that overran reports the timeout, not whatever perform threw in
    // reaction to its aborted signal (usually an AbortError).
    const reason: unknown = controller.signal.reason
    if (controller.signal.aborted && reason instanceof JobTimeoutError) throw reason
    throw thrown
  } finally {
    clearTimeout(timeout)
    options.stopSignal.removeEventListener('abort', onStop)
    if (onAbort) controller.signal.removeEventListener('abort', onAbort)
  }
}

/** A failed attempt: retry with backoff, or give up at `maxAttempts`. */
async function recordFailure(job: StoredJob, name: string, error: Error, options: ExecuteJobOptions): Promise<JobOutcome> {
  const { logger } = options
  // A row we cannot read will not get better by waiting: give it up at once.
  const givingUp = job.attempts >= options.maxAttempts || error instanceof InvalidHandlerError
  try {
    if (givingUp) {
      await options.adapter.failure({ job, error, deleteJob: options.deleteFailedJobs })
      logger.error(
        `[jobs-kit] ${describe(name, job)} failed on attempt ${job.attempts} and was given up` +
          `${options.deleteFailedJobs ? ' (deleted)' : ' (failedAt set)'}: ${describeError(error)}`,
      )
      return 'gave-up'
    }
    const nextRunAt = retryAt(job.attempts)
    await options.adapter.error({ job, error, retryAt: nextRunAt })
    logger.warn(
      `[jobs-kit] ${describe(name, job)} failed on attempt ${job.attempts} of ${options.maxAttempts}, ` +
        `retrying at ${nextRunAt.toISOString()}: ${describeError(error)}`,
    )
    return 'failed'
  } catch (thrown) {
    logger.error(
      `[jobs-kit] ${describe(name, job)} failed and the failure could not be recorded ` +
        `(${describeError(toError(thrown))}); it runs again once its lock is stale. The job's error: ${describeError(error)}`,
    )
    return givingUp ? 'gave-up' : 'failed'
  }
}

function describe(name: string, job: StoredJob): string {
  return `${name} (id ${job.id}, queue ${job.queue})`
}
