import { STATUS_WRITE_RETRY_DELAYS_SECONDS } from '../defaults.js'
import { AttemptsExhaustedError, InvalidHandlerError, JobNotInRegistryError, JobTimeoutError, type RegistryLoadError } from '../errors.js'
import { getJobDefinition } from '../manager/job-definition.js'
import { outcomeHooks, runAttempt, type OutcomeHook } from '../manager/run-attempt.js'
import type { Job, JobContext, JobDefinition, JobHandler, JobsAdapter, LifecycleHooks, Logger, StoredJob } from '../types.js'
import { retryAt } from './backoff.js'
import { parseHandler } from './parse-handler.js'
import type { SuccessBatch } from './success-batch.js'
import { logsAt } from './guard-logger.js'
import { describeError, toError } from './to-error.js'

/** What the executor needs from the worker. */
export interface ExecuteJobOptions {
  adapter: JobsAdapter
  /** Finds a job by its registry name (`jobManager.loadJob`). */
  loadJob: (name: string) => Promise<Job<string, unknown[]> | undefined>
  /** Already guarded: calling it never throws (see `guard-logger.ts`). */
  logger: Logger
  /** The jobs config's lifecycle hooks (`jobManager.hooks`), run around the job's own. */
  hooks?: LifecycleHooks
  maxAttempts: number
  maxRuntimeSeconds: number
  deleteFailedJobs: boolean
  deleteSuccessfulJobs: boolean
  /** Aborted when the worker must stop at once (second SIGINT, SIGTERM). */
  stopSignal: AbortSignal
  /**
   * Records successes in batches with the next find (the worker's, when the
   * adapter has `successAndFind`); without it each success is its own write.
   */
  successBatch?: SuccessBatch
  /** Seconds before each new try of a refused status write; `STATUS_WRITE_RETRY_DELAYS_SECONDS` by default. */
  statusWriteRetryDelaysSeconds?: readonly number[]
  /**
   * The jobs index cannot load in this process again (`RegistryLoadError.restartNeeded`):
   * `job` was not run and is not charged; the worker gives it back and stops.
   */
  onRestartNeeded?: (job: StoredJob, error: RegistryLoadError) => void
}

/** How one run ended, for logs and tests. */
export type JobOutcome = 'succeeded' | 'failed' | 'gave-up' | 'interrupted'

/**
 * Runs one locked job and records the result through the adapter, with the
 * lifecycle hooks in this order (see `manager/run-attempt.ts`):
 *
 *   config beforePerform → job beforePerform → perform → job afterPerform → config afterPerform
 *   → the outcome is stored → job afterSuccess/afterFailure → config afterSuccess/afterFailure
 *
 * All of them share one `maxRuntime` deadline and one signal. A throw before
 * the outcome is stored fails the attempt; one after it is logged and changes
 * nothing.
 *
 * Never throws: a job's error, a bad row, a missing registry entry or an
 * adapter error all end up in the log (and, where possible, in the row).
 *
 * A job that overruns `maxRuntime` has its signal aborted and is recorded as a
 * failed attempt once its `perform` returns: one that ignores its signal keeps
 * its slot and its lock until then, so its retry never runs beside it. When the worker stops at once, the row is left locked:
 * the job is taken back by a worker restarted under the same name, or by any
 * worker once the lock is stale.
 *
 * A status write the database refuses is tried again while the worker holds
 * the job (see `STATUS_WRITE_RETRY_DELAYS_SECONDS`); if it never goes through,
 * the row stays locked and the job runs again only once its lock is stale. A
 * job claimed for more runs than `maxAttempts` is given up without running.
 */
