import { DEAD_WORKER_KEPT_SECONDS, DEFAULT_HEARTBEAT_INTERVAL_SECONDS, JOB_COUNTS_KEPT_SECONDS } from '../defaults.js'
import type { Logger } from '../types.js'
import { describeError, toError } from '../worker/to-error.js'
import type { JobOutcome } from '../worker/execute-job.js'
import { isRegistryMissing, minuteOf, REGISTRY_MISSING_ADVICE, type JobCount, type WorkerRegistry, type WorkerRow } from './worker-registry.js'

export interface WorkerRegistrationOptions {
  registry: WorkerRegistry
  /** `lockedBy` of the worker's jobs (`<host>:<title>`). */
  name: string
  host: string
  pid: number
  queues: '*' | readonly string[]
  concurrency: number
  /** Ids of the jobs the worker has in hand now. */
  jobIdsInHand: () => number[]
  logger: Logger
  /** Seconds between two writes; the lock heartbeat's by default (tests shorten it). */
  intervalSeconds?: number
  now?: () => Date
}

/** Beats between two clean-ups of dead rows and old counts: every 10 minutes at the default 15 s. */
const BEATS_PER_CLEANUP = 40

/** Milliseconds a stopping worker waits for its last registry writes; a database that hangs must not hold the exit. */
const STOP_WRITE_TIMEOUT_MS = 5_000

/**
 * One worker's presence in the registry: writes its row when it starts,
 * updates it every heartbeat (one `UPDATE`, with the jobs in hand and its
 * totals), adds the minute's counts of jobs done and given up, and deletes
 * the row on a clean stop. A killed worker's row stays, its heartbeat ages,
 * and readers show it as dead; any worker deletes such rows after
 * `DEAD_WORKER_KEPT_SECONDS`.
 *
 * Never in the way of jobs: every write runs on its own timer, nothing
 * waits for it, and a failure is logged once (then again only after a write
 * succeeded) and tried again at the next beat. An app whose database has no
 * registry (set up before it) is detected at the first write, told what to
 * run, and not written to again.
 */
export class WorkerRegistration {
  private readonly options: WorkerRegistrationOptions
  private timer: NodeJS.Timeout | undefined
  private inFlight: Promise<void> | undefined
  private registered = false
  private missing = false
  private failing = false
  private beats = 0
  private done = 0
  private failed = 0
  private readonly startedAt: Date
  /** Counts not written yet, by minute and queue. */
  private pending = new Map<string, JobCount>()

  constructor(options: WorkerRegistrationOptions) {
    this.options = options
    this.startedAt = this.now()
  }

  /** Registers in the background and beats until `stop()`. Returns at once. */
  start(): void {
    this.write()
    this.timer = setInterval(() => this.write(), (this.options.intervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS) * 1000)
    // The poll loop keeps the process alive; the registry alone should not.
    this.timer.unref()
  }

  /** Counts a job's outcome: succeeded is done, gave-up is failed; a failed attempt (to be retried) or an interrupted job is neither. */
  recordOutcome(queue: string, outcome: JobOutcome): void {
    if (outcome !== 'succeeded' && outcome !== 'gave-up') return
    const minute = minuteOf(this.now())
    const key = `${minute.getTime()} ${queue}`
    const count = this.pending.get(key) ?? { minute, queue, done: 0, failed: 0 }
    if (outcome === 'succeeded') {
      count.done += 1
      this.done += 1
    } else {
      count.failed += 1
      this.failed += 1
    }
    this.pending.set(key, count)
  }

  /** A clean stop: writes the last counts and deletes the row, waiting at most a few seconds. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    const last = (async () => {
      await this.inFlight
      if (this.missing) return
      try {
        await this.flushCounts()
        await this.options.registry.remove(this.options.name)
      } catch (thrown) {
        this.options.logger.warn(`[jobs-kit] ${this.options.name} could not remove itself from the worker registry; it shows as dead until cleaned up: ${describeError(toError(thrown))}`)
      }
    })()
    let timeout: NodeJS.Timeout | undefined
    await Promise.race([last, new Promise<void>((resolve) => { timeout = setTimeout(resolve, STOP_WRITE_TIMEOUT_MS) })])
    clearTimeout(timeout)
  }

  /** One beat, unless the previous one is still writing (a slow database gets no pile of writes). */
  private write(): void {
    if (this.missing || this.inFlight) return
    this.inFlight = this.beat().finally(() => {
      this.inFlight = undefined
    })
  }

  private async beat(): Promise<void> {
    const { registry, name, logger } = this.options
    try {
      const heartbeatAt = this.now()
      if (!this.registered || !(await registry.beat(name, { heartbeatAt, jobIds: this.options.jobIdsInHand(), done: this.done, failed: this.failed }))) {
        await registry.register(this.row(heartbeatAt))
        this.registered = true
      }
      await this.flushCounts()
      if (this.beats++ % BEATS_PER_CLEANUP === 0) {
        const now = heartbeatAt.getTime()
        await registry.forget({ deadBefore: new Date(now - DEAD_WORKER_KEPT_SECONDS * 1000), countsBefore: new Date(now - JOB_COUNTS_KEPT_SECONDS * 1000) })
      }
      if (this.failing) logger.info(`[jobs-kit] ${name} is writing to the worker registry again`)
      this.failing = false
    } catch (thrown) {
      // Missing at the first write: an app set up before the registry, told once and not written again. Gone after
      // this worker wrote to it (prisma migrate reset, db push --force-reset while it runs): a failure like any other,
      // tried again at each beat, so the worker shows up again once the table is back.
      if (isRegistryMissing(thrown) && !this.registered) {
        this.missing = true
        logger.warn(`[jobs-kit] ${name} runs jobs as usual, but cannot register itself: this app's database has no worker registry, so \`status\` and the dashboard list workers only by their locks and pid files. ${REGISTRY_MISSING_ADVICE}`)
        return
      }
      if (!this.failing) logger.warn(`[jobs-kit] ${name} could not write to the worker registry (jobs run as usual; trying again at the next heartbeat): ${describeError(toError(thrown))}`)
      this.failing = true
    }
  }

  /** Writes the pending counts; those not written stay pending for the next beat. */
  private async flushCounts(): Promise<void> {
    if (this.pending.size === 0) return
    const counts = [...this.pending.values()]
    this.pending = new Map()
    for (let index = 0; index < counts.length; index++) {
      try {
        await this.options.registry.addCounts(this.options.name, [counts[index]!])
      } catch (thrown) {
        for (const count of counts.slice(index)) this.putBack(count)
        throw thrown
      }
    }
  }

  private putBack(count: JobCount): void {
    const key = `${count.minute.getTime()} ${count.queue}`
    const newer = this.pending.get(key)
    this.pending.set(key, newer ? { ...count, done: count.done + newer.done, failed: count.failed + newer.failed } : count)
  }

  private row(heartbeatAt: Date): WorkerRow {
    const { name, host, pid, queues, concurrency } = this.options
    return {
      name,
      host,
      pid,
      // The column is VARCHAR(191) on MySQL; the full list is in the jobs config.
      queues: (queues === '*' ? '*' : queues.join(',')).slice(0, 191),
      concurrency,
      startedAt: this.startedAt,
      heartbeatAt,
      jobIds: this.options.jobIdsInHand(),
      done: this.done,
      failed: this.failed,
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date()
  }
}
