import { stateWhere, type JobState, type StateClock } from './job-state.js'

/** What the jobs list is narrowed to; every field optional. */
export interface JobFilter {
  queue?: string
  state?: JobState
  /** The job's registry name, exactly (`SendWelcomeEmailJob`). */
  name?: string
  /** Text anywhere in the stored arguments or in the last error, case-insensitive. */
  text?: string
}

/**
 * The Prisma `where` of a filter.
 *
 * The job's name is the start of the stored handler: the runtime writes
 * `JSON.stringify({ name, path, args })`, so the row of `SendJob` begins with
 * `{"name":"SendJob",`: a prefix match, exact, that needs no JSON functions
 * (which differ on every database). Text search is `contains` on the handler
 * (which holds the arguments) and on `lastError`: a scan, which the keyset
 * pages bound (see list-jobs.ts and docs/dashboard.md for the figures).
 *
 * Prisma turns `contains`/`startsWith` into LIKE without escaping `%` and
 * `_`. PostgreSQL and MySQL take a backslash escape, so the condition is
 * exact there; SQLite's LIKE has no escape character unless the statement
 * names one, which Prisma does not, so there a `%` or `_` typed in the
 * filter matches more rows than it should. Callers therefore also check
 * every row with `matchesFilter` (exact, in JavaScript) before showing or
 * changing it.
 */
export function filterWhere(filter: JobFilter, clock: StateClock, provider: string): Record<string, unknown>[] {
  const where: Record<string, unknown>[] = []
  if (filter.queue) where.push({ queue: filter.queue })
  if (filter.state) where.push(stateWhere(filter.state, clock))
  if (filter.name) where.push({ handler: { startsWith: escapeLike(namePrefix(filter.name), provider) } })
  if (filter.text) {
    // SQLite's and MySQL's LIKE ignore case already; PostgreSQL needs Prisma's `mode`, which the others reject.
    const text = escapeLike(filter.text, provider)
    const contains = provider === 'postgresql' ? { contains: text, mode: 'insensitive' } : { contains: text }
    where.push({ OR: [{ handler: contains }, { lastError: contains }] })
  }
  return where
}

/** Whether a row really matches the filter's name and text (the SQL condition may match more on SQLite, see above). */
export function matchesFilter(row: { handler: unknown; lastError: unknown }, filter: JobFilter): boolean {
  const handler = String(row.handler)
  if (filter.name && !handler.startsWith(namePrefix(filter.name))) return false
  if (filter.text) {
    const text = filter.text.toLowerCase()
    const lastError = row.lastError == null ? '' : String(row.lastError)
    if (!handler.toLowerCase().includes(text) && !lastError.toLowerCase().includes(text)) return false
  }
  return true
}

/** Whether the SQL condition of this filter can match rows it should not (only then is a post-check needed). */
export function mayOverMatch(filter: JobFilter, provider: string): boolean {
  return provider === 'sqlite' && /[%_]/.test(`${filter.name ?? ''}${filter.text ?? ''}`)
}

/** How the stored handler of a job named `name` begins. */
function namePrefix(name: string): string {
  return `{"name":${JSON.stringify(name)},`
}

/** `%`, `_` and the escape itself, escaped for LIKE where a backslash escapes (PostgreSQL, MySQL). */
function escapeLike(text: string, provider: string): string {
  if (provider === 'sqlite') return text
  return text.replace(/[\\%_]/g, (character) => `\\${character}`)
}