export async function executeJob(job: StoredJob, options: ExecuteJobOptions): Promise<JobOutcome> {
  const { logger } = options
  const startedAt = Date.now()
  let name = `job ${job.id}`
  let run: AttemptRun | undefined
  try {
    try {
      const handler = parseHandler(job)
      name = handler.name
      const found = await loadJob(handler.name, options)
      const definition = getJobDefinition<unknown[]>(found)
      if (definition === undefined) throw new JobNotInRegistryError(handler.name)
      if (job.attempts > options.maxAttempts) {
        // Given up without running (its earlier runs never reported back): the
        // afterFailure hooks still hear of it, as of any job given up.
        run = startRun(job, name, definition, handler, options)
        throw new AttemptsExhaustedError(name, job.attempts, options.maxAttempts)
      }
      if (options.stopSignal.aborted) {
        // Stopped at once between the find and now: do not start work that is being abandoned.
        logger.warn(`[jobs-kit] ${describe(name, job)} not started: the worker is stopping at once; it runs after a restart`)
        return 'interrupted'
      }

      if (logsAt(logger, 'debug')) logger.debug(`[jobs-kit] ${describe(name, job)} started (attempt ${job.attempts})`)
      run = startRun(job, name, definition, handler, options)
      await runWithinMaxRuntime(run, job, options)
    } catch (thrown) {
      const error = toError(thrown)
      if (needsRestart(thrown) && options.onRestartNeeded) {
        // Not the job's failure, and every attempt in this process would fail alike: charging it would burn its attempts.
        logger.error(`[jobs-kit] ${describe(name, job)} not run: ${thrown.message}`)
        options.onRestartNeeded(job, thrown)
        return 'interrupted'
      }
      if (options.stopSignal.aborted) {
        logger.warn(`[jobs-kit] ${describe(name, job)} interrupted by shutdown; it stays locked and runs again after a restart`)
        return 'interrupted'
      }
      const outcome = await recordFailure(job, name, error, options)
      if (run) await runOutcomeHooks(run, job, options, outcomeHooks(run.definition, options.hooks, run.args, run.context, { error, willRetry: outcome === 'failed' }))
      return outcome
    }
    const successHooks = outcomeHooks(run.definition, options.hooks, run.args, run.context, undefined)
    // With afterSuccess hooks to run, the slot is not free yet: finding a job
    // for it in the same step would start it beside them, one past `concurrency`.
    const outcome = await recordSuccess(job, name, startedAt, successHooks.length === 0, options)
    if (successHooks.length > 0) await runOutcomeHooks(run, job, options, successHooks)
    return outcome
  } finally {
    run?.dispose()
  }
}

/** Records a succeeded attempt: in the worker's batch (with a find for the next jobs) when it has one, else alone. */
async function recordSuccess(job: StoredJob, name: string, startedAt: number, freesSlot: boolean, options: ExecuteJobOptions): Promise<JobOutcome> {
  const { logger } = options
  const durationMs = Date.now() - startedAt
  if (options.successBatch) {
    // Nothing of a failed batch was recorded, or we cannot tell: record the success alone below.
    if ((await options.successBatch.record(job, freesSlot)) === true) {
      if (logsAt(logger, 'info')) logger.info(`[jobs-kit] ${describe(name, job)} succeeded in ${durationMs} ms`)
      return 'succeeded'
    }
  }
  const recorded = await writeStatus(options, () => options.adapter.success({ job, deleteJob: options.deleteSuccessfulJobs }))
  if (recorded === true) {
    if (logsAt(logger, 'info')) logger.info(`[jobs-kit] ${describe(name, job)} succeeded in ${durationMs} ms`)
  } else {
    logger.error(
      `[jobs-kit] ${describe(name, job)} succeeded in ${durationMs} ms but could not be marked done; ` +
        `it stays locked and may run again once its lock is stale: ${describeError(recorded)}`,
    )
  }
  return 'succeeded'
}

/**
 * Runs a status write, trying again after each delay while the database
 * refuses it (a blip, a failover) and the worker is not stopping at once.
 * Returns true once it went through, else the last error.
 */
async function writeStatus(options: ExecuteJobOptions, write: () => Promise<void>): Promise<true | Error> {
  const delays = options.statusWriteRetryDelaysSeconds ?? STATUS_WRITE_RETRY_DELAYS_SECONDS
  let lastError: Error
  for (let attempt = 0; ; attempt++) {
    try {
      await write()
      return true
    } catch (thrown) {
      lastError = toError(thrown)
    }
    const seconds = delays[attempt]
    if (seconds === undefined || options.stopSignal.aborted) return lastError
    options.logger.warn(`[jobs-kit] could not record a job's outcome, trying again in ${seconds} s: ${describeError(lastError)}`)
    await delay(seconds, options.stopSignal)
  }
}

