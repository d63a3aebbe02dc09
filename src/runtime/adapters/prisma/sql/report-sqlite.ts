import type { StoredJob } from '../../../types.js'
import type { JobReport, JobReports } from '../job-reports.js'
import type { JobTable } from '../job-table.js'
import type { SqliteDirect } from '../sqlite-direct.js'
import { SqlParameters } from './dialect.js'
import { claimDueJobsSqliteSql, toJobs } from './find-sqlite.js'
import type { DueFilter } from './due-condition.js'

/**
 * A worker's reports as SQLite statements on the `betterSqlite3` option's
 * connection (`sqlite-direct.ts`): the changes the model API makes
 * (`model-reports.ts`), as `sql/report-postgresql.ts` makes them on a `pg`
 * pool. `lockedBy` is compared with `IS`, SQLite's null-safe equality, as the
 * model API's `{ lockedBy: null }` matches a null holder. Each statement
 * returns the ids it changed, so the counts are the rows changed.
 */
export class SqliteJobReports implements JobReports {
  /**
   * `direct`: the connection, opened when first needed, or undefined when it
   * cannot be (an in-memory database): then `fallback` writes the reports.
   */
  constructor(
    private readonly direct: () => Promise<SqliteDirect | undefined>,
    private readonly fallback: JobReports,
    private readonly table: () => JobTable,
  ) {}

  async report(job: StoredJob, report: JobReport): Promise<number> {
    const direct = await this.direct()
    if (!direct) return this.fallback.report(job, report)
    const table = this.table()
    const c = table.column
    const parameters = new SqlParameters('sqlite')
    const sets: string[] = []
    const set = (column: string, value: unknown) => sets.push(`${column} = ${parameters.add(value)}`)
    if (report.kind !== 'deleteFinished' && report.kind !== 'deleteGivenUp') {
      sets.push(`${c.lockedAt} = NULL`, `${c.lockedBy} = NULL`)
      set(c.updatedAt, new Date())
      // A success clears the error of an earlier failed attempt.
      if (report.kind === 'keepFinished') sets.push(`${c.runAt} = NULL`, `${c.lastError} = NULL`)
      if (report.kind === 'retry') set(c.lastError, report.lastError), set(c.runAt, report.retryAt)
      if (report.kind === 'giveUp') set(c.lastError, report.lastError), set(c.failedAt, new Date())
    }
    const id = `${c.id} = ${parameters.add(job.id)}`
    // Every report but a finished job's deletion matches the row only while this worker still holds it.
    const where = report.kind === 'deleteFinished' ? id : `${id} AND ${c.lockedBy} IS ${parameters.add(job.lockedBy)}`
    const sql =
      sets.length === 0
        ? `DELETE FROM ${table.table} WHERE ${where} RETURNING ${c.id}`
        : `UPDATE ${table.table} SET ${sets.join(', ')} WHERE ${where} RETURNING ${c.id}`
    return (await direct.query(sql, parameters.values)).length
  }

  async deleteFinished(jobIds: number[]): Promise<number> {
    const direct = await this.direct()
    if (!direct) return this.fallback.deleteFinished(jobIds)
    const table = this.table()
    const parameters = new SqlParameters('sqlite')
    const sql = `DELETE FROM ${table.table} WHERE ${table.column.id} IN ${parameters.addList(jobIds)} RETURNING ${table.column.id}`
    return (await direct.query(sql, parameters.values)).length
  }

  async keepFinished(jobIds: number[], lockedBy: string | null): Promise<number> {
    const direct = await this.direct()
    if (!direct) return this.fallback.keepFinished(jobIds, lockedBy)
    const table = this.table()
    const c = table.column
    const parameters = new SqlParameters('sqlite')
    const sql =
      `UPDATE ${table.table} SET ${c.lockedAt} = NULL, ${c.lockedBy} = NULL, ${c.runAt} = NULL, ${c.lastError} = NULL, ${c.updatedAt} = ${parameters.add(new Date())} ` +
      `WHERE ${c.id} IN ${parameters.addList(jobIds)} AND ${c.lockedBy} IS ${parameters.add(lockedBy)} RETURNING ${c.id}`
    return (await direct.query(sql, parameters.values)).length
  }

  async heartbeat(jobIds: number[], processName: string): Promise<void> {
    const direct = await this.direct()
    if (!direct) return this.fallback.heartbeat(jobIds, processName)
    const table = this.table()
    const c = table.column
    const parameters = new SqlParameters('sqlite')
    const at = new Date()
    const sql =
      `UPDATE ${table.table} SET ${c.lockedAt} = ${parameters.add(at)}, ${c.updatedAt} = ${parameters.add(at)} ` +
      `WHERE ${c.id} IN ${parameters.addList(jobIds)} AND ${c.lockedBy} = ${parameters.add(processName)} RETURNING ${c.id}`
    await direct.query(sql, parameters.values)
  }
}

/**
 * Deletes finished jobs and finds and locks the next due ones in one SQLite
 * transaction on the `betterSqlite3` connection (`BEGIN IMMEDIATE`, no await
 * inside), like `finish-and-find-postgresql.ts`'s one statement: the deletes
 * and the new locks commit together or not at all, so a worker killed at any
 * point either re-runs the jobs it was running or holds the next ones under
 * its name (taken back on restart) — never a finished job run again. A
 * refused delete (a trigger's `RAISE(ABORT)`) rolls the claim back too and
 * records none of the batch: the worker records each job again alone.
 */
export async function finishAndFindSqlite(direct: SqliteDirect, table: JobTable, finishedJobIds: number[], filter: DueFilter, limit: number) {
  const remove = new SqlParameters('sqlite')
  const deleteSql = `DELETE FROM ${table.table} WHERE ${table.column.id} IN ${remove.addList(finishedJobIds)}`
  const claim = new SqlParameters('sqlite')
  const claimSql = claimDueJobsSqliteSql(table, claim, filter, limit)
  const rows = await direct.transaction([
    { sql: deleteSql, values: remove.values },
    { sql: claimSql, values: claim.values },
  ])
  return toJobs(rows, table)
}
