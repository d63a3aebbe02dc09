/**
 * One error class per thing that can go wrong in the runtime. Each message
 * says what was wrong and what to do about it. Only the runner CLI prints
 * errors; everything else throws these.
 */

/** Base class of every runtime error; `code` is stable, the message may change. */
export class JobsKitError extends Error {
  readonly code: string

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/**
 * An adapter refuses a worker's settings for good: they can never work with
 * it (a maxRuntime beyond RabbitMQ's consumer_timeout, a `'*'` worker on an
 * adapter that cannot list its queues). Unlike a database that is down, trying
 * again every sleepDelay cannot help, so the worker stops with this error
 * instead of logging it for ever.
 */
export class AdapterSettingsError extends JobsKitError {}

/** A queue that is not in the manager's `queues`. */
export class UnknownQueueError extends JobsKitError {
  constructor(readonly queue: string, readonly queues: readonly string[], where: string) {
    super(
      'UNKNOWN_QUEUE',
      `${where}: queue "${queue}" is not configured. Use one of ${formatList(queues)}, ` +
        `or add "${queue}" to \`queues\` in your jobs config (lib/jobs).`,
    )
  }
}

/** An adapter name that is not a key of the manager's `adapters`. */
export class UnknownAdapterError extends JobsKitError {
  constructor(readonly adapter: string, readonly adapters: readonly string[], where: string) {
    super(
      'UNKNOWN_ADAPTER',
      `${where}: adapter "${adapter}" is not configured. Use one of ${formatList(adapters)}, ` +
        `or add it to \`adapters\` in your jobs config (lib/jobs).`,
    )
  }
}

/** `new JobManager(...)` or `createJob(...)` was given something it cannot use. */
export class InvalidConfigError extends JobsKitError {
  constructor(message: string) {
    super('INVALID_CONFIG', message)
  }
}

/** `later(...)` options that cannot be honoured: `wait` with `waitUntil`, a negative wait, an invalid Date, … */
export class InvalidScheduleOptionsError extends JobsKitError {
  constructor(readonly jobName: string, message: string) {
    super('INVALID_SCHEDULE_OPTIONS', `Cannot schedule ${jobName}: ${message}`)
  }
}

/**
 * An entry of `later.many(...)` that cannot be scheduled; nothing of the call
 * was stored. `index` is the entry's position in the list, `cause` the error
 * `later()` would have thrown for it.
 */
export class InvalidBulkEntryError extends JobsKitError {
  constructor(readonly index: number, detail: string, cause?: unknown) {
    super(
      'INVALID_BULK_ENTRY',
      `later.many(): entry ${index} cannot be scheduled, so none of the call's jobs was stored. ${detail} ` +
        `Fix or remove entry ${index} and call later.many() again.`,
      { cause },
    )
  }
}

/** An argument that would not come back the same after the JSON round trip through the database. */
export class UnserializableArgumentError extends JobsKitError {
  constructor(
    readonly jobName: string,
    /** Where the bad value is, e.g. `args[0].tags`. */
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      'UNSERIALIZABLE_ARGUMENT',
      `Cannot schedule ${jobName}: ${path} is ${reason}, which does not survive being stored as JSON. ` +
        `Pass plain data instead (strings, numbers, booleans, null, arrays, plain objects, Dates), ` +
        `for example an id the job can load again.`,
    )
  }
}

/** The scheduler needs the job's name and the job is not exported by the registry (the jobs index). */
export class JobNotRegisteredError extends JobsKitError {
  constructor(
    readonly jobDescription: string,
    /** The jobs index, as the config's loader names it (e.g. `../jobs/index.js`). */
    readonly jobsIndex = 'your jobs index',
  ) {
    super(
      'JOB_NOT_REGISTERED',
      `${jobDescription} is not exported by the jobs index (${jobsIndex}), so a worker could not find it. ` +
        `Add \`export { YourJob } from './YourJob/YourJob.js'\` to ${jobsIndex}, ` +
        `or create jobs with \`npx jobs-kit g job <Name>\`, which registers them for you. ` +
        `(Or give the job a name: createJob({ name: 'YourJob', … }), and export it under that name.)`,
    )
  }
}

/**
 * A stored job names a job the app's registry (the jobs index) does not
 * export. The worker records this as the job's `lastError` and retries with
 * backoff: the usual cause is a deploy in progress (a new job scheduled by new
 * code, picked up by a worker still running old code), or a job renamed or
 * removed while rows naming it still wait.
 */
export class JobNotInRegistryError extends JobsKitError {
  constructor(readonly jobName: string) {
    super(
      'JOB_NOT_IN_REGISTRY',
      `job ${jobName} is not in the registry (export it from your jobs index, e.g. ` +
        `\`export { ${jobName} } from './${jobName}/${jobName}.js'\` in jobs/index.ts, and restart the workers; ` +
        `if it was renamed or removed, export it under the old name until old jobs have run, ` +
        `or clear them with \`npm run jobs -- clear\`)`,
    )
  }
}