/** Resolves after `seconds`, or as soon as `signal` aborts. */
function delay(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, seconds * 1000)
    signal.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}

/**
 * One attempt in hand: its job, its context, and the deadline every step of
 * it shares (the hooks included): one signal, aborted at `maxRuntime` after
 * the attempt started or when the worker stops at once.
 *
 * The signal's AbortController is made only when something reads
 * `context.signal` (a no-op job never does): making it, with the listeners
 * on it and on the stop signal, was the largest share of the worker's own
 * CPU per job (bench/experiments/worker-overhead.ts profile: createAbortSignal
 * and the event-target calls ~4 µs of self time per job, plus their garbage;
 * with the other cuts made with it, the worker's CPU per job without a
 * database fell from ~31 to ~16 µs). `abort()` records the
 * reason and aborts the controller if there is one; one read after that gets
 * a signal already aborted with the same reason.
 */
class AttemptRun {
  aborted = false
  /** Why the attempt was aborted: a JobTimeoutError, or the stop signal's reason. */
  reason: unknown = undefined
  readonly context: JobContext
  readonly args: unknown[]
  private controller: AbortController | undefined
  /** Rejects the step `raceSignal` waits for, while one is in hand. */
  interruptStep: ((reason: unknown) => void) | undefined = undefined
  private readonly timeout: NodeJS.Timeout
  private readonly stopSignal: AbortSignal

  constructor(
    job: StoredJob,
    readonly name: string,
    readonly definition: JobDefinition<string, unknown[]>,
    { args, recurring }: JobHandler,
    options: ExecuteJobOptions,
  ) {
    this.args = args
    this.stopSignal = options.stopSignal
    this.timeout = setTimeout(() => this.abort(new JobTimeoutError(name, options.maxRuntimeSeconds)), options.maxRuntimeSeconds * 1000)
    watchStop(options.stopSignal, this)
    if (options.stopSignal.aborted) this.abort(options.stopSignal.reason)
    const run = this
    const context = {
      id: job.id,
      name,
      attempt: job.attempts,
      // Made on first read, then a plain data property, as it always was to a job that reads or sets it.
      get signal(): AbortSignal {
        const signal = run.signal()
        // A job that froze or sealed its context (Object.freeze(this)) keeps
        // the getter, which gives the same signal on every read: the property
        // cannot be redefined then, and the read must not throw.
        if (Object.isExtensible(context)) Object.defineProperty(context, 'signal', { value: signal, writable: true, enumerable: true, configurable: true })
        return signal
      },
      set signal(value: AbortSignal) {
        Object.defineProperty(context, 'signal', { value, writable: true, enumerable: true, configurable: true })
      },
      logger: definition.logger ?? options.logger,
      ...(recurring && {
        recurring: { schedule: recurring.schedule, slot: new Date(recurring.slot), backfill: recurring.backfill === true, manual: recurring.manual === true },
      }),
    }
    this.context = context
  }

  /** The attempt's signal, made now if nothing read it before. */
  signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController()
      if (this.aborted) this.controller.abort(this.reason)
    }
    return this.controller.signal
  }

  abort(reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    this.controller?.abort(reason)
    const interrupt = this.interruptStep
    this.interruptStep = undefined
    interrupt?.(reason)
  }

  dispose(): void {
    clearTimeout(this.timeout)
    attemptsByStopSignal.get(this.stopSignal)?.delete(this)
  }
}

/**
 * The attempts in hand per stop signal, which aborts them all: one listener
 * per signal instead of one added and removed per attempt (see AttemptRun).
 * Aborted in the order they started, as their own listeners fired before.
 */
const attemptsByStopSignal = new WeakMap<AbortSignal, Set<AttemptRun>>()

function watchStop(stopSignal: AbortSignal, run: AttemptRun): void {
  let attempts = attemptsByStopSignal.get(stopSignal)
  if (attempts === undefined) {
    const watched = new Set<AttemptRun>()
    attempts = watched
    attemptsByStopSignal.set(stopSignal, watched)
    stopSignal.addEventListener('abort', () => {
      for (const attempt of watched) attempt.abort(stopSignal.reason)
    }, { once: true })
  }
  attempts.add(run)
}

