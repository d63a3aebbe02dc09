import type { FindInput, Job, JobsAdapter, LifecycleHooks, Logger, StoredJob } from '../types.js'
import { executeJob, type ExecuteJobOptions, type JobOutcome } from './execute-job.js'
import { Alarm } from './sleep.js'
import { SuccessBatch, type NextFind } from './success-batch.js'
import { getLockTiming, type LockTiming } from './stale-lock.js'
import { describeError, toError } from './to-error.js'
import { AdapterSettingsError } from '../errors.js'

/** Everything one worker needs; the runner builds it from the app's jobs config. */
export interface WorkerOptions {
  adapter: JobsAdapter
  /** Finds a job by its registry name (`jobManager.loadJob`). */
  loadJob: (name: string) => Promise<Job<string, unknown[]> | undefined>
  /** Already guarded (see `guard-logger.ts`). */
  logger: Logger
  /** The jobs config's lifecycle hooks (`jobManager.hooks`). */
  hooks?: LifecycleHooks
  /** `lockedBy`: `<host>:<process title>`, e.g. `web-1:jobs-kit-worker.email.0`. */
  processName: string
  queues: '*' | string[]
  maxAttempts: number
  maxRuntimeSeconds: number
  sleepDelaySeconds: number
  deleteFailedJobs: boolean
  deleteSuccessfulJobs: boolean
  /** Jobs run at the same time. */
  concurrency: number
  /**
   * Overrides the stale threshold and heartbeat of `stale-lock.ts`, for tests
   * that cannot wait a minute. Every worker on one table must use the same.
   */
  lockTiming?: LockTiming
  /** Seconds before each new try of a refused status write (tests shorten it). */
  statusWriteRetryDelaysSeconds?: readonly number[]
  /** Called with each job's outcome once its run ends (the worker registry counts them). Must not throw. */
  onJobDone?: (job: StoredJob, outcome: JobOutcome) => void
  /** `work`: poll until stopped. `workoff`: run what is due, then return. `clear`: delete the queues' jobs, then return. */
  mode: 'work' | 'workoff' | 'clear'
}

/** How `run()` ended. */
export type WorkerExit = 'done' | 'failed' | 'stopped' | 'stopped-at-once'

/**
 * One worker: polls the adapter for due jobs and runs them, up to
 * `concurrency` at a time, until it is stopped (or, in `workoff` mode, until
 * nothing is due).
 *
 * `stop()` finishes the jobs in hand and takes no new ones;
 * `stop({ atOnce: true })` aborts the running jobs' signals and makes `run()`
 * return straight away, leaving their rows locked for a restart to take back.
 */
export class Worker {
  private readonly options: WorkerOptions
  private readonly alarm = new Alarm()
  /** Jobs in hand, by row id, with the promise of their run. */
  private readonly running = new Map<number, { job: StoredJob; done: Promise<unknown> }>()
  /**
   * Slots promised to finds in flight (the main loop's, and those made with a
   * success), so that together they never lock more than `concurrency` jobs.
   */
  private reservedSlots = 0
  /** Gives-back in flight of jobs found while stopping; `run()` waits for them. */
  private readonly releasing = new Set<Promise<void>>()
  /**
   * When `run()` started, lowered to the earliest clock reading since: locks
   * under this worker's name from before then are a previous run's (see
   * `FindInput.workerStartedAt`). Lowered because a clock stepping back (NTP,
   * a restored VM) would otherwise make this worker's own new locks look
   * older than its start, and it would claim its own running jobs again on
   * every find.
   */
  private startedAt = new Date()
  private readonly stopController = new AbortController()
  private stopping = false
  /** The adapter refused this worker's settings for good (AdapterSettingsError), or its first find met no jobs table (ModelNotFoundError): it stops, exit `'failed'`. */
  private cannotWork = false
  /** The jobs index cannot load in this process (see `RegistryLoadError.restartNeeded`). */
  private restartNeeded = false
  private wakeOnStopAtOnce: (() => void) | undefined
  /** Records successes several at a time with the next find, when the adapter can (see `success-batch.ts`). */
  private readonly successBatch: SuccessBatch | undefined
  /** Waited for by `untilOneFinishes`, settled when the next job in hand finishes. */
  private jobFinished: { promise: Promise<void>; resolve: () => void } | undefined
  /** What every executeJob call of this worker takes: the same for each job, so made once. */
  private readonly executeOptions: ExecuteJobOptions

