import type { StoredJob } from '../../../types.js'
import type { JobReport, JobReports } from '../job-reports.js'
import type { JobTable } from '../job-table.js'
import { affectedRowsOf, type AdapterMariadbPool } from '../mariadb-pool.js'
import { SqlParameters } from './dialect.js'

/**
 * A worker's reports as MySQL/MariaDB statements, for the adapter's
 * `mariadb` option: each one statement (autocommit) on the `mariadb` pool,
 * making the changes the model API makes (`model-reports.ts`), as
 * `report-postgresql.ts` does for `pg`. `<=>` is MySQL's null-safe equality
 * (`lockedBy` as `find` set it, null included). `updatedAt` is set as
 * Prisma's `@updatedAt` would.
 */
export class MysqlJobReports implements JobReports {
  constructor(
    private readonly pool: AdapterMariadbPool,
    private readonly table: () => JobTable,
  ) {}

  async report(job: StoredJob, report: JobReport): Promise<number> {
    const table = this.table()
    const c = table.column
    const now = new Date()
    const parameters = new SqlParameters('mysql')
    const id = `${c.id} = ${parameters.add(job.id)}`
    if (report.kind === 'deleteFinished') return this.run(`DELETE FROM ${table.table} WHERE ${id}`, parameters.values)
    const held = `${id} AND ${c.lockedBy} <=> ${parameters.add(job.lockedBy)}`
    if (report.kind === 'deleteGivenUp') return this.run(`DELETE FROM ${table.table} WHERE ${held}`, parameters.values)
    // SET comes before WHERE in the text: its values go first.
    const set = new SqlParameters('mysql')
    const assignments = [`${c.lockedAt} = NULL`, `${c.lockedBy} = NULL`, `${c.updatedAt} = ${set.add(now)}`]
    // A success clears the error of an earlier failed attempt.
    if (report.kind === 'keepFinished') assignments.push(`${c.runAt} = NULL`, `${c.lastError} = NULL`)
    if (report.kind === 'retry') assignments.push(`${c.lastError} = ${set.add(report.lastError)}`, `${c.runAt} = ${set.add(report.retryAt)}`)
    if (report.kind === 'giveUp') assignments.push(`${c.lastError} = ${set.add(report.lastError)}`, `${c.failedAt} = ${set.add(now)}`)
    return this.run(`UPDATE ${table.table} SET ${assignments.join(', ')} WHERE ${held}`, [...set.values, ...parameters.values])
  }

  async deleteFinished(jobIds: number[]): Promise<number> {
    const table = this.table()
    const parameters = new SqlParameters('mysql')
    return this.run(`DELETE FROM ${table.table} WHERE ${table.column.id} IN ${parameters.addList(jobIds)}`, parameters.values)
  }

  async keepFinished(jobIds: number[], lockedBy: string | null): Promise<number> {
    const table = this.table()
    const c = table.column
    const parameters = new SqlParameters('mysql')
    const at = parameters.add(new Date())
    const sql =
      `UPDATE ${table.table} SET ${c.lockedAt} = NULL, ${c.lockedBy} = NULL, ${c.runAt} = NULL, ${c.lastError} = NULL, ${c.updatedAt} = ${at} ` +
      `WHERE ${c.id} IN ${parameters.addList(jobIds)} AND ${c.lockedBy} <=> ${parameters.add(lockedBy)}`
    return this.run(sql, parameters.values)
  }

  /** Renews `lockedAt` of the jobs `processName` still holds (a job another worker took meanwhile is left alone). */
  async heartbeat(jobIds: number[], processName: string): Promise<void> {
    const table = this.table()
    const c = table.column
    const parameters = new SqlParameters('mysql')
    const now = new Date()
    const sql = `UPDATE ${table.table} SET ${c.lockedAt} = ${parameters.add(now)}, ${c.updatedAt} = ${parameters.add(now)} WHERE ${c.id} IN ${parameters.addList(jobIds)} AND ${c.lockedBy} = ${parameters.add(processName)}`
    await this.run(sql, parameters.values)
  }

  private async run(sql: string, values: unknown[]): Promise<number> {
    return affectedRowsOf(await this.pool.run({ sql, values }))
  }
}
