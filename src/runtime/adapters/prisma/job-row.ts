import type { StoredJob } from '../../types.js'
import type { JobTable } from './job-table.js'

/**
 * Turns a row from a raw query (keyed by column names, values as the driver
 * returns them) into a `StoredJob` (keyed by field names, with numbers and
 * Dates). Drivers differ: MySQL can return counters as strings or BigInts,
 * SQLite stores DateTime as text or epoch milliseconds.
 */
export function toStoredJob(row: Record<string, unknown>, table: JobTable): StoredJob {
  const job: Record<string, unknown> = {}
  for (const [columnName, value] of Object.entries(row)) {
    const field = table.fieldOfColumn.get(columnName)
    if (field) job[field] = value
  }
  return toStoredJobFromModel(job)
}

/**
 * A row the PostgreSQL claim returned as JSON text (`row_to_json`, see
 * `sql/find-postgresql.ts`): keyed by column names, timestamps as ISO text,
 * without an offset for a `timestamp` column (Prisma's default, which holds
 * UTC) and with the session's offset for a `timestamptz` one.
 *
 * Both are read as UTC wall time, the offset dropped, because that is how
 * Prisma's driver adapters (`@prisma/adapter-pg` 6 and 7) read and write a
 * `@db.Timestamptz` field: they send a Date as UTC text without an offset,
 * which PostgreSQL takes in the session's TimeZone, and drop the offset of
 * what they read. Under a TimeZone other than UTC the stored instant is off
 * by the zone's offset, but the same way for every write the app, the
 * scheduler and the worker's raw statements (same parameters) make. Reading
 * by the offset here returned a job whose `lockedAt` was 9 hours before the
 * one Prisma reads back in Asia/Tokyo (prisma-adapter-timestamptz.test.ts).
 */
export function toStoredJobFromJson(text: unknown, table: JobTable): StoredJob {
  const job: Record<string, unknown> = {}
  for (const [columnName, value] of Object.entries(JSON.parse(String(text)) as Record<string, unknown>)) {
    const field = table.fieldOfColumn.get(columnName)
    if (field) job[field] = DATE_FIELDS.has(field) && typeof value === 'string' ? utcTimestamp(value) : value
  }
  return toStoredJobFromModel(job)
}

const DATE_FIELDS = new Set<string>(['runAt', 'lockedAt', 'failedAt', 'createdAt', 'updatedAt'])

/** ISO text from PostgreSQL's JSON, its wall time read as UTC (`new Date` would read text without an offset as local time). */
function utcTimestamp(text: string): Date {
  return new Date(`${text.replace(/(T[^+\-Z]*)(?:Z|[+-]\d\d(?::?\d\d){0,2})$/i, '$1')}Z`)
}

/** Rows from the model API (or raw rows renamed to field names) already use field names; only the types may need fixing. */
export function toStoredJobFromModel(row: Record<string, unknown>): StoredJob {
  return {
    id: Number(row.id),
    handler: String(row.handler),
    queue: String(row.queue),
    priority: Number(row.priority),
    runAt: toDate(row.runAt),
    attempts: Number(row.attempts),
    lockedAt: toDate(row.lockedAt),
    lockedBy: row.lockedBy == null ? null : String(row.lockedBy),
    lastError: row.lastError == null ? null : String(row.lastError),
    failedAt: toDate(row.failedAt),
    createdAt: toDate(row.createdAt) ?? new Date(0),
    updatedAt: toDate(row.updatedAt) ?? new Date(0),
  }
}

/** A date column as Prisma or a driver returns it (Date, epoch number, or text), or null. */
export function toDate(value: unknown): Date | null {
  if (value == null) return null
  if (value instanceof Date) return value
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value))
  return new Date(String(value))
}

/** Jobs in the order `find` promises: priority, then runAt, then id. */
export function compareJobs(a: StoredJob, b: StoredJob): number {
  return (
    a.priority - b.priority ||
    (a.runAt?.getTime() ?? -Infinity) - (b.runAt?.getTime() ?? -Infinity) ||
    a.id - b.id
  )
}
