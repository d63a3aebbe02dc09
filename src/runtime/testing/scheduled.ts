import { isDeepStrictEqual } from 'node:util'
import { JobsKitError } from '../errors.js'
import { getJobDefinition } from '../manager/job-definition.js'
import { runAttempt, outcomeHooks } from '../manager/run-attempt.js'
import type { RedwoodJob, RedwoodJobClass } from '../manager/redwood-job.js'
import { onScheduled, type ScheduledJob } from '../manager/schedule-job.js'
import type { Job, JobContext, JobFailure, LifecycleHooks, Logger, Uninferred } from '../types.js'

/** `expectScheduled` found no matching job, or `runScheduled` ran jobs that failed. */
export class ScheduledJobAssertionError extends JobsKitError {
  constructor(message: string) {
    super('SCHEDULED_JOB_ASSERTION', message)
  }
}

/** A job stored while recording, as `scheduledJobs()` lists it. */
export interface RecordedJob extends ScheduledJob {
  /** When it was scheduled (this process's clock). */
  scheduledAt: Date
  /** Whether `runScheduled` has run it. */
  ran: boolean
}

/** What to match besides the job and its arguments. */
export interface ScheduledMatch {
  queue?: string
  priority?: number
  /** Seconds from scheduling to `runAt`, within a second. */
  wait?: number
  /** The exact `runAt`. */
  waitUntil?: Date
}

/** A class-style job whose `perform` takes `TArgs`. */
type ClassJob<TArgs extends unknown[]> = RedwoodJobClass & { prototype: { perform(...args: TArgs): unknown } }
/** An instance of a class-style job, which stands for its class. */
type ClassJobInstance<TArgs extends unknown[]> = RedwoodJob & { perform(...args: TArgs): unknown }

const recorded: RecordedJob[] = []

// Recording starts when this module is imported, so a test file that imports
// the helpers sees every job its code schedules, in both styles and through
// any adapter (the real test database or a MemoryAdapter).
onScheduled((scheduled) => void recorded.push({ ...scheduled, scheduledAt: new Date(), ran: false }))

/** Every job scheduled since the last `clearScheduled()`, oldest first. */
export function scheduledJobs(): readonly RecordedJob[] {
  return recorded
}

/** Forgets what was scheduled so far (call it in `beforeEach`). Stored rows are not touched. */
export function clearScheduled(): void {
  recorded.length = 0
}

/**
 * Asserts that the code under test scheduled `job` (with `args`, when given,
 * compared as the worker will receive them: after the JSON round trip) and
 * returns the matching record. Typed like `later()`: `args` must fit `perform`.
 *
 * ```ts
 * await createUser({ input })
 * expectScheduled(SendWelcomeEmailJob, [user.id], { wait: 300 })
 * ```
 *
 * @throws {ScheduledJobAssertionError} listing what was scheduled instead.
 */
export function expectScheduled<TArgs extends unknown[]>(job: Job<string, TArgs>, args?: Uninferred<TArgs>, match?: ScheduledMatch): RecordedJob
export function expectScheduled<TArgs extends unknown[]>(job: ClassJob<TArgs>, args?: Uninferred<TArgs>, match?: ScheduledMatch): RecordedJob
export function expectScheduled<TArgs extends unknown[]>(job: ClassJobInstance<TArgs>, args?: Uninferred<TArgs>, match?: ScheduledMatch): RecordedJob
export function expectScheduled(job: object, args?: unknown[], match: ScheduledMatch = {}): RecordedJob {
  const found = recorded.find((entry) => matches(entry, job, args, match))
  if (!found) {
    throw new ScheduledJobAssertionError(
      `Expected ${describeCall(job, args, match)} to be scheduled, but it was not. Scheduled: ${describeRecorded()}.`,
    )
  }
  return found
}

/** Asserts that no job like this was scheduled (any arguments when `args` is left out). */
export function expectNotScheduled<TArgs extends unknown[]>(job: Job<string, TArgs>, args?: Uninferred<TArgs>, match?: ScheduledMatch): void
export function expectNotScheduled<TArgs extends unknown[]>(job: ClassJob<TArgs>, args?: Uninferred<TArgs>, match?: ScheduledMatch): void
export function expectNotScheduled<TArgs extends unknown[]>(job: ClassJobInstance<TArgs>, args?: Uninferred<TArgs>, match?: ScheduledMatch): void
export function expectNotScheduled(job: object, args?: unknown[], match: ScheduledMatch = {}): void {
  const found = recorded.filter((entry) => matches(entry, job, args, match))
  if (found.length > 0) {
    throw new ScheduledJobAssertionError(`Expected ${describeCall(job, args, match)} not to be scheduled, but it was ${found.length} time(s).`)
  }
}

/** How one job ran in `runScheduled`. */
export interface ScheduledRun {
  job: RecordedJob
  /** Undefined when it succeeded. */
  error?: Error
}

export interface RunScheduledOptions {
  /** Your `JobManager` (`jobs`): its lifecycle hooks run around each job's, and its logger is the default `this.logger`. */
  jobs?: { readonly hooks?: LifecycleHooks; readonly logger?: Logger }
  /** Throw when a job failed (default true): a `ScheduledJobAssertionError` naming each failure. */
  throwOnFailure?: boolean
  /** Jobs scheduled while running count too; after this many rounds (default 10) jobs still scheduled are an error, so a job that schedules itself ends. */
  maxRounds?: number
}

