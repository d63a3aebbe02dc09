/**
 * The shapes every part of the jobs-kit runtime agrees on: the app's config,
 * a job, the scheduler's options, a stored row and the adapter interface.
 *
 * This file is vendored into the app with the rest of `src/runtime/`. Read it
 * first: it is the map of the runtime.
 */
import type { RecurringEntry, RecurringRun, StoredRecurringRun } from './recurring/recurring-entry.js'
import type { WorkerSettings } from './worker-settings.js'

export type { MissedPolicy, RecurringEntry, RecurringRun, StoredRecurringRun, TypedRecurringEntry } from './recurring/recurring-entry.js'

/** Anything with the four levels we log at. `console` and pino both fit. */
export interface Logger {
  debug(...args: unknown[]): void
  info(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
}

/** What a running job can see: passed as `this` to `perform`, and through `currentJob()`. */
export interface JobContext {
  /** The stored row's id. */
  id: number
  /** The registry name of the job, e.g. `SendWelcomeEmailJob`. */
  name: string
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number
  /** Aborted when the job overruns `maxRuntime` or the worker is stopped at once. */
  signal: AbortSignal
  logger: Logger
  /** Set when the job was enqueued by a `recurring` entry: its slot, and whether it is a catch-up run. */
  recurring?: RecurringRun
}

/** What `createJob` takes. `perform`'s parameters type the args of `later()`. */
export interface JobDefinition<TQueue extends string, TArgs extends unknown[], TAdapterName extends string = string> {
  queue: TQueue
  /** Lower runs first. Default 50. */
  priority?: number
  /**
   * The adapter that stores this job, by its name in the config's `adapters`;
   * overrides the scheduler's. Workers of that adapter run it.
   */
  adapter?: TAdapterName
  /** The logger the job sees as `this.logger` (when it runs, in a worker or inline); the config's by default. */
  logger?: Logger
  /**
   * The registry name. Optional: when left out, the scheduler finds the job's
   * name in the app's registry (the jobs index) by identity.
   */
  name?: string
  perform: (this: JobContext, ...args: TArgs) => unknown
  /**
   * Runs before each attempt, inside it. A throw fails the attempt like a
   * throwing `perform` (retried with backoff) and `perform` does not run.
   */
  beforePerform?: (this: JobContext, ...args: TArgs) => unknown
  /** Runs right after `perform` returns, inside the attempt: a throw fails the attempt. */
  afterPerform?: (this: JobContext, ...args: TArgs) => unknown
  /** Runs once the success is stored. A throw is logged and changes nothing. */
  afterSuccess?: (this: JobContext, ...args: TArgs) => unknown
  /** Runs after each failed attempt is stored. A throw is logged and changes nothing. */
  afterFailure?: (this: JobContext, failure: JobFailure, ...args: TArgs) => unknown
}

/** What `afterFailure` hooks receive about the failed attempt. */
export interface JobFailure {
  /** What the attempt threw (a `JobTimeoutError` when it ran past `maxRuntime`). */
  error: Error
  /** True when the job runs again later; false when it was given up (`failedAt` set, or deleted). */
  willRetry: boolean
}

/**
 * The four lifecycle hooks of the `JobManager` config (`hooks: { … }`): they
 * run around every job's own hooks, for metrics and error reporting. See
 * `worker/execute-job.ts` for the exact order.
 */
export interface LifecycleHooks {
  beforePerform?: (this: JobContext, ...args: unknown[]) => unknown
  afterPerform?: (this: JobContext, ...args: unknown[]) => unknown
  afterSuccess?: (this: JobContext, ...args: unknown[]) => unknown
  afterFailure?: (this: JobContext, failure: JobFailure, ...args: unknown[]) => unknown
}

/** How and when to run a scheduled job. */
export interface ScheduleOptions<TQueue extends string = string> {
  /** Seconds from now. Exclusive with `waitUntil`. */
  wait?: number
  /** An absolute time. Exclusive with `wait`. */
  waitUntil?: Date
  /** Overrides the job's queue for this one run. */
  queue?: TQueue
  /** Overrides the job's priority for this one run. */
  priority?: number
  /**
   * A Prisma transaction client (`tx` inside `db.$transaction(async (tx) => …)`).
   * The job is stored if and only if that transaction commits.
   */
  db?: unknown
}

/** A job as the app sees it: created by `jobs.createJob(...)`. */
export interface Job<TQueue extends string, TArgs extends unknown[]> {
  readonly queue: TQueue
  readonly priority: number
  readonly name: string | undefined
  /** Runs the job inline, now, in this process. */
  perform(...args: TArgs): Promise<void>
  /** Stores the job to run in the background as soon as a worker is free. Returns the row id. */
  performLater(...args: TArgs): Promise<number>
  /** The same with options: `job.set({ wait: 60 }).performLater(...)`. */
  set(options: ScheduleOptions<TQueue>): { performLater(...args: TArgs): Promise<number> }
}

/**
 * `T`, but TypeScript does not infer type parameters from a value in this
 * position (what `NoInfer<T>` does from TypeScript 5.4; this form also works
 * in older versions).
 */
export type Uninferred<T> = [T][T extends unknown ? 0 : never]

/** Type of a job's `perform` arguments. */
export type JobArgs<TJob> = TJob extends Job<string, infer A> ? A : never

/**
 * `later(job, args, options)`: what `jobs.createScheduler(...)` returns.
 * `args` may be left out only when `perform` takes no required arguments.
 * `later.many(...)` stores many jobs in one call (see `ManyScheduler`).
 */
export type Scheduler<TQueue extends string> = (<TArgs extends unknown[]>(
  job: Job<TQueue, TArgs>,
  // Uninferred: the job alone decides TArgs; the args are checked against it.
  ...rest: LaterArguments<TQueue, Uninferred<TArgs>>
) => Promise<number>) & { many: ManyScheduler<TQueue> }

/** The options one entry of `later.many()` may set for itself: all of `later()`'s but `db`, which is the whole call's. */
export type EntryScheduleOptions<TQueue extends string = string> = Omit<ScheduleOptions<TQueue>, 'db'>

/** `{ args, options }`: `args` is required when `perform` has required parameters. */
type EntryArgsAndOptions<TQueue extends string, TArgs extends unknown[]> = { options?: EntryScheduleOptions<TQueue> } & ([] extends TArgs
  ? { args?: TArgs }
  : { args: TArgs })

/** One item of `later.many(job, items)`: the job's args, or `{ args, options }` to give this one options of its own. */
export type ManyItem<TQueue extends string, TArgs extends unknown[]> = TArgs | EntryArgsAndOptions<TQueue, TArgs>

/** One entry of `later.many([{ job, args, options }, …])`, whose `args` are checked against that entry's job. */
export type ManyEntry<TQueue extends string, TArgs extends unknown[]> = { job: Job<TQueue, TArgs> } & EntryArgsAndOptions<TQueue, Uninferred<TArgs>>

/**
 * `later.many(...)`: stores many jobs in one call, atomically (all or none),
 * and returns their ids in the order given. Every entry is checked as
 * `later()` checks it before anything is written. The call's `options`
 * apply to every entry; an entry's own `options` win over them
 * (`wait`/`waitUntil` together: an entry that sets either replaces the
 * call's timing). `db` is the call's only: a transaction client to store
 * them all with.
 *
 * ```ts
 * await later.many(SendWelcomeEmailJob, users.map((user) => [user.id]))
 * await later.many(SendWelcomeEmailJob, [[1], { args: [2], options: { wait: 60 } }], { queue: 'email' })
 * await later.many([{ job: SendWelcomeEmailJob, args: [1] }, { job: NightlyReportJob, options: { priority: 10 } }], { db: tx })
 * ```
 */
export interface ManyScheduler<TQueue extends string> {
  /** Many runs of one job: each item is its args, or `{ args, options }`. */
  <TArgs extends unknown[]>(
    job: Job<TQueue, TArgs>,
    items: readonly ManyItem<TQueue, Uninferred<TArgs>>[],
    options?: ScheduleOptions<TQueue>,
  ): Promise<number[]>
  /** Runs of several jobs: `{ job, args, options }` each. */
  <TArgsList extends unknown[][]>(
    entries: readonly [...{ [K in keyof TArgsList]: ManyEntry<TQueue, TArgsList[K]> }],
    options?: ScheduleOptions<TQueue>,
  ): Promise<number[]>
}

/** The `args` and `options` of `later()`: `args` is required when `perform` has required parameters. */
export type LaterArguments<TQueue extends string, TArgs extends unknown[]> = [] extends TArgs
  ? [args?: TArgs, options?: ScheduleOptions<TQueue>]
  : [args: TArgs, options?: ScheduleOptions<TQueue>]

/** The module the registry loader resolves to: the app's jobs index, export name → job. */
export type JobRegistryModule = Record<string, unknown>

/**
 * One set of identical workers, as configured in the app's `lib/jobs.ts`.
 * `count`, `maxAttempts`, `maxRuntime`, `sleepDelay`, `deleteFailedJobs`,
 * `deleteSuccessfulJobs` and `concurrency` are optional: each one, its type,
 * its default and what it does are in `worker-settings.ts`.
 */
export type WorkerConfig<TAdapterName extends string = string, TQueue extends string = string> = {
  adapter: TAdapterName
  /** `'*'` for every queue, or one queue, or several. */
  queue: '*' | TQueue | TQueue[]
  /** This worker's logger; the config's `logger` by default. */
  logger?: Logger
} & Partial<WorkerSettings>

/**
 * A `WorkerConfig` with every default filled in (see `worker-settings.ts`), as
 * `jobManager.workers` exposes it. `queue` is normalised: `'*'`, or a
 * non-empty list of queue names (a single name becomes a one-element list).
 */
export type ResolvedWorkerConfig<TAdapterName extends string = string, TQueue extends string = string> = {
  adapter: TAdapterName
  queue: '*' | TQueue[]
  /** Only when the entry sets one; the runner falls back to the config's `logger`. */
  logger?: Logger
} & WorkerSettings

/** What `new JobManager(...)` takes. */
export interface JobManagerConfig<
  TAdapters extends Record<string, JobsAdapter>,
  TQueue extends string,
> {
  adapters: TAdapters
  queues: readonly TQueue[]
  logger?: Logger
  /** Lifecycle hooks around every job's own (see `LifecycleHooks`). */
  hooks?: LifecycleHooks
  /** Uninferred: `adapters` and `queues` decide the names; a worker naming another one is a type error. */
  workers: WorkerConfig<Uninferred<keyof TAdapters & string>, Uninferred<TQueue>>[]
  /**
   * Loads the app's jobs index lazily: `() => import('../jobs/index.js')`
   * (or `() => require('../jobs')` in CommonJS). It should return, or resolve
   * to, a `JobRegistryModule`; that is checked when it is loaded.
   *
   * Typed as returning `any` on purpose: the jobs index exports jobs made
   * with this very manager, and any other return type makes TypeScript infer
   * the manager's type from itself (error TS7022, "'jobs' implicitly has type
   * 'any' because it … is referenced directly or indirectly in its own
   * initializer"). With `any` it never looks at what the loader returns.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  jobs: () => any
  /**
   * Jobs to enqueue on a cron schedule (see `recurring/recurring-entry.ts`).
   * A function with an explicit return type lets `recurringJobs<typeof import('../jobs/index.js')>([...])`
   * type-check `job` and `args` against the jobs index.
   */
  recurring?: RecurringEntry<Uninferred<TQueue>>[] | (() => RecurringEntry[])
}

/** A row of the BackgroundJob table, in the model's field names. */
export interface StoredJob {
  id: number
  /** JSON `{ "name", "path", "args" }`. Parsed by the worker, never imported as a path. */
  handler: string
  queue: string
  priority: number
  runAt: Date | null
  attempts: number
  lockedAt: Date | null
  lockedBy: string | null
  lastError: string | null
  failedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

/** The parsed `handler` column. */
export interface JobHandler {
  name: string
  path: string
  args: unknown[]
  /** Jobs enqueued by a `recurring` entry: the entry, the slot and whether it is a backfill. */
  recurring?: StoredRecurringRun
}

export interface ScheduleInput {
  handler: JobHandler
  queue: string
  priority: number
  runAt: Date
  /** A transaction client to store the row with, instead of the adapter's own client. */
  db?: unknown
}

/** What `JobsAdapter.scheduleMany` stores: the jobs, in order, and the transaction to store them with. */
export interface ScheduleManyInput {
  /** At least one; each as `schedule` would get it, without `db`. */
  jobs: Omit<ScheduleInput, 'db'>[]
  /** A transaction client to store every row with, instead of the adapter's own client. */
  db?: unknown
}

export interface FindInput {
  /** `lockedBy`: host name and worker name, e.g. `web-1:jobs-kit-worker.email.0`. */
  processName: string
  /**
   * Seconds after which a lock is stale and its job may be taken by any
   * worker. Every worker on one table must pass the same value while their
   * locks are renewed (see `worker/stale-lock.ts`).
   */
  staleAfterSeconds: number
  /**
   * When the calling worker started. Jobs locked under `processName` before
   * then were left by an earlier run of this worker (killed, or stopped at
   * once) and are taken back at once; jobs it locked since are never handed
   * to it again. Left out: own locks come back only once stale.
   */
  workerStartedAt?: Date
  /** `'*'` or the queues this worker serves. */
  queues: '*' | string[]
  /** How many jobs to lock at once. Default 1. */
  limit?: number
}

export interface ErrorInput {
  job: StoredJob
  error: Error
  /** When to try again; computed by the worker from the backoff rule. */
  retryAt: Date
}

export interface ClearInput {
  /** Only these queues; all when left out. */
  queues?: string[]
}

/** Counts for `status`, per queue. */
export interface QueueCounts {
  queue: string
  waiting: number
  scheduled: number
  running: number
  failed: number
  /**
   * Kept after success (`deleteSuccessfulJobs: false`). Optional: an adapter
   * that always deletes finished jobs may leave it out.
   */
  succeeded?: number
}

/**
 * What an adapter promises beyond the contract every adapter keeps (one job,
 * one worker while its lock is fresh; due jobs only; success, retry and
 * give-up recorded). The runtime reads it (`later(…, { db: tx })` is refused
 * when `transactionalEnqueue` is false) and docs/adapters.md lists it per
 * adapter. An adapter that declares none is taken to promise what the Prisma
 * adapter does (`adapters/capabilities.ts`).
 */
export interface AdapterCapabilities {
  /** `later(…, { db: tx })` stores the job in the caller's Prisma transaction: kept if and only if it commits. */
  transactionalEnqueue: boolean
  /**
   * `global`: `find` hands out jobs by priority, then `runAt`, then id, over
   * every queue asked for. `per-queue`: by priority within each queue (first
   * come, first served within a priority), one queue after another.
   */
  order: 'global' | 'per-queue'
  /**
   * `immediate`: a lock older than `staleAfterSeconds` is handed out at the
   * next `find`. `periodic`: a periodic check frees it, up to
   * `staleAfterSeconds` later again. `on-disconnect`: a lock lasts as long as
   * the holder's connection to the broker (no timer, no heartbeat): a dead
   * worker's jobs come back as soon as its connection closes (RabbitMQ).
   */
  staleRecovery: 'immediate' | 'periodic' | 'on-disconnect'
  /**
   * `exact`: `status` counts are one consistent reading. `approximate`: read
   * queue by queue while jobs move. `no-running`: approximate, and `running`
   * is not counted (always 0: AMQP cannot count unacknowledged messages).
   */
  statusCounts: 'exact' | 'approximate' | 'no-running'
  /** A stored job can be read back by id (the dashboard's job pages, `lastError`). */
  jobLookup: boolean
}

/**
 * Storage for jobs. The Prisma adapter implements it for SQLite, PostgreSQL
 * and MySQL/MariaDB; a Redis or message-broker adapter would implement the same.
 *
 * Guarantee an adapter must keep: `find` never hands one job to two workers
 * while its lock is fresh.
 */
export interface JobsAdapter {
  /** What this adapter promises beyond the contract; see `AdapterCapabilities`. */
  readonly capabilities?: AdapterCapabilities
  /** Stores a job; returns its id. */
  schedule(input: ScheduleInput): Promise<number>
  /**
   * Optional: stores many jobs at once, all or none (in `input.db`'s
   * transaction when given), and returns their ids in the order of
   * `input.jobs`. Without it `later.many()` calls `schedule` once per job, in
   * order, passing `db` to each: atomic only when the caller passes a
   * transaction its adapter honours.
   */
  scheduleMany?(input: ScheduleManyInput): Promise<number[]>
  /**
   * Finds due jobs and locks them for `processName`, atomically, adding 1 to
   * each one's `attempts` (so the returned row counts the run about to start).
   * Empty array when none is due.
   */
  find(input: FindInput): Promise<StoredJob[]>
  /**
   * The job succeeded: delete the row, or, when `deleteJob` is false, unlock
   * it and mark it done so that `find` never hands it out again.
   */
  success(input: { job: StoredJob; deleteJob: boolean }): Promise<void>
  /**
   * Optional: `success` for each of `jobs` (several that finished while the
   * worker's previous write was in flight), then `find` with `next` when
   * given, for a worker that has free slots. An adapter implements it when it
   * can do this in fewer steps than one call per job (the Prisma adapter on
   * PostgreSQL: one statement; on MySQL: one transaction). It must keep every
   * guarantee of the calls apart: each job is recorded as done if and only if
   * the call succeeds as a whole or its first part committed, and a job it
   * returns is locked as `find` locks it. When it throws, the worker records
   * each success alone.
   */
  successAndFind?(input: { jobs: StoredJob[]; deleteJob: boolean; next?: FindInput }): Promise<StoredJob[]>
  /** A failed attempt that will be retried: unlock, record the error, set `runAt` to `retryAt`. */
  error(input: ErrorInput): Promise<void>
  /** Given up after `maxAttempts`: set `failedAt` (and record the error), or delete when `deleteJob`. */
  failure(input: { job: StoredJob; error: Error; deleteJob: boolean }): Promise<void>
  /**
   * Optional: gives back jobs `find` locked that the worker will not run (it
   * was stopped while the find was in flight): unlock them and take back the
   * attempt `find` counted, only where this process still holds them. Without
   * it they stay locked until stale, or until the worker restarts.
   */
  release?(input: { jobs: StoredJob[] }): Promise<void>
  /** Deletes jobs; returns how many. */
  clear(input?: ClearInput): Promise<number>
  /** Renews `lockedAt` on jobs this process still runs, so they are not taken as stale. */
  heartbeat?(input: { jobs: StoredJob[]; processName: string }): Promise<void>
  /**
   * Counts per queue, for `status`. `staleAfterSeconds`: seconds after which a lock
   * is stale, so its job counts as waiting rather than running (the runner
   * passes its workers' stale threshold; an adapter may ignore it).
   */
  status?(input?: { staleAfterSeconds?: number }): Promise<QueueCounts[]>
  /**
   * Optional: call `wake()` when a job of one of `queues` may have become due
   * (scheduled in this process, or notified by the database), so an idle
   * worker looks at once instead of at its next poll. Returns the function
   * that stops it. Workers keep polling every `sleepDelay` anyway.
   * `sleeping()` says whether the worker is asleep between polls right now:
   * an adapter whose wake-ups cost a query may hold them while no worker
   * sleeps (a busy worker looks for jobs itself), as long as it looks once
   * one does.
   */
  subscribe?(input: { queues: '*' | string[]; wake: () => void; sleeping?: () => boolean }): Promise<() => Promise<void>>
  /** Closes connections the adapter opened itself (never the app's Prisma client). */
  close?(): Promise<void>
}
