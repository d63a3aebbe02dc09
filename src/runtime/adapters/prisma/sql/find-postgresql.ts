import type { StoredJob } from '../../../types.js'
import { compareJobs, toStoredJob, toStoredJobFromJson } from '../job-row.js'
import type { JobTable } from '../job-table.js'
import { SqlParameters } from './dialect.js'
import { dueCondition, dueOrder, type DueFilter } from './due-condition.js'
import type { RunQuery } from './run-query.js'

/**
 * Finds and locks due jobs on PostgreSQL in one statement.
 *
 * `FOR UPDATE SKIP LOCKED` makes concurrent workers pass over rows another
 * worker is locking right now instead of waiting for them; the CTE is
 * evaluated once (a locking CTE is never inlined), so exactly the rows it
 * locked are updated. When another worker commits first, PostgreSQL re-checks
 * the WHERE on the new row version (READ COMMITTED), sees the fresh lock and
 * drops the row: a job is never handed out twice.
 */
export async function findPostgresql(
  query: RunQuery,
  table: JobTable,
  filter: DueFilter,
  limit: number,
  returning: ClaimedRows = 'columns',
): Promise<StoredJob[]> {
  const parameters = new SqlParameters('postgresql')
  return claimedJobs(await query(claimDueJobsSql(table, parameters, filter, limit, '', returning), parameters.values), table, returning)
}

/**
 * How the claim statement returns the rows it locked: a column per field
 * (`columns`, for the `pg` pool), or each row as one JSON text (`json`, for
 * the Prisma raw-query path). Prisma decodes every value of a raw result one
 * by one: measured in one process claiming one job per statement
 * (bench/experiments/prisma-raw-cpu.ts, median of 4 rounds, load ~10), the
 * client spent 0.755 ms per job with the 12 columns and 0.591 ms with one
 * JSON text parsed here.
 */
export type ClaimedRows = 'columns' | 'json'

/** The claimed rows as `StoredJob`s, in the order `find` promises. */
export function claimedJobs(rows: Record<string, unknown>[], table: JobTable, returning: ClaimedRows): StoredJob[] {
  const jobs = rows.map((row) => (returning === 'json' ? toStoredJobFromJson(row[JSON_COLUMN], table) : toStoredJob(row, table)))
  return jobs.sort(compareJobs)
}

/** The result column of a claim returning `json`. */
const JSON_COLUMN = 'job_json'

/**
 * The claim statement itself, shared with `finish-and-find-postgresql.ts`,
 * which puts its delete in front as another CTE (`leadingCtes`, ending in a
 * comma). Parameters are added to `parameters` in the order they appear.
 */
export function claimDueJobsSql(
  table: JobTable,
  parameters: SqlParameters,
  filter: DueFilter,
  limit: number,
  leadingCtes = '',
  returning: ClaimedRows = 'columns',
): string {
  const c = table.column
  // The ids to pass over go as one array parameter, and the values the due
  // condition already holds (now, the process name) are used again, not
  // sent twice: from 10 parameters to 6 for a finish-and-find of one job,
  // which took the Prisma raw-query path from 0.948 to 0.755 ms of client
  // CPU per job (prisma-raw-cpu.ts, as above; that variant's text was also
  // less indented, see below, so part of it is the shorter text). One array also makes one
  // statement text for any number of ids: one prepared statement on the `pg` pool.
  const { excludeIds, ...dueFilter } = filter
  const due = dueCondition(table, parameters, dueFilter)
  const exclude = excludeIds?.length ? ` AND ${c.id} <> ALL(${parameters.addOnce(excludeIds)})` : ''
  // Shared by `runAt <=` and the lock's time even when the two columns are of different types (timestamp and
  // timestamptz): both runners send dates as text without an offset, which both types read alike (pg-pool.ts;
  // pg-pool-mixed-timestamps.test.ts failed when the `pg` pool sent a `Z`).
  const now = parameters.addOnce(filter.now)
  // One line, no indentation: the text goes through Prisma and over the wire with every statement
  // (0.290 → 0.260 ms of client CPU per job with the whitespace collapsed, prisma-raw-cpu.ts, 5 rounds).
  return [
    `WITH ${leadingCtes} due AS (`,
    `SELECT ${c.id} FROM ${table.table} WHERE ${due}${exclude} ORDER BY ${dueOrder(table)} LIMIT ${parameters.add(limit)} FOR UPDATE SKIP LOCKED)`,
    `UPDATE ${table.table} AS job SET ${c.attempts} = job.${c.attempts} + 1, ${c.lockedAt} = ${now},`,
    `${c.lockedBy} = ${parameters.addOnce(filter.processName)}, ${c.updatedAt} = ${now}`,
    `FROM due WHERE job.${c.id} = due.${c.id}`,
    `RETURNING ${returning === 'json' ? `row_to_json(job.*)::text AS ${JSON_COLUMN}` : 'job.*'}`,
  ].join(' ')
}
