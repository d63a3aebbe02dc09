import type { JobTable } from '../job-table.js'
import { SqlParameters, type SqlDialect } from './dialect.js'
import type { RunQuery } from './run-query.js'

/** One queue's line of the dashboard's overview, counted in one pass. */
export interface QueueCountsRow {
  queue: string
  waiting: number
  scheduled: number
  running: number
  failed: number
  succeeded: number
  /** `runAt` of the oldest waiting job (as the driver returns it: Date or text). */
  oldestWaitingRunAt: unknown
  failedSince: number
  succeededSince: number
}

/**
 * The dashboard's overview counts, per queue, in ONE scan of the table:
 * each state is a `COUNT(CASE WHEN … THEN 1 END)` over the same rows,
 * with the state rules of `dashboard/queries/job-state.ts` (those of
 * `status`). Measured with 100,000 jobs on SQLite: the eight `groupBy` calls
 * of the model API took 540 ms (SQLite runs them one after the other, each a
 * full scan); this statement takes a fraction of that (docs/dashboard.md has
 * the figures). Deciding each row's state once in a subquery and counting
 * the states outside was tried and was slower on SQLite (156 ms against
 * 121 ms for this form, same data and load): SQLite materialises the subquery. Dates are bound parameters from the app's clock, as in every
 * other statement of the runtime.
 *
 * On SQLite, `GROUP BY +queue` (the unary `+` makes the column an
 * expression no index can order): without it SQLite reads the rows in the
 * order of the (queue, priority, runAt) index, looking each one up in the
 * table from there; with it, one sequential pass over the table and a small
 * temporary b-tree for the three groups. Same data, same run
 * (bench/experiments/dashboard-overview-sqlite.ts): 189 ms by the index,
 * 73 ms by the table scan (median, load average 4.5 on 2 cores).
 * MariaDB walks the same index, with a primary-key lookup per row; `USE
 * INDEX ()` (no index: a full scan and a small temporary table) took 482 ms
 * against 1,224 ms by the index (bench/experiments/dashboard-overview-mysql.ts,
 * median, load average 30 on 2 cores). PostgreSQL scans the table already.
 */
export async function countByQueueForDashboard(
  run: RunQuery,
  dialect: SqlDialect,
  table: JobTable,
  input: { now: Date; staleBefore: Date; since: Date },
): Promise<QueueCountsRow[]> {
  const c = table.column
  const p = new SqlParameters(dialect)
  // Placeholders are positional on SQLite and MySQL: each use adds its value in order.
  const notRunning = () => `(${c.lockedAt} IS NULL OR ${c.lockedAt} < ${p.add(input.staleBefore)})`
  const waiting = () => `${c.failedAt} IS NULL AND ${notRunning()} AND ${c.runAt} <= ${p.add(input.now)}`
  const succeeded = () => `${c.failedAt} IS NULL AND ${notRunning()} AND ${c.runAt} IS NULL`
  const sql =
    `SELECT ${c.queue} AS queue, ` +
    `COUNT(CASE WHEN ${waiting()} THEN 1 END) AS waiting, ` +
    `COUNT(CASE WHEN ${c.failedAt} IS NULL AND ${notRunning()} AND ${c.runAt} > ${p.add(input.now)} THEN 1 END) AS scheduled, ` +
    `COUNT(CASE WHEN ${c.failedAt} IS NULL AND ${c.lockedAt} >= ${p.add(input.staleBefore)} THEN 1 END) AS running, ` +
    `COUNT(${c.failedAt}) AS failed, ` +
    `COUNT(CASE WHEN ${succeeded()} THEN 1 END) AS succeeded, ` +
    `MIN(CASE WHEN ${waiting()} THEN ${c.runAt} END) AS oldest, ` +
    `COUNT(CASE WHEN ${c.failedAt} >= ${p.add(input.since)} THEN 1 END) AS failed_since, ` +
    `COUNT(CASE WHEN ${succeeded()} AND ${c.updatedAt} >= ${p.add(input.since)} THEN 1 END) AS succeeded_since ` +
    `FROM ${table.table}${dialect === 'mysql' ? ' USE INDEX ()' : ''} GROUP BY ${dialect === 'sqlite' ? '+' : ''}${c.queue}`
  const rows = await run(sql, p.values)
  return rows.map((row) => ({
    queue: String(row.queue),
    waiting: Number(row.waiting),
    scheduled: Number(row.scheduled),
    running: Number(row.running),
    failed: Number(row.failed),
    succeeded: Number(row.succeeded),
    oldestWaitingRunAt: row.oldest,
    failedSince: Number(row.failed_since),
    succeededSince: Number(row.succeeded_since),
  }))
}
