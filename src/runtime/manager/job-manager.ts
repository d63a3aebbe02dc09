import { InvalidConfigError, UnknownAdapterError } from '../errors.js'
import type {
  Job,
  JobContext,
  JobDefinition,
  JobManagerConfig,
  JobsAdapter,
  LifecycleHooks,
  Logger,
  ResolvedWorkerConfig,
  ScheduleOptions,
  Scheduler,
} from '../types.js'
import { checkHooks, HOOK_NAMES } from './check-hooks.js'
import { createJob, describeJob, type AnyJob } from './create-job.js'
import { isLogger } from './is-logger.js'
import { getJobDefinition } from './job-definition.js'
import { JobRegistry } from './job-registry.js'
import { resolveWorkers } from './resolve-workers.js'
import { runJob } from './run-job.js'
import { scheduleJob } from './schedule-job.js'
import { readManyCall, scheduleMany } from './schedule-many.js'
import { resolveRecurring, type ResolvedRecurringEntry } from '../recurring/resolve-recurring.js'

/**
 * The app's jobs setup: adapters, queues, workers and the registry of jobs.
 * The app creates one in `lib/jobs.ts` and exports it as `jobs`:
 *
 * ```ts
 * export const jobs = new JobManager({
 *   adapters: { prisma: new PrismaAdapter({ db }) },
 *   queues: ['default'] as const,
 *   workers: [{ adapter: 'prisma', queue: '*' }],
 *   jobs: () => import('../jobs/index.js'),
 * })
 * export const later = jobs.createScheduler({ adapter: 'prisma' })
 * ```
 */
export class JobManager<TAdapters extends Record<string, JobsAdapter>, TQueue extends string> {
  readonly adapters: TAdapters
  readonly queues: readonly TQueue[]
  readonly logger: Logger
  /** The config's lifecycle hooks, run around every job's own (see `manager/run-attempt.ts`). */
  readonly hooks: LifecycleHooks
  /** The configured workers with every default filled in. */
  readonly workers: ResolvedWorkerConfig<keyof TAdapters & string, TQueue>[]
  /** The `recurring` entries with defaults filled in; their cron and jobs are checked when a worker starts. */
  readonly recurring: ResolvedRecurringEntry[]
  private readonly registry: JobRegistry
  /** The adapter `job.performLater()` uses: the first scheduler's (see `createScheduler`). */
  private defaultAdapterName: string | undefined
  /** The logger of that first scheduler, if it was given one. */
  private defaultSchedulerLogger: Logger | undefined

  constructor(config: JobManagerConfig<TAdapters, TQueue>) {
    if (typeof config !== 'object' || config === null) {
      throw new InvalidConfigError('new JobManager(...) needs a config: { adapters, queues, workers, jobs }.')
    }
    this.adapters = checkAdapters(config.adapters)
    this.queues = checkQueues(config.queues)
    this.logger = config.logger ?? console
    if (config.logger !== undefined && !isLogger(config.logger)) {
      throw new InvalidConfigError('`logger` in your jobs config must have debug, info, warn and error methods (console and pino do).')
    }
    if (config.hooks !== undefined && (typeof config.hooks !== 'object' || config.hooks === null)) {
      throw new InvalidConfigError('`hooks` in your jobs config must be an object: hooks: { afterFailure(failure) { … } }.')
    }
    checkHooks(config.hooks ?? {}, '`hooks` in your jobs config')
    // Read by name, not spread: a class instance's hook methods live on its prototype, which `{ ... }` drops.
    const hooks = config.hooks ?? {}
    this.hooks = Object.freeze(Object.fromEntries(HOOK_NAMES.filter((name) => hooks[name] !== undefined).map((name) => [name, hooks[name]])))
    if (typeof config.jobs !== 'function') {
      throw new InvalidConfigError(
        '`jobs` in your jobs config must be a function that loads your jobs index: jobs: () => import(\'../jobs/index.js\').',
      )
    }
    this.registry = new JobRegistry(config.jobs)
    this.workers = resolveWorkers(config.workers, Object.keys(this.adapters), this.queues) as ResolvedWorkerConfig<
      keyof TAdapters & string,
      TQueue
    >[]
    this.recurring = resolveRecurring(config.recurring, this.queues)
  }

