import { DEFAULT_PRIORITY } from '../defaults.js'
import { InvalidConfigError, JobNotRegisteredError, MissingAdapterError, ReadOnlyJobPropertyError } from '../errors.js'
import type { JobContext, JobDefinition, JobsAdapter, Logger, ScheduleOptions } from '../types.js'
import { HOOK_NAMES } from './check-hooks.js'
import { isLogger } from './is-logger.js'
import { jobContextStorage } from './current-job.js'
import { HOOK_PRESENT } from './run-attempt.js'
import { JOB_DEFINITION } from './job-definition.js'
import { scheduleJob } from './schedule-job.js'

/** What `RedwoodJob.config(...)` takes: the defaults of every class-style job. */
export interface RedwoodJobConfig {
  /** Stores the jobs (required, here or as `static adapter` on each class). */
  adapter?: JobsAdapter
  /** `this.logger` inside the jobs. Default `console`. */
  logger?: Logger
  /**
   * Optional: your `JobManager`. When given, scheduling checks, as `later()`
   * does, that the job is exported by the jobs index under its name and that
   * its queue is configured.
   */
  jobs?: { readonly queues: readonly string[]; loadJob(name: string): Promise<unknown> }
}

/** What `new Job(options)` and `job.set(options)` take: `later()`'s options (`db` joins a transaction). */
export type RedwoodJobOptions = ScheduleOptions

/** The static side every class-style job has (what `extends RedwoodJob` gives). */
export interface RedwoodJobClass {
  new (options?: RedwoodJobOptions): RedwoodJob
  readonly name: string
  queue?: string
  priority?: number
  adapter?: JobsAdapter
  logger?: Logger
  jobName?: string
}

const OPTION_KEYS = new Set(['wait', 'waitUntil', 'queue', 'priority', 'db'])
const INSPECTION_PROPERTIES = ['adapter', 'logger', 'queue', 'priority', 'wait', 'waitUntil', 'runAt'] as const

let globalConfig: RedwoodJobConfig = {}

/** The instance a worker (or `runScheduled`) runs for one attempt: one per job context, shared by perform and the hooks. */
const instances = new WeakMap<JobContext, RedwoodJob>()
const contexts = new WeakMap<RedwoodJob, JobContext>()
const definitions = new WeakMap<RedwoodJobClass, JobDefinition<string, unknown[]>>()

/**
 * The class-style job API of the seed (Redwood's `RedwoodJob`):
 *
 * ```ts
 * RedwoodJob.config({ adapter, logger })            // once, in lib/jobs
 *
 * export class SendWelcomeEmailJob extends RedwoodJob {
 *   static queue = 'email'                          // default 'default'
 *   static priority = 1                             // default 50, lower runs first
 *   async perform(userId: number) { this.logger.info(`sending to ${userId}`) }
 * }
 *
 * await SendWelcomeEmailJob.performLater(user.id)
 * await SendWelcomeEmailJob.set({ wait: 300 }).performLater(user.id)
 * await new SendWelcomeEmailJob({ wait: 300 }).set({ priority: 5 }).performLater(user.id)
 * await SendWelcomeEmailJob.performNow(user.id)     // inline, now
 * ```
 *
 * Class jobs share everything with `createJob` jobs: export the class from
 * the jobs index (workers find it by name there), the same workers run it
 * with the same retries and `maxRuntime`, arguments get the same JSON checks,
 * and `beforePerform`/`afterPerform`/`afterSuccess`/`afterFailure` methods
 * are its lifecycle hooks. Inside `perform` and the hooks, `this` is a fresh
 * instance per attempt; `this.context` is the running job's context (id,
 * attempt, abort signal).
 *
 * The stored name is `static jobName` if set, else the class's own name; set
 * `jobName` when a minifier renames classes.
 */
export class RedwoodJob {
  /** The queue the job goes to unless `set()` says otherwise. Default `'default'`. */
  declare static queue?: string
  /** Lower runs first. Default 50. */
  declare static priority?: number
  /** Stores this job; overrides `RedwoodJob.config({ adapter })`. */
  declare static adapter?: JobsAdapter
  /** `this.logger` in this job; overrides `RedwoodJob.config({ logger })`. */
  declare static logger?: Logger
  /** The stored name; the class's own name by default (set it when a minifier renames classes). */
  declare static jobName?: string

  /** Sets the adapter and logger of every class-style job that does not set its own. Replaces the previous config. */
  static config(config: RedwoodJobConfig): void {
    if (typeof config !== 'object' || config === null) {
      throw new InvalidConfigError('RedwoodJob.config needs an object: RedwoodJob.config({ adapter, logger }).')
    }
    if (config.adapter !== undefined && typeof (config.adapter as Partial<JobsAdapter>)?.schedule !== 'function') {
      throw new InvalidConfigError('RedwoodJob.config: adapter is not a jobs adapter. Use new PrismaAdapter({ db }) or another JobsAdapter.')
    }
    if (config.logger !== undefined && !isLogger(config.logger)) {
      throw new InvalidConfigError('RedwoodJob.config: logger must have debug, info, warn and error methods (console and pino do).')
    }
    const { jobs } = config
    if (jobs !== undefined && (typeof jobs?.loadJob !== 'function' || !Array.isArray(jobs.queues))) {
      // Easy to confuse with the seed's `export const jobs = { … }` of job instances, which the runner reads instead.
      throw new InvalidConfigError(
        'RedwoodJob.config: jobs must be your JobManager (new JobManager({ … })), used to check the jobs index and queues when scheduling; ' +
          'the seed\'s `jobs` object of job instances is not passed here: export it from the jobs config, or leave jobs out.',
      )
    }
    globalConfig = { ...config }
  }

