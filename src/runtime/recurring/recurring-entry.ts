import type { Job } from '../types.js'

/** What happens to slots that passed while no worker ran (see `plan-slots.ts`). */
export type MissedPolicy = 'skip' | 'once' | 'all'

/**
 * One entry of `recurring` in the jobs config: enqueue `job` on every slot of
 * `cron`, in `timezone`.
 *
 * ```ts
 * recurring: [{ job: 'NightlyReportJob', cron: '0 3 * * *', timezone: 'Europe/Berlin', missed: 'once' }]
 * ```
 */
export interface RecurringEntry<TQueue extends string = string> {
  /** The job's export name in the jobs index (the registry). */
  job: string
  /** 5 fields (`0 3 * * *`), or 6 with seconds first (`*\/2 * * * * *`). */
  cron: string
  /** Unique among the entries, ignoring case and accents (as MySQL compares them); default: the job name. Used by `schedules pause|resume|run <name>`. */
  name?: string
  /** IANA time zone the expression is read in, e.g. `Europe/Berlin`. Default `UTC`. */
  timezone?: string
  /** `perform`'s arguments. Default none. */
  args?: unknown[]
  /** Default: the job's queue. */
  queue?: TQueue
  /** Default: the job's priority. */
  priority?: number
  /** Slots that passed while no worker ran: `'skip'` (default), `'once'` (one catch-up run) or `'all'` (each, at most 100). */
  missed?: MissedPolicy
}

/**
 * A recurring entry whose `job` must be an export of the registry `TRegistry`
 * and whose `args` must fit that job's `perform`.
 */
export type TypedRecurringEntry<TRegistry, TQueue extends string = string> = {
  [K in keyof TRegistry & string]: TRegistry[K] extends Job<string, infer TArgs>
    ? Omit<RecurringEntry<TQueue>, 'job' | 'args'> & { job: K } & ([] extends TArgs ? { args?: TArgs } : { args: TArgs })
    : never
}[keyof TRegistry & string]

/**
 * Type-checks recurring entries against the jobs index: `job` must be one of
 * its exports and `args` must fit that job's `perform`. Returns the entries
 * unchanged.
 *
 * The jobs index imports the config, so the check must be deferred: give the
 * config a function with an explicit return type (without it TypeScript
 * reports the config as referencing itself, TS7022):
 *
 * ```ts
 * recurring: (): RecurringEntry[] =>
 *   recurringJobs<typeof import('../jobs/index.js')>([{ job: 'NightlyReportJob', cron: '0 3 * * *' }]),
 * ```
 */
export function recurringJobs<TRegistry>(entries: TypedRecurringEntry<TRegistry>[]): RecurringEntry[] {
  return entries as RecurringEntry[]
}

/** The run of a recurring entry a job belongs to, as `perform` sees it in `this.recurring`. */
export interface RecurringRun {
  /** The entry's name. */
  schedule: string
  /** The cron slot the job was enqueued for (for a manual run: when it was asked for). */
  slot: Date
  /** True for a catch-up run of a slot that passed while no worker ran (`missed: 'once' | 'all'`). */
  backfill: boolean
  /** True when enqueued by `schedules run <name>` rather than by the clock. */
  manual: boolean
}

/** How a recurring run is stored in the job's `handler` JSON (`recurring` key). */
export interface StoredRecurringRun {
  schedule: string
  /** ISO 8601. */
  slot: string
  backfill: boolean
  manual: boolean
}
