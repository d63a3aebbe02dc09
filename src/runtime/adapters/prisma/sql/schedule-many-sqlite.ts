import type { ScheduleInput } from '../../../types.js'
import type { JobTable } from '../job-table.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'

/**
 * Jobs per statement. The jobs travel as one JSON parameter, so SQLite's
 * limit of 32,766 bound values does not apply; the chunk bounds the size of
 * that string. (The fallback below binds 6 values per job: 5,461 at most.)
 */
export const SCHEDULE_MANY_CHUNK_SQLITE = 5_000

/**
 * How the driver adapter writes a Date into a DATETIME column: ISO text
 * (`…T06:00:00.000+00:00`, better-sqlite3's default), ISO with `Z`, or epoch
 * milliseconds (`timestampFormat: 'unixepoch-ms'`). `undefined`: something
 * else, so dates must be bound one by one.
 */
export type SqliteDateFormat = 'iso-offset' | 'iso-z' | 'epoch-ms' | undefined

/** Asks the driver adapter how it writes a Date, by binding one and reading it back untouched. */
export async function readSqliteDateFormat(client: PrismaClientLike): Promise<SqliteDateFormat> {
  const rows = (await client.$queryRawUnsafe('SELECT ? AS d', new Date(0))) as { d: unknown }[]
  const value = rows[0]?.d
  if (value === '1970-01-01T00:00:00.000+00:00') return 'iso-offset'
  if (value === '1970-01-01T00:00:00.000Z') return 'iso-z'
  if ((typeof value === 'number' || typeof value === 'bigint') && Number(value) === 0) return 'epoch-ms'
  return undefined
}

/**
 * Stores jobs with one `INSERT … SELECT … FROM json_each(?) ORDER BY key
 * RETURNING` on SQLite and returns their ids in the order given.
 *
 * One JSON parameter instead of six bound values per job: 5,000 jobs took a
 * median 108 ms against 236 ms for a multi-row VALUES list at load 11, and
 * 238 ms against 543 ms at load 27 (9 runs each, through Prisma 7 and
 * better-sqlite3, `bench/experiments/schedule-many-sql.ts`).
 * Dates inside the JSON are written in the format the driver adapter itself
 * uses (`readSqliteDateFormat`), so rows match `later()`'s; an adapter with
 * any other format gets the VALUES list.
 *
 * SQLite's RETURNING rows come in no promised order, so the ids are sorted:
 * SQLite runs one writer at a time, the `ORDER BY key` inserts the jobs in
 * list order, and an `AUTOINCREMENT` key (what Prisma's `autoincrement()`
 * creates) gives each new row a larger id than any before it. So the
 * smallest id is the first job's, and so on.
 */
export async function scheduleManySqlite(
  client: PrismaClientLike,
  table: JobTable,
  jobs: readonly Omit<ScheduleInput, 'db'>[],
  now: Date,
  dateFormat: SqliteDateFormat,
): Promise<number[]> {
  const c = table.column
  const parameters = new SqlParameters('sqlite')
  const columns = `${c.handler}, ${c.queue}, ${c.priority}, ${c.runAt}, ${c.createdAt}, ${c.updatedAt}`
  let sql: string
  if (dateFormat) {
    const created = parameters.add(now)
    const updated = parameters.add(now)
    const input = JSON.stringify(jobs.map((job) => ({ h: JSON.stringify(job.handler), q: job.queue, p: job.priority, r: formatDate(job.runAt, dateFormat) })))
    sql =
      `INSERT INTO ${table.table} (${columns}) ` +
      `SELECT json_extract(value, '$.h'), json_extract(value, '$.q'), json_extract(value, '$.p'), json_extract(value, '$.r'), ${created}, ${updated} ` +
      `FROM json_each(${parameters.add(input)}) ORDER BY key RETURNING ${c.id} AS id`
  } else {
    const rows = jobs.map(
      (job) => `(${[JSON.stringify(job.handler), job.queue, job.priority, job.runAt, now, now].map((value) => parameters.add(value)).join(', ')})`,
    )
    sql = `INSERT INTO ${table.table} (${columns}) VALUES ${rows.join(', ')} RETURNING ${c.id} AS id`
  }
  const returned = (await client.$queryRawUnsafe(sql, ...parameters.values)) as { id: unknown }[]
  return returned.map((row) => Number(row.id)).sort((a, b) => a - b)
}

function formatDate(date: Date, format: Exclude<SqliteDateFormat, undefined>): string | number {
  if (format === 'epoch-ms') return date.getTime()
  const iso = date.toISOString()
  return format === 'iso-z' ? iso : `${iso.slice(0, -1)}+00:00`
}