  constructor(options: WorkerOptions) {
    this.options = options
    const { adapter } = options
    if (adapter.successAndFind) {
      this.successBatch = new SuccessBatch({
        adapter: adapter as JobsAdapter & Required<Pick<JobsAdapter, 'successAndFind'>>,
        deleteSuccessfulJobs: options.deleteSuccessfulJobs,
        logger: options.logger,
        nextFind: (freedSlots) => this.nextFind(freedSlots),
      })
    }
    this.executeOptions = {
      adapter,
      loadJob: options.loadJob,
      logger: options.logger,
      hooks: options.hooks,
      maxAttempts: options.maxAttempts,
      maxRuntimeSeconds: options.maxRuntimeSeconds,
      deleteFailedJobs: options.deleteFailedJobs,
      deleteSuccessfulJobs: options.deleteSuccessfulJobs,
      stopSignal: this.stopController.signal,
      statusWriteRetryDelaysSeconds: options.statusWriteRetryDelaysSeconds,
      onRestartNeeded: (job, error) => {
        // Every job would fail alike until a new process loads the index: give this one back and stop, exit 1.
        this.giveBack([job])
        if (!this.restartNeeded) {
          this.restartNeeded = true
          options.logger.error(`[jobs-kit] ${options.processName} stops, giving back its jobs, to be restarted: ${error.message}`)
        }
        this.stop()
      },
      successBatch: this.successBatch,
    }
  }

  /** Runs until stopped, or until done in `workoff`/`clear` mode. Never throws; `'failed'` when `clear` failed or the adapter refused the worker's settings. */
  async run(): Promise<WorkerExit> {
    this.startedAt = new Date()
    const stoppedAtOnce = new Promise<WorkerExit>((resolve) => {
      this.wakeOnStopAtOnce = () => resolve('stopped-at-once')
    })
    const heartbeat = this.startHeartbeat()
    const unsubscribe = await this.subscribe()
    try {
      return await Promise.race([this.loop(), stoppedAtOnce])
    } finally {
      if (heartbeat) clearInterval(heartbeat)
      await unsubscribe?.().catch(() => {})
    }
  }

  /** Ids of the jobs in hand now. */
  jobIdsInHand(): number[] {
    return [...this.running.keys()]
  }

  /** First call: finish the jobs in hand, take no new ones. With `atOnce`: abort them and return now. */
  stop({ atOnce = false }: { atOnce?: boolean } = {}): void {
    this.stopping = true
    this.alarm.wake()
    if (atOnce) {
      this.stopController.abort(new Error('the worker was stopped at once (second SIGINT or SIGTERM)'))
      this.wakeOnStopAtOnce?.()
    }
  }