function startRun(job: StoredJob, name: string, definition: JobDefinition<string, unknown[]>, handler: JobHandler, options: ExecuteJobOptions): AttemptRun {
  return new AttemptRun(job, name, definition, handler, options)
}

/**
 * Settles with `work`, or rejects with the abort reason as soon as the run is
 * aborted: with `work`'s outcome when it had already settled on a run aborted
 * before the call (as a race of the two did). One promise per step, with no
 * listener on the signal (see AttemptRun).
 */
function raceSignal(run: AttemptRun, work: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // Also observes a `work` the abort leaves behind (an aborted step that
    // rejects later): never an unhandled rejection.
    work.then(
      () => {
        if (run.interruptStep === reject) run.interruptStep = undefined
        resolve()
      },
      (thrown: unknown) => {
        if (run.interruptStep === reject) run.interruptStep = undefined
        reject(thrown)
      },
    )
    if (run.aborted) void Promise.resolve().then(() => reject(run.reason))
    else run.interruptStep = reject
  })
}

/**
 * Runs the attempt (`beforePerform` hooks, `perform`, `afterPerform` hooks)
 * and settles as soon as it returns or its signal aborts.
 */
async function runWithinMaxRuntime(run: AttemptRun, job: StoredJob, options: ExecuteJobOptions): Promise<void> {
  const performing = runAttempt(run.definition, options.hooks, run.args, run.context)
  try {
    await raceSignal(run, performing)
  } catch (thrown) {
    // A job that overran reports the timeout, not whatever perform threw in
    // reaction to its aborted signal (usually an AbortError).
    const reason: unknown = run.reason
    if (run.aborted && reason instanceof JobTimeoutError) {
      await untilPerformReturns(performing, run.name, job, options)
      throw reason
    }
    throw thrown
  }
}

/**
 * Calls the `afterSuccess` or `afterFailure` hooks (the job's, then the
 * config's) once the outcome is stored. They share the attempt's deadline and
 * signal: the worker stops waiting for one when the signal aborts (after a
 * timeout it is still called, with its signal already aborted). A throw is
 * logged with the job's name and id; the stored outcome stands either way.
 */
async function runOutcomeHooks(run: AttemptRun, job: StoredJob, options: ExecuteJobOptions, hooks: OutcomeHook[]): Promise<void> {
  for (const hook of hooks) {
    try {
      const result = hook.call()
      // A hook that returns no promise is done: nothing to wait for, even after a timeout.
      if (isThenable(result)) await raceSignal(run, Promise.resolve(result))
    } catch (thrown) {
      const stopped = run.aborted && thrown === run.reason
      options.logger.error(
        `[jobs-kit] ${describe(run.name, job)}: the ${hook.label} ${stopped ? 'was cut short' : 'threw'}; ` +
          `the job's stored outcome stands: ${describeError(toError(thrown))}`,
      )
    }
  }
}

/**
 * The job from the jobs index. A load that failed is tried once more at once:
 * a CommonJS index runs again (and may load now), while an ES module that
 * threw rethrows the very same error, which tells that this process can never
 * load it (`restartNeeded`), so the job is not charged for it.
 */
async function loadJob(name: string, options: ExecuteJobOptions): Promise<Job<string, unknown[]> | undefined> {
  try {
    return await options.loadJob(name)
  } catch (thrown) {
    if ((thrown as { code?: unknown } | null)?.code !== 'REGISTRY_LOAD_FAILED' || needsRestart(thrown)) throw thrown
    return options.loadJob(name)
  }
}

/** A `RegistryLoadError` this process cannot get past; by its code, so a second copy of the runtime's errors counts too. */
function needsRestart(thrown: unknown): thrown is RegistryLoadError {
  const error = thrown as { code?: unknown; restartNeeded?: unknown } | null
  return typeof error === 'object' && error !== null && error.code === 'REGISTRY_LOAD_FAILED' && error.restartNeeded === true
}

/** The shortest time between two reminders that a perform ignores its aborted signal. */
const MIN_REMINDER_SECONDS = 1

/**
 * After `maxRuntime`, waits for a `perform` to return before its failed
 * attempt is recorded: the job keeps its slot and its lock (renewed by the
 * heartbeat), so its retry can never start beside a run that ignores its
 * aborted signal. Logs while it waits; stops waiting only when the worker
 * stops at once (the row then stays locked, as for any interrupted job).
 */
