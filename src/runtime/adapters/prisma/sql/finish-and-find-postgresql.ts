import type { StoredJob } from '../../../types.js'
import { compareJobs, toStoredJob } from '../job-row.js'
import type { JobTable } from '../job-table.js'
import { SqlParameters } from './dialect.js'
import type { DueFilter } from './due-condition.js'
import { claimDueJobsSql } from './find-postgresql.js'
import type { RunQuery } from './run-query.js'

/**
 * Deletes a job that succeeded and finds and locks the next due jobs, in one
 * PostgreSQL statement: the `find-postgresql.ts` query with the delete as a
 * data-modifying CTE.
 *
 * Why one statement: a worker at one job at a time spends its time waiting
 * on round trips, not in SQL or in JavaScript. Measured on the shared 2-core
 * benchmark machine (load ~8), in one process with 20,000 due jobs: `find`
 * took 2.9 ms per call and the model API's delete 2.5 ms, while the worker
 * process was busy 0.9 ms per job. In the quick benchmark (`npm run bench --
 * --quick`), 1 / 4 worker processes went from 93 / 168 jobs/s (delete, then
 * find) to 407 / 499 jobs/s with this statement (graphile-worker in the same
 * runs: 200 / 336, then 363 / 796).
 *
 * Guarantees are the ones of the two statements apart, because a statement is
 * atomic: the delete and the new locks commit together or not at all, so a
 * worker killed at any point either re-runs the job it was running (the
 * delete did not commit) or holds the next one under its name (taken back on
 * restart, or by anyone once stale) — never a finished job run again.
 *
 * PostgreSQL runs a data-modifying CTE exactly once whether or not the main
 * query reads it; every part sees the same snapshot, so the finished row is
 * still visible to `due` and is excluded by id.
 */
export async function finishAndFindPostgresql(
  query: RunQuery,
  table: JobTable,
  finishedJobId: number,
  filter: DueFilter,
  limit: number,
): Promise<StoredJob[]> {
  const parameters = new SqlParameters('postgresql')
  const finished = parameters.add(finishedJobId)
  const deleteFinished = `finished AS (DELETE FROM ${table.table} WHERE ${table.column.id} = ${finished}),`
  const sql = claimDueJobsSql(table, parameters, { ...filter, excludeIds: [...(filter.excludeIds ?? []), finishedJobId] }, limit, deleteFinished)
  const rows = await query(sql, parameters.values)
  return rows.map((row) => toStoredJob(row, table)).sort(compareJobs)
}
