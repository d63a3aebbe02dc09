import type { StoredJob } from '../../../types.js'
import type { JobReport, JobReports } from '../job-reports.js'
import type { JobTable } from '../job-table.js'
import { SqlParameters } from './dialect.js'
import { heartbeatPostgresql } from './heartbeat-postgresql.js'
import type { RunQuery } from './run-query.js'

/**
 * A worker's reports as PostgreSQL statements. With the adapter's `pg` option
 * they run on a `pg` pool, which costs a busy worker far less CPU than
 * Prisma's raw-query path (docs/worker.md has the figures); without it,
 * through the client's `$queryRawUnsafe`, still half the CPU of the model API
 * (see `prisma-adapter.ts`). They make the same changes the model API makes
 * (`model-reports.ts`).
 */
export class PostgresqlJobReports implements JobReports {
  /**
   * `query`: runs a statement on the pool, opening it on first use, as a
   * named prepared statement (pg-pool.ts). `unpreparedQuery`: the same,
   * unnamed, for the statements that write or compare timestamps but return
   * only ids. A prepared statement keeps the parameter types of its first
   * Parse, and PostgreSQL refuses it after a migration only when its result
   * changes: once a migration made the timestamps `timestamptz`, a prepared
   * heartbeat would still send `timestamp`, whose input drops the `Z` of our
   * UTC text, and the session's TimeZone would then shift it (in Tokyo, a
   * lock renewed 9 hours in the past, stale for every other worker, which
   * would run the job again). Finding statements return `job.*`, so any
   * column type change makes PostgreSQL refuse them and they are prepared
   * again; `deleteFinished` sends only ids. (Since the pool sends dates
   * without the `Z`, see `pgPoolQuery`, both types read them alike; the
   * unnamed statements stay as a second line of defence.)
   * `table`: the jobs table, read from the client's data model when first needed; read after
   * the query runner is ready (on the `pg` pool, getting it qualifies the table, see `PrismaAdapter.poolTable`).
   */
  constructor(
    private readonly query: () => Promise<RunQuery>,
    private readonly unpreparedQuery: () => Promise<RunQuery>,
    private readonly table: () => JobTable,
  ) {}

  async report(job: StoredJob, report: JobReport): Promise<number> {
    const query = await this.unpreparedQuery()
    return reportPostgresql(query, this.table(), job, report, new Date())
  }

  async deleteFinished(jobIds: number[]): Promise<number> {
    const query = await this.query()
    const table = this.table()
    const parameters = new SqlParameters('postgresql')
    const sql = `DELETE FROM ${table.table} WHERE ${table.column.id} IN ${parameters.addList(jobIds)} RETURNING ${table.column.id}`
    return (await query(sql, parameters.values)).length
  }

  async keepFinished(jobIds: number[], lockedBy: string | null): Promise<number> {
    const query = await this.unpreparedQuery()
    const table = this.table()
    const c = table.column
    const parameters = new SqlParameters('postgresql')
    const sql =
      `UPDATE ${table.table} SET ${c.lockedAt} = NULL, ${c.lockedBy} = NULL, ${c.runAt} = NULL, ${c.lastError} = NULL, ${c.updatedAt} = ${parameters.add(new Date())} ` +
      `WHERE ${c.id} IN ${parameters.addList(jobIds)} AND ${c.lockedBy} IS NOT DISTINCT FROM ${parameters.add(lockedBy)} RETURNING ${c.id}`
    return (await query(sql, parameters.values)).length
  }

  async heartbeat(jobIds: number[], processName: string): Promise<void> {
    const query = await this.unpreparedQuery()
    return heartbeatPostgresql(query, this.table(), jobIds, processName, new Date())
  }
}

/**
 * Applies `report` to the job in one statement (a `DELETE`, or an `UPDATE`
 * that unlocks the row and records the outcome); returns how many rows
 * changed (0 or 1). Every statement but `deleteFinished` matches the row only
 * while this worker still holds it (`IS NOT DISTINCT FROM`: `lockedBy` as
 * `find` set it). `updatedAt` is set as Prisma's `@updatedAt` would.
 */
export async function reportPostgresql(
  query: RunQuery,
  table: JobTable,
  job: { id: number; lockedBy: string | null },
  report: JobReport,
  now: Date,
): Promise<number> {
  const c = table.column
  const parameters = new SqlParameters('postgresql')
  const id = `${c.id} = ${parameters.add(job.id)}`
  if (report.kind === 'deleteFinished') {
    return (await query(`DELETE FROM ${table.table} WHERE ${id} RETURNING ${c.id}`, parameters.values)).length
  }
  const held = `${id} AND ${c.lockedBy} IS NOT DISTINCT FROM ${parameters.add(job.lockedBy)}`
  if (report.kind === 'deleteGivenUp') {
    return (await query(`DELETE FROM ${table.table} WHERE ${held} RETURNING ${c.id}`, parameters.values)).length
  }
  const set = [`${c.lockedAt} = NULL`, `${c.lockedBy} = NULL`, `${c.updatedAt} = ${parameters.add(now)}`]
  // A success clears the error of an earlier failed attempt.
  if (report.kind === 'keepFinished') set.push(`${c.runAt} = NULL`, `${c.lastError} = NULL`)
  if (report.kind === 'retry') set.push(`${c.lastError} = ${parameters.add(report.lastError)}`, `${c.runAt} = ${parameters.add(report.retryAt)}`)
  if (report.kind === 'giveUp') set.push(`${c.lastError} = ${parameters.add(report.lastError)}`, `${c.failedAt} = ${parameters.add(now)}`)
  const sql = `UPDATE ${table.table} SET ${set.join(', ')} WHERE ${held} RETURNING ${c.id}`
  return (await query(sql, parameters.values)).length
}
