import { InvalidBulkEntryError, InvalidScheduleOptionsError, JobsKitError } from '../errors.js'
import type { JobDefinition, JobsAdapter, Logger, ScheduleInput, ScheduleOptions } from '../types.js'
import { announceScheduled, prepareJob } from './schedule-job.js'

/** One entry of a `later.many()` call, whichever form the app used. */
export interface ManyCallEntry {
  job: unknown
  args: unknown
  options: unknown
}

/** Reads both forms of `later.many(...)`: `(job, items, options)` and `(entries, options)`. */
export function readManyCall(first: unknown, second: unknown, third: unknown): { entries: ManyCallEntry[]; shared: unknown } {
  if (Array.isArray(first)) {
    const entries = first.map((entry: unknown, index): ManyCallEntry => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new InvalidBulkEntryError(index, `Each entry of later.many([...]) is { job, args?, options? }, got ${describe(entry)}.`)
      }
      const { job, args, options, ...rest } = entry as Record<string, unknown>
      const unknown = Object.keys(rest)
      if (unknown.length > 0) {
        throw new InvalidBulkEntryError(index, `It has ${unknown.map((key) => `"${key}"`).join(', ')}; an entry takes job, args and options only.`)
      }
      return { job, args, options }
    })
    return { entries, shared: second }
  }
  if (!Array.isArray(second)) {
    throw new InvalidScheduleOptionsError(
      'jobs with later.many()',
      'give a job and a list of its args, later.many(SendJob, [[1], [2]]), or a list of entries, later.many([{ job: SendJob, args: [1] }]).',
    )
  }
  const entries = second.map((item: unknown, index): ManyCallEntry => {
    if (Array.isArray(item)) return { job: first, args: item, options: undefined }
    if (typeof item === 'object' && item !== null) {
      const { args, options, ...rest } = item as Record<string, unknown>
      const unknown = Object.keys(rest)
      if (unknown.length === 0) return { job: first, args, options }
      throw new InvalidBulkEntryError(index, `It has ${unknown.map((key) => `"${key}"`).join(', ')}; an item is the job's args ([1, 'x']) or { args, options }.`)
    }
    throw new InvalidBulkEntryError(index, `An item of later.many(job, items) is the job's args ([1, 'x']) or { args, options }, got ${describe(item)}.`)
  })
  return { entries, shared: third }
}

/** What the manager found out about one entry's job. */
export interface ResolvedEntryJob {
  name: string
  definition: JobDefinition<string, unknown[]>
  adapterName: string
}

export interface ScheduleManyInput {
  entries: ManyCallEntry[]
  shared: unknown
  /** Finds the job's registry name, definition and adapter; throws as `later()` would. */
  resolveJob(job: unknown): Promise<ResolvedEntryJob>
  adapters: Record<string, JobsAdapter>
  queues: readonly string[]
  logger: Logger
}

const ENTRY_OPTIONS = new Set(['wait', 'waitUntil', 'queue', 'priority'])
const SHARED_OPTIONS = new Set([...ENTRY_OPTIONS, 'db'])

/**
 * `later.many(...)`: checks every entry exactly as `later()` checks one
 * (arguments, options, registry), before anything is written, then stores
 * them all in one adapter call and returns the ids in the entries' order.
 * Every entry gets the same "now", so `wait: 60` gives one `runAt` and the
 * jobs run in the order given (priority, then runAt, then id).
 */
