import { hostname } from 'node:os'
import type { Logger } from '../types.js'
import type { LogLevel } from '../worker/guard-logger.js'
import { guardLogger } from '../worker/guard-logger.js'
import { describeError, toError } from '../worker/to-error.js'
import { Worker } from '../worker/worker.js'
import { createRecurringScheduler, removeSchedulesOfRemovedEntries } from '../recurring/start-recurring.js'
import { findRegistry } from '../registry/find-registry.js'
import { WorkerRegistration } from '../registry/worker-registration.js'
import { RunnerUsageError, WorkerStartError } from './errors.js'
import type { RunnerJobManager } from './job-manager-shape.js'
import { readPidFiles, removePidFile, writePidFile } from './pid-files.js'
import { oncePerKeypress } from './signals.js'
import { handOver, takeBack } from './startup-signals.js'
import { workerProcessName } from './worker-name.js'
import type { WorkerSpec } from './worker-specs.js'

/** Exit codes of a worker process. */
export const EXIT_OK = 0
export const EXIT_FAILED = 1
/** Stopped at once by a second SIGINT (128 + 2, as shells report it). */
export const EXIT_SIGINT = 130
/** Stopped at once by SIGTERM (128 + 15). */
export const EXIT_SIGTERM = 143

export interface RunWorkerOptions {
  jobs: RunnerJobManager
  spec: WorkerSpec
  mode: 'work' | 'workoff' | 'clear'
  logLevel: LogLevel
  /** Where `.jobs-kit/pids/` lives. */
  appRoot: string
  /** `--logger <export>`: overrides the worker entry's and the config's logger. */
  logger?: Logger
}

/**
 * Runs one worker in this process until it is done or stopped, and returns
 * the exit code for the CLI. Sets the process title to the worker's name and
 * keeps a pid file while it runs, so `stop` and `status` find it and a second
 * worker of the same name (which would share its `lockedBy`) refuses to start.
 *
 * Signals: the first SIGINT finishes the jobs in hand and takes no new ones
 * (exit 0); a second SIGINT, at least a second later (copies relayed by npm
 * and tsx arrive sooner; see `signals.ts`), (exit 130) or SIGTERM (exit 143) aborts the running
 * jobs' signals and returns at once, leaving their rows locked under this
 * worker's name: a worker restarted with the same name takes them back at
 * once, any other after the stale-lock threshold.
 */