  /** An instance with `options` set (`Job.set({ wait: 300 }).performLater(...)`). */
  static set<T extends RedwoodJobClass>(this: T, options: RedwoodJobOptions): InstanceType<T> {
    return new this(options) as InstanceType<T>
  }

  /** Stores the job to run in the background; returns the row id. */
  static performLater<T extends RedwoodJobClass>(this: T, ...args: Parameters<InstanceType<T>['perform']>): Promise<number> {
    return new this().performLater(...args)
  }

  /** Runs `perform` inline, now, in this process (without the lifecycle hooks, like `job.perform()` of `createJob`). */
  static performNow<T extends RedwoodJobClass>(this: T, ...args: Parameters<InstanceType<T>['perform']>): Promise<void> {
    return new this().performNow(...args)
  }

  /** What the registry and the worker read: the class as a job definition. */
  static get [JOB_DEFINITION](): JobDefinition<string, unknown[]> {
    return definitionOf(this as unknown as RedwoodJobClass)
  }

  #options: RedwoodJobOptions = {}

  constructor(options: RedwoodJobOptions = {}) {
    this.set(options)
  }

  /** The work. Override it; its parameters type `performLater`'s arguments. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  perform(..._args: any[]): unknown {
    throw noPerformError(jobNameOf(this.constructor as RedwoodJobClass))
  }

  /** Merges `options` into this instance's (`wait` and `waitUntil` replace each other). Chainable. */
  set(options: RedwoodJobOptions): this {
    const name = jobNameOf(this.constructor as RedwoodJobClass)
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new InvalidConfigError(`${name}.set: options must be an object like { wait: 300 } or { waitUntil: new Date(…) }.`)
    }
    for (const key of Object.keys(options)) {
      if (key === 'runAt') throw new ReadOnlyJobPropertyError(name, 'runAt')
      if (!OPTION_KEYS.has(key)) throw new InvalidConfigError(`${name}.set: unknown option "${key}". Use wait (seconds), waitUntil (a Date), queue or priority.`)
    }
    const merged = { ...this.#options }
    if ('wait' in options && !('waitUntil' in options)) delete merged.waitUntil
    if ('waitUntil' in options && !('wait' in options)) delete merged.wait
    this.#options = { ...merged, ...options }
    return this
  }

