import type { StoredJob } from '../../../types.js'
import type { JobTable } from '../job-table.js'
import { SqlParameters } from './dialect.js'
import type { DueFilter } from './due-condition.js'
import { claimDueJobsSql, claimedJobs, type ClaimedRows } from './find-postgresql.js'
import type { RunQuery } from './run-query.js'

/**
 * Deletes jobs that succeeded (one, or several that finished while the
 * worker's previous write was in flight) and finds and locks the next due
 * jobs, in one PostgreSQL statement: the `find-postgresql.ts` query with the
 * delete as a data-modifying CTE.
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
 * Why several finished jobs at once: a worker running 10 jobs at a time
 * finishes them faster than one statement per job can record them; the ones
 * that finish while a statement is in flight go together in the next (see
 * `worker/success-batch.ts`), so the round trips per job fall with the
 * concurrency instead of staying at one (docs/benchmarks.md has the figures).
 *
 * Guarantees are the ones of the two statements apart, because a statement is
 * atomic: the deletes and the new locks commit together or not at all, so a
 * worker killed at any point either re-runs the jobs it was running (the
 * delete did not commit) or holds the next ones under its name (taken back on
 * restart, or by anyone once stale) — never a finished job run again. A
 * failed statement records none of the batch: each job stays locked under
 * this worker's name, and the worker records it again alone.
 *
 * PostgreSQL runs a data-modifying CTE exactly once whether or not the main
 * query reads it; every part sees the same snapshot, so the finished rows are
 * still visible to `due` and are excluded by id.
 */
export async function finishAndFindPostgresql(
  query: RunQuery,
  table: JobTable,
  finishedJobIds: number[],
  filter: DueFilter,
  limit: number,
  returning: ClaimedRows = 'columns',
): Promise<StoredJob[]> {
  const parameters = new SqlParameters('postgresql')
  // One array parameter, passed over by the claim as the same parameter (claimDueJobsSql).
  const excludeIds = filter.excludeIds?.length ? [...filter.excludeIds, ...finishedJobIds] : finishedJobIds
  const deleteFinished = `finished AS (DELETE FROM ${table.table} WHERE ${table.column.id} = ANY(${parameters.add(finishedJobIds)})),`
  const sql = claimDueJobsSql(table, parameters, { ...filter, excludeIds }, limit, deleteFinished, returning)
  return claimedJobs(await query(sql, parameters.values), table, returning)
}