  private async loop(): Promise<WorkerExit> {
    const { options } = this
    const { logger } = options
    if (options.mode === 'clear') return this.clear()

    logger.info(
      `[jobs-kit] ${options.processName} ${options.mode === 'workoff' ? 'working off' : 'working'} ` +
        `queue ${options.queues === '*' ? '*' : options.queues.join(', ')} (concurrency ${options.concurrency})`,
    )
    while (!this.stopping) {
      const freeSlots = this.freeSlots()
      if (freeSlots <= 0) {
        await this.untilOneFinishes()
        continue
      }

      let found: StoredJob[]
      this.reservedSlots += freeSlots
      try {
        found = await options.adapter.find(this.findInput(freeSlots))
      } catch (thrown) {
        if ((thrown as { code?: unknown } | null)?.code === 'MODEL_NOT_FOUND') {
          // No jobs table where the adapter looks (or no such model): retrying every sleepDelay cannot help.
          logger.error(`[jobs-kit] ${options.processName} stops: ${(thrown as Error).message}`)
          this.cannotWork = true
          break
        }
        if (thrown instanceof AdapterSettingsError) {
          // Settings the adapter can never accept: retrying would log this every sleepDelay for ever.
          logger.error(`[jobs-kit] ${options.processName} stops: its adapter refuses its settings. ${thrown.message}`)
          this.cannotWork = true
          break
        }
        logger.error(
          `[jobs-kit] ${options.processName} could not look for jobs; trying again in ${options.sleepDelaySeconds} s: ` +
            describeError(toError(thrown)),
        )
        await this.sleep(options.sleepDelaySeconds)
        continue
      } finally {
        this.reservedSlots -= freeSlots
      }

      if (this.startAll(found) > 0) continue

      if (this.running.size > 0) {
        // Nothing due right now, but a slot frees up when a job ends: look
        // again then, or after the usual delay, whichever comes first.
        await Promise.race([this.untilOneFinishes(), this.sleep(options.sleepDelaySeconds)])
      } else if (options.mode === 'workoff') {
        break
      } else {
        logger.debug(`[jobs-kit] ${options.processName} found no due job, sleeping ${options.sleepDelaySeconds} s`)
        await this.sleep(options.sleepDelaySeconds)
      }
    }

    if (this.running.size > 0) {
      logger.info(`[jobs-kit] ${options.processName} finishing ${this.running.size} job(s) in hand before it stops`)
    }
    // A job finishing now may still hand over the next one it found: wait for those too.
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((entry) => entry.done))
    await Promise.all(this.releasing)
    if (this.cannotWork || this.restartNeeded) return 'failed'
    logger.info(`[jobs-kit] ${options.processName} ${this.stopping ? 'stopped' : 'is done: no job is due'}`)
    return this.stopping ? 'stopped' : 'done'
  }

  /** Slots neither running a job nor promised to a find in flight. */
  private freeSlots(): number {
    return this.options.concurrency - this.running.size - this.reservedSlots
  }

  /**
   * Starts the jobs a find locked for this worker; returns how many. Once
   * stopping, starts none and gives them back instead (a find that was in
   * flight when the stop came).
   */
  private startAll(jobs: StoredJob[]): number {
    if (jobs.length === 0) return 0
    if (this.stopping) {
      this.giveBack(jobs)
      return 0
    }
    let started = 0
    for (const job of jobs) if (this.start(job)) started += 1
    return started
  }

  /** Unlocks jobs this worker locked but will not run, so others need not wait for them to go stale. */
  private giveBack(jobs: StoredJob[]): void {
    const { adapter, logger, processName } = this.options
    if (!adapter.release) return
    const release = adapter.release({ jobs }).catch((thrown: unknown) => {
      logger.warn(
        `[jobs-kit] ${processName} could not give back ${jobs.length} job(s) it found while stopping; ` +
          `they run after a restart or once their locks are stale: ${describeError(toError(thrown))}`,
      )
    })
    this.releasing.add(release)
    void release.finally(() => this.releasing.delete(release))
  }

  /** Starts running `job`; false when a run of it is already in hand. */
  private start(job: StoredJob): boolean {
    if (this.running.has(job.id)) {
      // Handed back while its run is still in hand: its lock went stale (a
      // stall longer than the stale threshold) and this worker took it again.
      // Never run it beside itself; the run in hand records its outcome on
      // the row, which is still locked under this worker's name.
      this.options.logger.warn(`[jobs-kit] ${this.options.processName} took job ${job.id} again while running it; not starting it twice`)
      return false
    }
    const done = this.runJob(job)
    this.running.set(job.id, { job, done })
    return true
  }

  /**
   * Runs `job` and hands its outcome to `onJobDone`; settles once it is out
   * of `running`. One async function rather than a then/catch/finally chain
   * on executeJob's promise: two promises fewer per job.
   */
  private async runJob(job: StoredJob): Promise<void> {
    try {
      const outcome = await executeJob(job, this.executeOptions)
      this.options.onJobDone?.(job, outcome)
    } catch (thrown) {
      // executeJob does not throw; should a bug make it, the loop must go on.
      this.options.logger.error(`[jobs-kit] ${describeError(toError(thrown))}`)
    } finally {
      this.running.delete(job.id)
      const finished = this.jobFinished
      this.jobFinished = undefined
      finished?.resolve()
    }
  }

  /**
   * The find made with a batch of successes: the slots its jobs free plus any
   * other free one, reserved until the jobs come back. Undefined when
   * stopping or when there is no slot to fill.
   */
  private nextFind(freedSlots: number): NextFind | undefined {
    if (this.stopping) return undefined
    const limit = this.freeSlots() + freedSlots
    if (limit <= 0) return undefined
    this.reservedSlots += limit
    // When it found nothing, the loop still looks once more before it
    // sleeps: skipping that look cost the benchmark's pickup latency 4×
    // (p50 104 ms vs 25 ms), because a job scheduled while this one was
    // finishing then waited a whole sleepDelay.
    return new RefillFind(this.findInput(limit), limit, this.refilled)
  }

  /** Takes the jobs a find made with successes locked, and frees the `limit` slots it reserved. */
  private readonly refilled = (limit: number, jobs: StoredJob[]): void => {
    this.reservedSlots -= limit
    this.startAll(jobs)
  }

  private findInput(limit: number): FindInput {
    return {
      processName: this.options.processName,
      staleAfterSeconds: this.lockTiming().staleAfterSeconds,
      workerStartedAt: this.clockFloor(),
      queues: this.options.queues,
      limit,
    }
  }

  /** `startedAt`, first lowered to now if the clock went back: no lock this worker writes after this call is older. */
  private clockFloor(): Date {
    const now = Date.now()
    if (now < this.startedAt.getTime()) this.startedAt = new Date(now)
    return this.startedAt
  }

  private lockTiming(): LockTiming {
    return this.options.lockTiming ?? getLockTiming(this.options.maxRuntimeSeconds, this.options.adapter.heartbeat !== undefined)
  }

  /** Sleeps between polls; not at all once stopping (stop() may have come while we were querying). */
  private sleep(seconds: number): Promise<void> {
    return this.stopping ? Promise.resolve() : this.alarm.sleep(seconds)
  }

  /**
   * Settles once a job in hand finishes. One promise shared by every wait
   * and settled by `runJob`, rather than a race over the running jobs' promises
   * made anew for each wait (at concurrency 1 the loop waits once per job).
   */
  private untilOneFinishes(): Promise<void> {
    if (this.jobFinished === undefined) {
      let resolve!: () => void
      const promise = new Promise<void>((settle) => (resolve = settle))
      this.jobFinished = { promise, resolve }
    }
    return this.jobFinished.promise
  }

  /**
   * Asks the adapter to wake this worker when a job is due (see
   * `JobsAdapter.subscribe`). Without it, or when it fails, the worker polls
   * every `sleepDelay` as always.
   */
  private async subscribe(): Promise<(() => Promise<void>) | undefined> {
    const { adapter, queues, logger, processName, mode } = this.options
    if (!adapter.subscribe || mode === 'clear') return undefined
    try {
      return await adapter.subscribe({ queues, wake: () => this.alarm.wake(), sleeping: () => this.alarm.sleeping })
    } catch (thrown) {
      logger.error(
        `[jobs-kit] ${processName} cannot be woken for new jobs, so it polls every ${this.options.sleepDelaySeconds} s only: ` +
          describeError(toError(thrown)),
      )
      return undefined
    }
  }

  /** Renews the locks of the jobs in hand every heartbeat interval, while `run()` lasts. */
  private startHeartbeat(): NodeJS.Timeout | undefined {
    const { adapter, processName, logger } = this.options
    const { heartbeatIntervalSeconds } = this.lockTiming()
    if (heartbeatIntervalSeconds === undefined || this.options.mode === 'clear') return undefined
    const timer = setInterval(() => {
      if (this.running.size === 0 || this.stopController.signal.aborted) return
      const jobs = [...this.running.values()].map((entry) => entry.job)
      // The renewed lockedAt must not look older than this worker's start (see clockFloor).
      this.clockFloor()
      adapter.heartbeat!({ jobs, processName }).catch((thrown: unknown) => {
        logger.warn(`[jobs-kit] ${processName} could not renew its job locks: ${describeError(toError(thrown))}`)
      })
    }, heartbeatIntervalSeconds * 1000)
    // The poll loop keeps the process alive; the heartbeat alone should not.
    timer.unref()
    return timer
  }

  private async clear(): Promise<WorkerExit> {
    const { adapter, queues, logger, processName } = this.options
    try {
      const count = await adapter.clear(queues === '*' ? {} : { queues })
      logger.info(`[jobs-kit] ${processName} cleared ${count} job(s) from queue ${queues === '*' ? '*' : queues.join(', ')}`)
    } catch (thrown) {
      logger.error(`[jobs-kit] ${processName} could not clear jobs: ${describeError(toError(thrown))}`)
      return 'failed'
    }
    return 'done'
  }
}

/**
 * The find a batch of successes makes (see `Worker.nextFind`). A class, not
 * an object literal with an arrow function: tsx compiles with esbuild's
 * `keepNames`, which names every arrow assigned to a property with a
 * defineProperty call each time it is made: `__name` in worker.ts had 19 ms
 * of self time in the profile of an 8,000-job PostgreSQL drain (~2 µs a job).
 */
class RefillFind implements NextFind {
  constructor(
    readonly input: FindInput,
    private readonly limit: number,
    private readonly refilled: (limit: number, jobs: StoredJob[]) => void,
  ) {}

  onFound(jobs: StoredJob[]): void {
    this.refilled(this.limit, jobs)
  }
}
