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
 */
export function filterWhere(filter: JobFilter, clock: StateClock, provider: string): Record<string, unknown>[] {
  const where: Record<string, unknown>[] = []
  if (filter.queue) where.push({ queue: filter.queue })
  if (filter.state) where.push(stateWhere(filter.state, clock))
  if (filter.name) where.push({ handler: { startsWith: `{"name":${JSON.stringify(filter.name)},` } })
  if (filter.text) {
    // SQLite's and MySQL's LIKE ignore case already; PostgreSQL needs Prisma's `mode`, which the others reject.
    const contains = provider === 'postgresql' ? { contains: filter.text, mode: 'insensitive' } : { contains: filter.text }
    where.push({ OR: [{ handler: contains }, { lastError: contains }] })
  }
  return where
}