  /** Stores the job to run in the background with this instance's options; returns the row id. */
  async performLater(...args: Parameters<this['perform']>): Promise<number> {
    const jobClass = this.constructor as RedwoodJobClass
    const name = jobNameOf(jobClass)
    const adapter = this.adapter
    if (!adapter) throw new MissingAdapterError(name)
    // RedwoodJob.config checks its own; a class's statics are checked here, before they fail from inside.
    if (typeof (adapter as Partial<JobsAdapter>).schedule !== 'function') {
      throw new InvalidConfigError(`${name}: static adapter is not a jobs adapter. Set it to one (static adapter = new PrismaAdapter({ db })), or leave it out to use RedwoodJob.config's.`)
    }
    if (!isLogger(this.logger)) {
      throw new InvalidConfigError(`${name}: static logger must have debug, info, warn and error methods (console and pino do).`)
    }
    // Refused here, once, rather than failing every attempt in a worker.
    if (typeof this.perform !== 'function' || this.perform === RedwoodJob.prototype.perform) throw noPerformError(name)
    const { jobs } = globalConfig
    if (jobs && (await jobs.loadJob(name)) !== jobClass) throw new JobNotRegisteredError(`The job class ${name}`)
    return scheduleJob({
      job: jobClass,
      name,
      definition: definitionOf(jobClass),
      args,
      options: { ...this.#options },
      adapter,
      queues: jobs?.queues,
      logger: this.logger,
    })
  }

  /** Runs `perform` inline, now, in this process, with a context of its own (id 0, a signal that never aborts). */
  async performNow(...args: Parameters<this['perform']>): Promise<void> {
    const context: JobContext = {
      id: 0,
      name: jobNameOf(this.constructor as RedwoodJobClass),
      attempt: 1,
      signal: new AbortController().signal,
      logger: this.logger,
    }
    contexts.set(this, context)
    await jobContextStorage.run(context, () => this.perform(...args))
  }

  /** The running job's context (id, name, attempt, abort signal, logger) inside perform and the hooks. */
  get context(): JobContext | undefined {
    return contexts.get(this)
  }

  /** `static adapter`, else the one from `RedwoodJob.config`. */
  get adapter(): JobsAdapter | undefined {
    return (this.constructor as RedwoodJobClass).adapter ?? globalConfig.adapter
  }

  /** `static logger`, else the one from `RedwoodJob.config`, else `console`. */
  get logger(): Logger {
    return (this.constructor as RedwoodJobClass).logger ?? globalConfig.logger ?? console
  }

  /** From `set()`, else `static queue`, else `'default'`. */
  get queue(): string {
    return this.#options.queue ?? (this.constructor as RedwoodJobClass).queue ?? 'default'
  }

  /** From `set()`, else `static priority`, else 50. */
  get priority(): number {
    return this.#options.priority ?? (this.constructor as RedwoodJobClass).priority ?? DEFAULT_PRIORITY
  }

  /** Seconds to wait, from `set()`; undefined when not set. */
  get wait(): number | undefined {
    return this.#options.wait
  }

  /** The Date from `set()`, or null. */
  get waitUntil(): Date | null {
    return this.#options.waitUntil ?? null
  }

  /** When the job would run if scheduled now: `waitUntil`, or now + `wait`. */
  get runAt(): Date {
    return this.#options.waitUntil ?? new Date(Date.now() + (this.#options.wait ?? 0) * 1000)
  }
}

// Assigning an inspection property is refused with a message saying what to
// do (a getter alone would throw an unhelpful TypeError, or be ignored in
// sloppy mode). TypeScript already reports them as read-only.
for (const property of INSPECTION_PROPERTIES) {
  const descriptor = Object.getOwnPropertyDescriptor(RedwoodJob.prototype, property)!
  Object.defineProperty(RedwoodJob.prototype, property, {
    ...descriptor,
    set(this: RedwoodJob) {
      throw new ReadOnlyJobPropertyError(jobNameOf(this.constructor as RedwoodJobClass), property)
    },
  })
}

function noPerformError(name: string): InvalidConfigError {
  return new InvalidConfigError(`${name} has no perform method: add one, e.g. async perform(userId) { … }.`)
}

/** The stored name of a class-style job. */
export function jobNameOf(jobClass: RedwoodJobClass): string {
  const name = ownJobName(jobClass) ?? jobClass.name
  if (typeof name !== 'string' || name === '') {
    throw new InvalidConfigError('A class-style job needs a name: give the class one, or set static jobName = \'YourJob\'.')
  }
  return name
}

/**
 * `static jobName` set on this very class. A subclass does not inherit its
 * parent's: the name says which class the worker runs, and an inherited one
 * would run the parent's `perform` for the subclass's jobs.
 */
function ownJobName(jobClass: RedwoodJobClass): string | undefined {
  return Object.prototype.hasOwnProperty.call(jobClass, 'jobName') ? jobClass.jobName : undefined
}

/**
 * The class as a job definition, for the registry and the worker. Each
 * attempt (each job context) gets one fresh instance, shared by `perform`
 * and the hook methods; the static settings are read when used.
 */
function definitionOf(jobClass: RedwoodJobClass): JobDefinition<string, unknown[]> {
  const known = definitions.get(jobClass)
  if (known) return known
  const instanceFor = (context: JobContext): RedwoodJob => {
    let instance = instances.get(context)
    if (!instance) {
      instance = new jobClass()
      instances.set(context, instance)
      contexts.set(instance, context)
    }
    return instance
  }
  type Method = (...args: unknown[]) => unknown
  const definition: JobDefinition<string, unknown[]> = {
    get queue() {
      return jobClass.queue ?? 'default'
    },
    get priority() {
      return jobClass.priority
    },
    get logger() {
      return jobClass.logger ?? globalConfig.logger
    },
    name: ownJobName(jobClass),
    perform(this: JobContext, ...args: unknown[]) {
      return instanceFor(this).perform(...args)
    },
  }
  // Every hook is looked up on the attempt's instance when it is due, so a
  // hook written as an arrow-function field (`afterSuccess = () => …`, on
  // the instance, not the prototype) runs like a method; one the class lacks
  // does nothing.
  for (const hook of HOOK_NAMES) {
    const call = function (this: JobContext, ...args: unknown[]) {
      const method = (instanceFor(this) as unknown as Record<string, unknown>)[hook]
      if (method === undefined) return undefined
      if (typeof method !== 'function') {
        throw new InvalidConfigError(`${jobNameOf(jobClass)}: \`${hook}\` must be a method (got ${method === null ? 'null' : typeof method}).`)
      }
      return (method as Method).apply(instanceFor(this), args)
    }
    // The worker asks, before storing a success, whether any afterSuccess is to run.
    Object.defineProperty(call, HOOK_PRESENT, { value: (context: JobContext) => (instanceFor(context) as unknown as Record<string, unknown>)[hook] !== undefined })
    Object.defineProperty(definition, hook, { enumerable: true, value: call })
  }
  definitions.set(jobClass, definition)
  return definition
}