/** The registry loader (`jobs: () => import(...)`) threw or did not return a module. */
export class RegistryLoadError extends JobsKitError {
  /**
   * True when this process can never load the index again: Node keeps an ES
   * module whose evaluation threw failed, and every later `import()` of it
   * rethrows the same error (see `manager/job-registry.ts`). A worker then
   * gives its jobs back and exits with 1, for its supervisor to restart it.
   */
  readonly restartNeeded: boolean

  constructor(message: string, options?: { cause?: unknown; restartNeeded?: boolean }) {
    super('REGISTRY_LOAD_FAILED', message, options)
    this.restartNeeded = options?.restartNeeded ?? false
  }
}

/** A stored `handler` that is not the JSON `{ name, path, args }` the scheduler writes. */
export class InvalidHandlerError extends JobsKitError {
  constructor(readonly jobId: number, detail: string) {
    super(
      'INVALID_HANDLER',
      `Job ${jobId} has an unreadable handler (${detail}). ` +
        `Rows must be written by \`later()\`/\`performLater()\`; delete this row or fix its handler column.`,
    )
  }
}

/** A job ran longer than `maxRuntime` and was aborted. */
export class JobTimeoutError extends JobsKitError {
  constructor(readonly jobName: string, readonly maxRuntimeSeconds: number) {
    super(
      'JOB_TIMEOUT',
      `${jobName} ran longer than maxRuntime (${maxRuntimeSeconds} s) and was aborted. ` +
        `Make it faster, split it, or raise \`maxRuntime\` for its worker in your jobs config.`,
    )
  }
}

/**
 * A job was claimed for more runs than `maxAttempts` allows: earlier runs'
 * outcomes could not be recorded (the database refused the write, or the
 * worker died), so it is given up without running again.
 */
export class AttemptsExhaustedError extends JobsKitError {
  constructor(readonly jobName: string, readonly attempt: number, readonly maxAttempts: number) {
    super(
      'ATTEMPTS_EXHAUSTED',
      `${jobName} was given up without running attempt ${attempt}: maxAttempts is ${maxAttempts}, and the outcome of ` +
        `an earlier attempt was never recorded (its worker died, or the database refused the status write). ` +
        `Check the worker's log for that attempt; schedule the job again once the cause is fixed.`,
    )
  }
}

/** The Prisma adapter could not tell which database the client talks to. */
export class ProviderDetectionError extends JobsKitError {
  constructor(detail: string) {
    super(
      'PROVIDER_NOT_DETECTED',
      `PrismaAdapter could not detect the database provider of your Prisma client (${detail}). ` +
        `Pass it explicitly: new PrismaAdapter({ db, provider: 'postgresql' }) ` +
        `(or 'sqlite', 'mysql', …, as in your schema's datasource).`,
    )
  }
}

/** The Prisma client has no model of the configured name, or the model lacks a required field. */
export class ModelNotFoundError extends JobsKitError {
  constructor(message: string) {
    super('MODEL_NOT_FOUND', message)
  }
}

/** An optional package a chosen feature needs is not installed (e.g. `pg` for notifications). */
export class OptionalDependencyError extends JobsKitError {
  constructor(readonly packageName: string, message: string, cause?: unknown) {
    super('OPTIONAL_DEPENDENCY_MISSING', message, { cause })
  }
}

/** Code assigned an inspection property of a class-style job (`job.queue = …`, `job.runAt = …`). */
export class ReadOnlyJobPropertyError extends JobsKitError {
  constructor(readonly jobName: string, readonly property: string) {
    super(
      'READ_ONLY_JOB_PROPERTY',
      property === 'runAt'
        ? `${jobName}: runAt cannot be set; it is computed from wait or waitUntil. ` +
            `Use job.set({ waitUntil: new Date(…) }) (or { wait: seconds }) instead.`
        : property === 'adapter' || property === 'logger'
          ? `${jobName}: ${property} cannot be set on an instance. Set \`static ${property} = …\` on the job class, ` +
            `or RedwoodJob.config({ ${property} }) for every job.`
          : `${jobName}: ${property} cannot be set directly. Use job.set({ ${property}: … }) or new ${jobName}({ ${property}: … }).`,
    )
  }
}

/** A class-style job has no adapter to store it with. */
export class MissingAdapterError extends JobsKitError {
  constructor(readonly jobName: string) {
    super(
      'MISSING_ADAPTER',
      `${jobName} has no adapter to store it with. Call RedwoodJob.config({ adapter, logger }) in your jobs config ` +
        `and import that config before scheduling, or set \`static adapter = …\` on ${jobName}.`,
    )
  }
}

function formatList(values: readonly string[]): string {
  return values.length === 0 ? '(none configured)' : values.map((value) => `"${value}"`).join(', ')
}