  /**
   * Defines a job. `perform`'s parameters become the type of the arguments
   * `later()` and `performLater()` accept. Export the job from your jobs index.
   */
  createJob<TArgs extends unknown[]>(definition: JobDefinition<TQueue, TArgs, keyof TAdapters & string>): Job<TQueue, TArgs> {
    return createJob(definition, this.queues, Object.keys(this.adapters), {
      performInline: (job, args) => this.performInline(job, args),
      performLater: async (job, args, options) => this.schedule({ adapterName: this.getDefaultAdapterName(), logger: this.defaultSchedulerLogger }, job, args, options),
    })
  }

  /**
   * Returns `later(job, args, options)`, which stores jobs through the named
   * adapter (a job's own `adapter` wins) and logs through `logger` (the
   * config's by default; a job's own `logger` wins). The first scheduler
   * created also serves `job.performLater()`.
   */
  createScheduler(options: { adapter: keyof TAdapters & string; logger?: Logger }): Scheduler<TQueue> {
    const adapterName = options?.adapter
    if (!Object.prototype.hasOwnProperty.call(this.adapters, adapterName)) {
      throw new UnknownAdapterError(String(adapterName), Object.keys(this.adapters), 'createScheduler')
    }
    const logger = options.logger
    if (logger !== undefined && !isLogger(logger)) {
      throw new InvalidConfigError('createScheduler: logger must have debug, info, warn and error methods (console and pino do).')
    }
    this.defaultAdapterName ??= adapterName
    this.defaultSchedulerLogger ??= logger
    const later = (job: Job<TQueue, unknown[]>, args?: unknown[], scheduleOptions?: ScheduleOptions<TQueue>) =>
      this.schedule({ adapterName, logger }, job, args, scheduleOptions)
    const many = (first: unknown, second?: unknown, third?: unknown) => this.scheduleMany({ adapterName, logger }, first, second, third)
    return Object.assign(later, { many }) as unknown as Scheduler<TQueue>
  }

  /**
   * The job exported from the jobs index under `name`, or undefined. Errors
   * thrown while loading the index come back as `RegistryLoadError`.
   */
  async loadJob(name: string): Promise<Job<TQueue, unknown[]> | undefined> {
    return (await this.registry.findJob(name)) as Job<TQueue, unknown[]> | undefined
  }

  private async schedule(
    scheduler: { adapterName: string; logger?: Logger },
    job: object,
    args: unknown[] | undefined,
    options: ScheduleOptions | undefined,
  ): Promise<number> {
    const definition = getJobDefinition<unknown[]>(job)
    if (!definition) {
      throw new InvalidConfigError('later() needs a job made by jobs.createJob(...) as its first argument.')
    }
    const name = definition.name
      ? await this.registry.checkName(definition.name)
      : await this.registry.nameOf(job, describeJob(definition))
    // A job's own adapter wins over the scheduler's; both name a configured one (createJob and createScheduler check).
    const adapterName = definition.adapter ?? scheduler.adapterName
    return scheduleJob({
      job,
      name,
      definition,
      args,
      options,
      adapter: this.adapters[adapterName]!,
      queues: this.queues,
      logger: definition.logger ?? scheduler.logger ?? this.logger,
    })
  }

