import type { FindInput, Job, JobsAdapter, Logger, StoredJob } from '../types.js'
import { executeJob } from './execute-job.js'
import { Alarm } from './sleep.js'
import { getLockTiming } from './stale-lock.js'
import { describeError, toError } from './to-error.js'

/** Everything one worker needs; the runner builds it from the app's jobs config. */
export interface WorkerOptions {
  adapter: JobsAdapter
  /** Finds a job by its registry name (`jobManager.loadJob`). */
  loadJob: (name: string) => Promise<Job<string, unknown[]> | undefined>
  /** Already guarded (see `guard-logger.ts`). */
  logger: Logger
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
  private readonly stopController = new AbortController()
  private stopping = false
  private wakeOnStopAtOnce: (() => void) | undefined

  constructor(options: WorkerOptions) {
    this.options = options
  }

  /** Runs until stopped, or until done in `workoff`/`clear` mode. Never throws; `'failed'` when `clear` failed. */
  async run(): Promise<WorkerExit> {
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
      const freeSlots = options.concurrency - this.running.size
      if (freeSlots <= 0) {
        await this.untilOneFinishes()
        continue
      }

      let found: StoredJob[]
      try {
        found = await options.adapter.find(this.findInput(freeSlots))
      } catch (thrown) {
        logger.error(
          `[jobs-kit] ${options.processName} could not look for jobs; trying again in ${options.sleepDelaySeconds} s: ` +
            describeError(toError(thrown)),
        )
        await this.sleep(options.sleepDelaySeconds)
        continue
      }

      const started = found.filter((job) => this.start(job))
      if (started.length > 0) continue

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
    logger.info(`[jobs-kit] ${options.processName} ${this.stopping ? 'stopped' : 'is done: no job is due'}`)
    return this.stopping ? 'stopped' : 'done'
  }

  /** Starts running `job`; false when it is already in hand. */
  private start(job: StoredJob): boolean {
    if (this.running.has(job.id)) {
      // An adapter may hand back a job this very process holds (it takes back
      // the jobs locked under its name, meant for restarts): never run it twice.
      return false
    }
    const done = executeJob(job, {
      adapter: this.options.adapter,
      loadJob: this.options.loadJob,
      logger: this.options.logger,
      maxAttempts: this.options.maxAttempts,
      maxRuntimeSeconds: this.options.maxRuntimeSeconds,
      deleteFailedJobs: this.options.deleteFailedJobs,
      deleteSuccessfulJobs: this.options.deleteSuccessfulJobs,
      stopSignal: this.stopController.signal,
      // The slot this job frees, plus any other free one.
      nextFind: () => (this.stopping ? undefined : this.findInput(this.options.concurrency - this.running.size + 1)),
      // When it found nothing, the loop still looks once more before it
      // sleeps: skipping that look cost the benchmark's pickup latency 4×
      // (p50 104 ms vs 25 ms), because a job scheduled while this one was
      // finishing then waited a whole sleepDelay.
      onFound: (jobs) => {
        for (const next of jobs) this.start(next)
      },
    })
      // executeJob does not throw; should a bug make it, the loop must go on.
      .catch((thrown: unknown) => this.options.logger.error(`[jobs-kit] ${describeError(toError(thrown))}`))
      .finally(() => this.running.delete(job.id))
    this.running.set(job.id, { job, done })
    return true
  }

  private findInput(limit: number): FindInput {
    return {
      processName: this.options.processName,
      maxRuntime: getLockTiming(this.options.maxRuntimeSeconds, this.options.adapter.heartbeat !== undefined).staleAfterSeconds,
      queues: this.options.queues,
      limit,
    }
  }

  /** Sleeps between polls; not at all once stopping (stop() may have come while we were querying). */
  private sleep(seconds: number): Promise<void> {
    return this.stopping ? Promise.resolve() : this.alarm.sleep(seconds)
  }

  private untilOneFinishes(): Promise<unknown> {
    return Promise.race([...this.running.values()].map((entry) => entry.done))
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
      return await adapter.subscribe({ queues, wake: () => this.alarm.wake() })
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
    const { adapter, processName, logger, maxRuntimeSeconds } = this.options
    const { heartbeatIntervalSeconds } = getLockTiming(maxRuntimeSeconds, adapter.heartbeat !== undefined)
    if (heartbeatIntervalSeconds === undefined || this.options.mode === 'clear') return undefined
    const timer = setInterval(() => {
      if (this.running.size === 0 || this.stopController.signal.aborted) return
      const jobs = [...this.running.values()].map((entry) => entry.job)
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
