import { OptionalDependencyError } from '../errors.js'
import { importOptionalPeer } from '../import-optional-peer.js'
import { RecurringConfigError } from './errors.js'
import type { ResolvedRecurringEntry } from './resolve-recurring.js'

/** What we use of a croner `Cron` (https://croner.56k.guru). */
interface CronerCron {
  nextRun(previous?: Date): Date | null
  previousRuns(n: number, reference?: Date): Date[]
}

type CronerClass = new (pattern: string, options: { timezone: string; paused: true; mode: string }) => CronerCron

let croner: Promise<CronerClass> | undefined

/**
 * Loads croner, the cron parser, once. It is an optional peer of the runtime:
 * only apps with `recurring` entries need it, so it is imported here, the
 * first time a schedule is parsed, and never by apps without any.
 */
export function loadCroner(): Promise<CronerClass> {
  croner ??= (async () => {
    let module: { Cron?: CronerClass; default?: { Cron?: CronerClass } }
    try {
      module = (await importOptionalPeer(
        'croner',
        'Your jobs config has `recurring` entries, which need the cron parser croner, and it is not installed. ' +
          'Install it: `npm install croner` (or remove the `recurring` entries).',
      )) as typeof module
    } catch (error) {
      croner = undefined
      throw error
    }
    const Cron = module.Cron ?? module.default?.Cron
    if (!Cron) throw new OptionalDependencyError('croner', 'The installed `croner` package has no Cron export; install croner 11 (`npm install croner@11`).')
    return Cron
  })()
  return croner
}

/** The slots of one recurring entry: its cron expression read in its time zone. */
export class CronSchedule {
  private constructor(private readonly cron: CronerCron) {}

  /**
   * Parses `entry.cron` in `entry.timezone`. 5 fields, or 6 with seconds
   * first; croner's nicknames (`@daily`, `@hourly`, …) too. Throws
   * `RecurringConfigError` naming the entry when either is invalid.
   */
  static async parse(entry: Pick<ResolvedRecurringEntry, 'name' | 'cron' | 'timezone'>): Promise<CronSchedule> {
    const Cron = await loadCroner()
    let cron: CronerCron
    try {
      cron = new Cron(entry.cron, { timezone: entry.timezone, paused: true, mode: '5-or-6-parts' })
      // An unknown time zone only fails once a date is converted.
      cron.nextRun(new Date())
    } catch (error) {
      const reason = (error as Error)?.message ?? String(error)
      const what = /timezone/i.test(reason)
        ? `time zone ${JSON.stringify(entry.timezone)} is not an IANA time zone (use e.g. 'UTC', 'Europe/Berlin', 'America/New_York')`
        : `cron ${JSON.stringify(entry.cron)} is not valid: use 5 fields (minute hour day month weekday, e.g. '0 3 * * *') or 6 with seconds first (e.g. '*/2 * * * * *')`
      throw new RecurringConfigError(`The recurring entry "${entry.name}" in your jobs config: ${what}. (${reason})`)
    }
    // croner accepts a day that never comes (`0 0 31 2 *`); such an entry would sit in the config and never fire.
    if (cron.nextRun(new Date()) === null) {
      throw new RecurringConfigError(
        `The recurring entry "${entry.name}" in your jobs config: cron ${JSON.stringify(entry.cron)} matches no date, so it would never fire. ` +
          'Check its day and month fields (e.g. February has no 30th or 31st); to stop an entry, remove it or `schedules pause` it.',
      )
    }
    return new CronSchedule(cron)
  }

  /** The first slot strictly after `after`, or undefined when there is none. */
  next(after: Date): Date | undefined {
    return this.cron.nextRun(after) ?? undefined
  }

  /** The next `count` slots strictly after `after`. */
  nextSlots(after: Date, count: number): Date[] {
    const slots: Date[] = []
    let cursor = after
    while (slots.length < count) {
      const slot = this.next(cursor)
      if (!slot) break
      slots.push(slot)
      cursor = slot
    }
    return slots
  }

  /**
   * Up to `limit` of the latest slots in `(after, until]`, oldest first.
   * Walks backwards from `until`, so a long outage of a per-second schedule
   * costs `limit` steps, not one per slot that passed.
   */
  latestSlotsBetween(after: Date, until: Date, limit: number): Date[] {
    // previousRuns leaves out a slot exactly at its reference: look from just past `until`.
    const reference = new Date(until.getTime() + 1)
    return this.cron
      .previousRuns(limit, reference)
      .filter((slot) => slot.getTime() > after.getTime() && slot.getTime() <= until.getTime())
      .reverse()
  }
}