export async function scheduleMany(input: ScheduleManyInput): Promise<number[]> {
  const shared = checkSharedOptions(input.shared)
  const now = new Date()
  const resolvedByJob = new Map<unknown, ResolvedEntryJob>()
  const prepared: ScheduleInput[] = []
  let adapterName: string | undefined
  for (const [index, entry] of input.entries.entries()) {
    try {
      let resolved = resolvedByJob.get(entry.job)
      if (!resolved) {
        resolved = await input.resolveJob(entry.job)
        resolvedByJob.set(entry.job, resolved)
      }
      adapterName ??= resolved.adapterName
      if (resolved.adapterName !== adapterName) {
        throw new InvalidBulkEntryError(
          index,
          `Its job ${resolved.name} is stored by adapter "${resolved.adapterName}", entry 0's by "${adapterName}"; ` +
            'one later.many() call stores its jobs through one adapter, so that they are stored together or not at all. Call later.many() once per adapter.',
        )
      }
      const options = mergeOptions(resolved.name, shared, entry.options)
      const adapter = input.adapters[resolved.adapterName]!
      prepared.push(prepareJob({ job: entry.job as object, name: resolved.name, definition: resolved.definition, args: entry.args as unknown[] | undefined, options, adapter, queues: input.queues }, now))
    } catch (error) {
      if (error instanceof InvalidBulkEntryError) throw error
      const detail = error instanceof Error ? error.message : String(error)
      // Errors of the runtime say what to do; anything else (a registry that failed to load) keeps its own message.
      throw new InvalidBulkEntryError(index, error instanceof JobsKitError ? detail : `Checking it failed: ${detail}`, error)
    }
  }
  if (prepared.length === 0) return []

  const adapter = input.adapters[adapterName!]!
  const jobs = prepared.map(({ db: _db, ...job }) => job)
  let ids: number[]
  if (adapter.scheduleMany) {
    ids = await adapter.scheduleMany({ jobs, db: shared?.db })
    if (!Array.isArray(ids) || ids.length !== jobs.length) {
      throw new Error(`later.many(): the adapter's scheduleMany returned ${Array.isArray(ids) ? ids.length : describe(ids)} ids for ${jobs.length} jobs; it must return one id per job, in order.`)
    }
  } else {
    // No bulk form: one schedule() per job, in order, each with the caller's transaction (atomic only through it).
    ids = []
    for (const job of prepared) ids.push(await adapter.schedule(job))
  }
  announceScheduled(
    input.logger,
    prepared.map((job, index) => ({ job: input.entries[index]!.job as object, input: job, id: ids[index]!, adapter })),
  )
  return ids
}

function checkSharedOptions(options: unknown): ScheduleOptions | undefined {
  if (options === undefined) return undefined
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidScheduleOptionsError('jobs with later.many()', `the call's options must be an object like { wait: 60 } or { db: tx }, got ${describe(options)}.`)
  }
  for (const key of Object.keys(options)) {
    if (!SHARED_OPTIONS.has(key)) {
      throw new InvalidScheduleOptionsError('jobs with later.many()', `unknown option "${key}" in the call's options. Use wait (seconds), waitUntil (a Date), queue, priority or db.`)
    }
  }
  return options as ScheduleOptions
}

/** The entry's options over the call's: the entry's timing (wait or waitUntil) replaces the call's; `db` is the call's only. */
function mergeOptions(jobName: string, shared: ScheduleOptions | undefined, own: unknown): ScheduleOptions | undefined {
  if (own === undefined) return shared
  if (typeof own !== 'object' || own === null || Array.isArray(own)) {
    throw new InvalidScheduleOptionsError(jobName, `an entry's options must be an object like { wait: 60 }, got ${describe(own)}.`)
  }
  for (const key of Object.keys(own)) {
    if (key === 'db') {
      throw new InvalidScheduleOptionsError(jobName, 'db is an option of the whole later.many() call, not of one entry: later.many(entries, { db: tx }).')
    }
    if (!ENTRY_OPTIONS.has(key)) throw new InvalidScheduleOptionsError(jobName, `unknown option "${key}". Use wait (seconds), waitUntil (a Date), queue or priority.`)
  }
  const entry = own as ScheduleOptions
  const ownTiming = entry.wait !== undefined || entry.waitUntil !== undefined
  const merged: ScheduleOptions = {}
  const wait = ownTiming ? entry.wait : shared?.wait
  const waitUntil = ownTiming ? entry.waitUntil : shared?.waitUntil
  if (wait !== undefined) merged.wait = wait
  if (waitUntil !== undefined) merged.waitUntil = waitUntil
  const queue = entry.queue ?? shared?.queue
  if (queue !== undefined) merged.queue = queue
  const priority = entry.priority ?? shared?.priority
  if (priority !== undefined) merged.priority = priority
  if (shared?.db !== undefined) merged.db = shared.db
  return merged
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : String(value)
}
