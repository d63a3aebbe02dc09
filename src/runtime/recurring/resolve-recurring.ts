import { DEFAULT_MISSED_POLICY, DEFAULT_RECURRING_TIMEZONE } from '../defaults.js'
import { RecurringConfigError } from './errors.js'
import type { MissedPolicy, RecurringEntry } from './recurring-entry.js'

/** A recurring entry with its defaults filled in (cron and time zone are checked later, by `cron-schedule.ts`). */
export interface ResolvedRecurringEntry {
  name: string
  job: string
  cron: string
  timezone: string
  args: unknown[]
  /** Undefined: the job's own queue. */
  queue: string | undefined
  /** Undefined: the job's own priority. */
  priority: number | undefined
  missed: MissedPolicy
}

const MISSED_POLICIES: readonly MissedPolicy[] = ['skip', 'once', 'all']

/** Equal when MySQL's utf8mb4_unicode_ci would call two names equal: case and accents ignored. */
const sameOnMysql = new Intl.Collator('und', { sensitivity: 'base' })

/** Whether MySQL/MariaDB would take two schedule names for one (their `name` key ignores case and accents). */
export function sameScheduleName(a: string, b: string): boolean {
  return sameOnMysql.compare(a, b) === 0
}

/**
 * Checks the shape of the config's `recurring` (a list, or a function that
 * returns one) and fills in defaults. Throws `RecurringConfigError` naming
 * the entry at fault.
 */
export function resolveRecurring(recurring: unknown, queues: readonly string[]): ResolvedRecurringEntry[] {
  const list = typeof recurring === 'function' ? (recurring as () => unknown)() : recurring
  if (list === undefined) return []
  if (!Array.isArray(list)) {
    throw new RecurringConfigError(
      '`recurring` in your jobs config must be a list: recurring: [{ job: \'NightlyReportJob\', cron: \'0 3 * * *\' }].',
    )
  }
  const names = new Set<string>()
  return list.map((raw: unknown, index) => {
    const where = `recurring[${index}]`
    if (typeof raw !== 'object' || raw === null) throw new RecurringConfigError(`${where} in your jobs config is not an object: { job, cron }.`)
    const entry = raw as Partial<Record<keyof RecurringEntry, unknown>>
    if (typeof entry.job !== 'string' || entry.job === '') {
      throw new RecurringConfigError(`${where} in your jobs config needs \`job\`: the job's export name in your jobs index, e.g. 'NightlyReportJob'.`)
    }
    const name = entry.name ?? entry.job
    const label = `recurring entry "${String(name)}" (${where})`
    if (typeof name !== 'string' || name.trim() === '' || name.length > 191) {
      throw new RecurringConfigError(`${where} in your jobs config has a \`name\` that is not a non-empty string of at most 191 characters.`)
    }
    if (name.trim() !== name) {
      throw new RecurringConfigError(`The ${label} has a \`name\` that starts or ends with a space; leave the spaces out.`)
    }
    if (names.has(name)) {
      throw new RecurringConfigError(
        `Two recurring entries in your jobs config are named "${name}". Give each a unique \`name\` (it defaults to the job name).`,
      )
    }
    // MySQL/MariaDB compare the schedule row's name ignoring case and accents (utf8mb4_unicode_ci):
    // two such entries would share one row there, and one of them would never fire.
    const twin = [...names].find((other) => sameScheduleName(other, name))
    if (twin !== undefined) {
      throw new RecurringConfigError(
        `The recurring entries "${twin}" and "${name}" in your jobs config differ only in case or accents, which MySQL and MariaDB treat as one name. ` +
          'Give one of them another `name`.',
      )
    }
    names.add(name)
    if (typeof entry.cron !== 'string' || entry.cron.trim() === '') {
      throw new RecurringConfigError(`The ${label} needs \`cron\`: a cron expression such as '0 3 * * *'.`)
    }
    const timezone = entry.timezone ?? DEFAULT_RECURRING_TIMEZONE
    if (typeof timezone !== 'string' || timezone === '') {
      throw new RecurringConfigError(`The ${label} has a \`timezone\` that is not a string; use an IANA name such as 'Europe/Berlin'.`)
    }
    if (entry.args !== undefined && !Array.isArray(entry.args)) {
      throw new RecurringConfigError(`The ${label} has \`args\` that is not a list of perform's arguments, e.g. args: [42].`)
    }
    if (entry.queue !== undefined && (typeof entry.queue !== 'string' || !queues.includes(entry.queue))) {
      throw new RecurringConfigError(
        `The ${label} names queue ${JSON.stringify(entry.queue)}, which is not configured. Use one of ${queues.map((q) => `"${q}"`).join(', ')}, or leave it out for the job's own queue.`,
      )
    }
    if (entry.priority !== undefined && (typeof entry.priority !== 'number' || !Number.isInteger(entry.priority))) {
      throw new RecurringConfigError(`The ${label} has a \`priority\` that is not a whole number.`)
    }
    const missed = entry.missed ?? DEFAULT_MISSED_POLICY
    if (!MISSED_POLICIES.includes(missed as MissedPolicy)) {
      throw new RecurringConfigError(`The ${label} has missed: ${JSON.stringify(entry.missed)}. Use 'skip', 'once' or 'all'.`)
    }
    return {
      name,
      job: entry.job,
      cron: entry.cron.trim(),
      timezone,
      args: (entry.args as unknown[] | undefined) ?? [],
      queue: entry.queue as string | undefined,
      priority: entry.priority as number | undefined,
      missed: missed as MissedPolicy,
    }
  })
}