/**
 * Runs every recorded job that has not run yet, inline, now, the way a worker
 * would: arguments after the JSON round trip (a Date arrives as its ISO
 * string), `beforePerform` → `perform` → `afterPerform`, then `afterSuccess`
 * or `afterFailure` (with `willRetry: false`), in priority, then `runAt`
 * order, whatever their `runAt`. Jobs they schedule run too, in a next round.
 *
 * It does not touch the stored rows (a real database keeps them until your
 * test resets it); to test the real path end to end, run a worker
 * (`npm run jobs -- workoff`).
 */
export async function runScheduled(options: RunScheduledOptions = {}): Promise<ScheduledRun[]> {
  const runs: ScheduledRun[] = []
  for (let round = 0; round < (options.maxRounds ?? 10); round++) {
    const pending = recorded
      .filter((entry) => !entry.ran)
      .sort((a, b) => a.priority - b.priority || a.runAt.getTime() - b.runAt.getTime() || recorded.indexOf(a) - recorded.indexOf(b))
    if (pending.length === 0) break
    for (const entry of pending) {
      entry.ran = true
      runs.push({ job: entry, error: await runOne(entry, options) })
    }
  }
  const left = recorded.filter((entry) => !entry.ran)
  if (left.length > 0) {
    // Stopping quietly would let a test pass with scheduled work never run.
    throw new ScheduledJobAssertionError(
      `runScheduled stopped after ${options.maxRounds ?? 10} rounds with ${left.length} job(s) still scheduled ` +
        `(${[...new Set(left.map((entry) => entry.name))].join(', ')}): does a job schedule itself? ` +
        'Pass runScheduled({ maxRounds }) to run more rounds.',
    )
  }
  const failed = runs.filter((run) => run.error)
  if (failed.length > 0 && options.throwOnFailure !== false) {
    throw new ScheduledJobAssertionError(
      `runScheduled: ${failed.length} of ${runs.length} job(s) failed: ` +
        failed.map((run) => `${run.job.name} (id ${run.job.id}): ${run.error!.message}`).join('; '),
    )
  }
  return runs
}

async function runOne(entry: RecordedJob, options: RunScheduledOptions): Promise<Error | undefined> {
  const definition = getJobDefinition<unknown[]>(entry.job)
  if (!definition) return new Error(`${entry.name} is not a job made by createJob or a RedwoodJob class`)
  const args = JSON.parse(JSON.stringify(entry.args)) as unknown[]
  const context: JobContext = {
    id: entry.id,
    name: entry.name,
    attempt: 1,
    signal: new AbortController().signal,
    logger: definition.logger ?? options.jobs?.logger ?? console,
  }
  let failure: JobFailure | undefined
  try {
    await runAttempt(definition, options.jobs?.hooks, args, context)
  } catch (thrown) {
    failure = { error: thrown instanceof Error ? thrown : new Error(String(thrown)), willRetry: false }
  }
  for (const hook of outcomeHooks(definition, options.jobs?.hooks, args, context, failure)) {
    try {
      await hook.call()
    } catch (thrown) {
      // As in a worker, a throwing outcome hook changes nothing; say so where tests look.
      context.logger.error(`[jobs-kit] ${entry.name} (id ${entry.id}): the ${hook.label} threw: ${String(thrown)}`)
    }
  }
  return failure?.error
}

function matches(entry: RecordedJob, job: object, args: unknown[] | undefined, match: ScheduledMatch): boolean {
  if (entry.job !== jobOf(job)) return false
  if (args !== undefined && !isDeepStrictEqual(roundTrip(entry.args), roundTrip(args))) return false
  if (match.queue !== undefined && entry.queue !== match.queue) return false
  if (match.priority !== undefined && entry.priority !== match.priority) return false
  if (match.waitUntil !== undefined && entry.runAt.getTime() !== match.waitUntil.getTime()) return false
  if (match.wait !== undefined && Math.abs(entry.runAt.getTime() - entry.scheduledAt.getTime() - match.wait * 1000) > 1000) return false
  return true
}

/** A class-style job instance stands for its class. */
function jobOf(job: object): object {
  return typeof job === 'object' && job !== null && getJobDefinition(job) === undefined && getJobDefinition(job.constructor) ? job.constructor : job
}

function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null))
}

function describeCall(job: object, args: unknown[] | undefined, match: ScheduledMatch): string {
  const target = jobOf(job) as { name?: string }
  const name = recorded.find((entry) => entry.job === target)?.name ?? (typeof target === 'function' ? target.name : 'the job')
  const options = Object.keys(match).length > 0 ? `, ${JSON.stringify(match)}` : ''
  return `${name}${args === undefined ? '' : ` with ${JSON.stringify(args)}`}${options}`
}

function describeRecorded(): string {
  if (recorded.length === 0) return 'nothing'
  return recorded
    .map((entry) => `${entry.name} ${JSON.stringify(entry.args)} (queue ${entry.queue}, priority ${entry.priority}, runAt ${entry.runAt.toISOString()})`)
    .join('; ')
}