  /** `later.many(...)`: see `manager/schedule-many.ts`. */
  private async scheduleMany(scheduler: { adapterName: string; logger?: Logger }, first: unknown, second: unknown, third: unknown): Promise<number[]> {
    const { entries, shared } = readManyCall(first, second, third)
    return scheduleMany({
      entries,
      shared,
      resolveJob: async (job) => {
        const definition = typeof job === 'object' && job !== null ? getJobDefinition<unknown[]>(job) : undefined
        if (!definition) {
          throw new InvalidConfigError(
            typeof job === 'function' || (typeof job === 'object' && job !== null && typeof (job as { performLater?: unknown }).performLater === 'function')
              ? 'Its job is class-style (RedwoodJob), which later.many() does not take: schedule it with performLater(), or define it with jobs.createJob(...).'
              : `Its job (${typeof job === 'object' && job !== null ? 'an object' : String(job)}) is not a job made by jobs.createJob(...).`,
          )
        }
        const name = definition.name
          ? await this.registry.checkName(definition.name)
          : await this.registry.nameOf(job as object, describeJob(definition))
        return { name, definition, adapterName: definition.adapter ?? scheduler.adapterName }
      },
      adapters: this.adapters,
      queues: this.queues,
      logger: scheduler.logger ?? this.logger,
    })
  }

  /** `job.perform(...)`: runs now, in this process, with a context whose signal never aborts. */
  private async performInline(job: AnyJob, args: unknown[]): Promise<void> {
    const context: JobContext = {
      id: 0,
      name: job.name ?? this.registry.knownNameOf(job) ?? 'inline job',
      attempt: 1,
      signal: new AbortController().signal,
      logger: getJobDefinition(job)?.logger ?? this.logger,
    }
    await runJob(job, args, context)
  }

  private getDefaultAdapterName(): string {
    if (this.defaultAdapterName) return this.defaultAdapterName
    const names = Object.keys(this.adapters)
    if (names.length === 1) return names[0]!
    throw new InvalidConfigError(
      `job.performLater() does not know which adapter to use (${names.join(', ')}). ` +
        `Create a scheduler first, e.g. export const later = jobs.createScheduler({ adapter: '${names[0]}' }) in your jobs config.`,
    )
  }
}

function checkAdapters<TAdapters extends Record<string, JobsAdapter>>(adapters: TAdapters): TAdapters {
  if (typeof adapters !== 'object' || adapters === null || Object.keys(adapters).length === 0) {
    throw new InvalidConfigError('`adapters` in your jobs config must name at least one adapter: adapters: { prisma: new PrismaAdapter({ db }) }.')
  }
  for (const [name, adapter] of Object.entries(adapters)) {
    const candidate = adapter as Partial<JobsAdapter> | null
    if (typeof candidate?.schedule !== 'function' || typeof candidate.find !== 'function') {
      throw new InvalidConfigError(`adapters.${name} in your jobs config is not a jobs adapter. Use new PrismaAdapter({ db }) or another JobsAdapter.`)
    }
  }
  return adapters
}

/**
 * What a queue name may be. It becomes part of worker titles and pid file
 * names (`jobs-kit-worker.email+reports.0`), so no `/`, no spaces, and no `+`
 * (the separator of queue lists in a title).
 */
const QUEUE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/

/** The name worker titles give `'*'` (`jobs-kit-worker.all.0`): a queue of that name would share its title and `lockedBy`. */
const RESERVED_QUEUE_NAME = 'all'

function checkQueues<TQueue extends string>(queues: readonly TQueue[]): readonly TQueue[] {
  if (!Array.isArray(queues) || queues.length === 0) {
    throw new InvalidConfigError('`queues` in your jobs config must list at least one queue: queues: [\'default\'] as const.')
  }
  for (const queue of queues) {
    if (typeof queue !== 'string' || !QUEUE_NAME.test(queue) || queue === RESERVED_QUEUE_NAME) {
      throw new InvalidConfigError(
        `Queue name ${JSON.stringify(queue)} in your jobs config is not allowed: use letters, digits, '_', '-' and '.', ` +
          `at most 64 characters, e.g. 'default', 'email' or 'high-priority'; not 'all' (worker names use it for '*', every queue). ('*' is not a queue: it means every queue in a worker's \`queue\`.)`,
      )
    }
  }
  if (new Set(queues).size !== queues.length) throw new InvalidConfigError(`\`queues\` in your jobs config lists a queue twice: ${queues.join(', ')}.`)
  return Object.freeze([...queues])
}
