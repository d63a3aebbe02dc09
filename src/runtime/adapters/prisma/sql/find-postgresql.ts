import type { StoredJob } from '../../../types.js'
import { compareJobs, toStoredJob } from '../job-row.js'
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
export async function findPostgresql(query: RunQuery, table: JobTable, filter: DueFilter, limit: number): Promise<StoredJob[]> {
  const parameters = new SqlParameters('postgresql')
  const rows = await query(claimDueJobsSql(table, parameters, filter, limit), parameters.values)
  return rows.map((row) => toStoredJob(row, table)).sort(compareJobs)
}

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
): string {
  const c = table.column
  const due = dueCondition(table, parameters, filter)
  const now = parameters.add(filter.now)
  return `
    WITH ${leadingCtes}
    due AS (
      SELECT ${c.id} FROM ${table.table}
      WHERE ${due}
      ORDER BY ${dueOrder(table)}
      LIMIT ${parameters.add(limit)}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE ${table.table} AS job
    SET ${c.attempts} = job.${c.attempts} + 1,
        ${c.lockedAt} = ${now},
        ${c.lockedBy} = ${parameters.add(filter.processName)},
        ${c.updatedAt} = ${now}
    FROM due
    WHERE job.${c.id} = due.${c.id}
    RETURNING job.*`
}