async function untilPerformReturns(performing: Promise<unknown>, name: string, job: StoredJob, options: ExecuteJobOptions): Promise<void> {
  const { logger, stopSignal } = options
  // A perform that honours its signal returns within a moment: say nothing then.
  const returned = await Promise.race([
    performing.then(() => true, () => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 100)),
  ])
  if (returned) return
  const waiting = () =>
    logger.error(
      `[jobs-kit] ${describe(name, job)} ran past maxRuntime (${options.maxRuntimeSeconds} s) and ignores its aborted signal; ` +
        'it keeps its slot and its lock until perform returns, so that its retry never runs beside it. Make perform honour this.signal.',
    )
  waiting()
  // Once per maxRuntime, but never more than once a second: a maxRuntime of 10 ms logged a hundred lines a second.
  const reminder = setInterval(waiting, Math.max(options.maxRuntimeSeconds, MIN_REMINDER_SECONDS) * 1000)
  let onStop: (() => void) | undefined
  try {
    await Promise.race([
      performing.catch(() => {}),
      new Promise<void>((resolve) => {
        onStop = resolve
        if (stopSignal.aborted) resolve()
        else stopSignal.addEventListener('abort', onStop, { once: true })
      }),
    ])
  } finally {
    clearInterval(reminder)
    if (onStop) stopSignal.removeEventListener('abort', onStop)
  }
}

/** A failed attempt: retry with backoff, or give up at `maxAttempts`. */
async function recordFailure(job: StoredJob, name: string, error: Error, options: ExecuteJobOptions): Promise<JobOutcome> {
  const { logger } = options
  // A row we cannot read will not get better by waiting: give it up at once.
  const givingUp =
    job.attempts >= options.maxAttempts || error instanceof InvalidHandlerError || error instanceof AttemptsExhaustedError
  const nextRunAt = retryAt(job.attempts)
  const record = (stored: Error) =>
    givingUp
      ? options.adapter.failure({ job, error: stored, deleteJob: options.deleteFailedJobs })
      : options.adapter.error({ job, error: stored, retryAt: nextRunAt })
  let recorded = await writeStatus(options, () => record(error))
  // The database may refuse this very error (an app's lastError column too
  // small for it, a character it rejects): try a short plain summary, then
  // the bare error name, so the attempt is recorded and the job never stays
  // locked to be claimed again every stale period.
  for (const maxLength of [200, 0]) {
    if (recorded === true || options.stopSignal.aborted) break
    recorded = await writeStatus({ ...options, statusWriteRetryDelaysSeconds: [] }, () => record(summarize(error, maxLength)))
  }
  if (recorded !== true) {
    logger.error(
      `[jobs-kit] ${describe(name, job)} failed and the failure could not be recorded ` +
        `(${describeError(recorded)}); it stays locked and runs again once its lock is stale. The job's error: ${describeError(error)}`,
    )
    return givingUp ? 'gave-up' : 'failed'
  }
  if (givingUp) {
    logger.error(
      `[jobs-kit] ${describe(name, job)} failed on attempt ${job.attempts} and was given up` +
        `${options.deleteFailedJobs ? ' (deleted)' : ' (failedAt set)'}: ${describeError(error)}`,
    )
    return 'gave-up'
  }
  logger.warn(
    `[jobs-kit] ${describe(name, job)} failed on attempt ${job.attempts} of ${options.maxAttempts}, ` +
      `retrying at ${nextRunAt.toISOString()}: ${describeError(error)}`,
  )
  return 'failed'
}

/** A short, printable stand-in for an error the database would not store: at most `maxLength` characters of its message. */
function summarize(error: Error, maxLength: number): Error {
  const printable = (text: string, length: number) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, length)
  const summary = new Error(maxLength > 0 ? `${printable(String(error.message), maxLength)} (shortened: the full error could not be stored)` : '')
  summary.name = printable(String(error.name), 40) || 'Error'
  summary.stack = undefined
  return summary
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

function describe(name: string, job: StoredJob): string {
  return `${name} (id ${job.id}, queue ${job.queue})`
}