export async function runWorker({ jobs, spec, mode, logLevel, appRoot, logger: ownLogger }: RunWorkerOptions): Promise<number> {
  const logger = guardLogger(ownLogger ?? spec.config.logger ?? jobs.logger ?? console, logLevel)
  const adapter = jobs.adapters[spec.config.adapter]
  if (adapter === undefined) {
    throw new RunnerUsageError(
      `Worker ${spec.title} uses adapter "${spec.config.adapter}", which is not configured. ` +
        `Use one of: ${Object.keys(jobs.adapters).join(', ')}.`,
    )
  }
  process.title = spec.title
  const running = readPidFiles(appRoot).find((entry) => entry.title === spec.title && entry.alive)
  if (running && running.pid !== process.pid) {
    throw new WorkerStartError(
      `Worker ${spec.title} is already running (pid ${running.pid}); two workers with one name would take each ` +
        'other\'s jobs. Stop it first (`stop`), or run this one with another --id.',
    )
  }
  // Recurring entries: checked before the worker takes anything, so a wrong one stops it with its name.
  const recurring = mode === 'clear' ? undefined : await createRecurringScheduler(jobs, { logger, preferredAdapter: spec.config.adapter })
  // No entries (left): the rows of removed ones must go, or an entry added back later would catch up on the gap.
  if (!recurring && mode !== 'clear') await removeSchedulesOfRemovedEntries(jobs, { logger, preferredAdapter: spec.config.adapter })
  writePidFile(appRoot, spec.title, process.pid)

  const processName = workerProcessName(spec.title)
  // Workers on every host write themselves here, for `status` and the dashboard (not in `clear`: it runs no jobs).
  const registry = mode === 'clear' ? undefined : findRegistry(jobs.adapters, spec.config.adapter)
  let registration: WorkerRegistration | undefined
  const worker: Worker = new Worker({
    adapter,
    loadJob: (name) => jobs.loadJob(name),
    logger,
    hooks: jobs.hooks,
    processName,
    queues: spec.config.queue,
    maxAttempts: spec.config.maxAttempts,
    maxRuntimeSeconds: spec.config.maxRuntime,
    sleepDelaySeconds: spec.config.sleepDelay,
    deleteFailedJobs: spec.config.deleteFailedJobs,
    deleteSuccessfulJobs: spec.config.deleteSuccessfulJobs,
    concurrency: spec.config.concurrency,
    onJobDone: (job, outcome) => registration?.recordOutcome(job.queue, outcome),
    mode,
  })
  if (registry) {
    registration = new WorkerRegistration({
      registry,
      name: processName,
      host: hostname(),
      pid: process.pid,
      queues: spec.config.queue,
      concurrency: spec.config.concurrency,
      jobIdsInHand: () => worker.jobIdsInHand(),
      logger,
    })
  }

  let exitCode: number | undefined
  let interrupts = 0
  // npm and tsx relay the terminal's SIGINT: copies within a second are the same Ctrl-C.
  const onSigint = oncePerKeypress(() => {
    interrupts += 1
    if (interrupts === 1) {
      logger.info(`[jobs-kit] ${spec.title} got SIGINT: finishing the jobs in hand, then exiting (SIGINT again to stop at once)`)
      worker.stop()
    } else {
      logger.warn(`[jobs-kit] ${spec.title} got a second SIGINT: stopping at once`)
      exitCode = EXIT_SIGINT
      worker.stop({ atOnce: true })
    }
  })
  const onSigterm = () => {
    logger.warn(`[jobs-kit] ${spec.title} got SIGTERM: stopping at once`)
    exitCode = EXIT_SIGTERM
    worker.stop({ atOnce: true })
  }
  // A job that starts a promise it never awaits, which then rejects, would
  // otherwise crash the worker (Node's default) and every job it holds.
  const onUnhandledRejection = (reason: unknown) => {
    logger.error(`[jobs-kit] ${spec.title}: a job left a promise rejection unhandled: ${describeError(toError(reason))}`)
  }
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigterm)
  process.on('unhandledRejection', onUnhandledRejection)
  // A Ctrl-C while this process loaded the config and got here: stop as a first SIGINT stops, with nothing in hand.
  const startup = handOver()
  try {
    if (startup.interrupted) {
      logger.info(`[jobs-kit] ${spec.title} got SIGINT while starting: exiting without taking any job`)
      return EXIT_OK
    }
    // `work` enqueues recurring jobs for as long as it runs; `workoff` enqueues what is due once, then works it off.
    let recurringRun: Promise<void> | undefined
    registration?.start()
    if (recurring && mode === 'work') recurringRun = recurring.run()
    if (recurring && mode === 'workoff') await recurring.sync().then(() => recurring.check())
    const exit = worker.run()
    tellParentReady()
    const exitMode = await exit
    recurring?.stop()
    await recurringRun
    // Stopped at once too (second SIGINT, SIGTERM): a worker that was stopped is not dead. Only a killed one leaves its row.
    await registration?.stop()
    return exitCode ?? (exitMode === 'failed' ? EXIT_FAILED : EXIT_OK)
  } finally {
    takeBack()
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigterm)
    process.off('unhandledRejection', onUnhandledRejection)
    removePidFile(appRoot, spec.title, process.pid)
  }
}

/**
 * Tells a parent that started this worker with an IPC channel that it is up:
 * its signal handlers are in place and it polls for jobs. pm2's `wait_ready`
 * waits for exactly this message before it counts the process as online (and
 * before a reload stops the old one). Without a channel (a terminal, `start`'s
 * detached workers, systemd) there is no one to tell.
 */
function tellParentReady(): void {
  if (typeof process.send !== 'function' || !process.connected) return
  // A parent that closed the channel in the meantime waits for nothing: the callback takes the error.
  process.send('ready', undefined, {}, () => {})
}
