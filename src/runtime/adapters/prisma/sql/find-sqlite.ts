import type { StoredJob } from '../../../types.js'
import { compareJobs, toStoredJob } from '../job-row.js'
import type { JobTable } from '../job-table.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'
import { dueCondition, dueOrder, type DueFilter } from './due-condition.js'
import { prismaQuery, type RunQuery } from './run-query.js'

/**
 * Finds and locks due jobs on SQLite with a single `UPDATE … RETURNING`.
 * SQLite runs one writer at a time on a database, and one statement is
 * atomic, so the rows selected by the subquery are the rows updated and no
 * other connection can take them in between.
 *
 * Dates are bound as Date parameters: the driver adapter writes them in the
 * same format it uses for the model API (ISO text by default with
 * better-sqlite3, or epoch milliseconds with `timestampFormat: 'unixepoch-ms'`),
 * so comparisons stay like for like. The `betterSqlite3` option's connection
 * (`sqlite-direct.ts`) writes them in that same format.
 */
export async function findSqlite(db: PrismaClientLike | RunQuery, table: JobTable, filter: DueFilter, limit: number): Promise<StoredJob[]> {
  const parameters = new SqlParameters('sqlite')
  const sql = claimDueJobsSqliteSql(table, parameters, filter, limit)
  const query = typeof db === 'function' ? db : prismaQuery(db)
  return toJobs(await query(sql, parameters.values), table)
}

/** The claiming `UPDATE … RETURNING *`, its values added to `parameters` (`?` placeholders are positional). */
export function claimDueJobsSqliteSql(table: JobTable, parameters: SqlParameters, filter: DueFilter, limit: number): string {
  const c = table.column
  const set =
    `${c.attempts} = ${c.attempts} + 1, ${c.lockedAt} = ${parameters.add(filter.now)}, ` +
    `${c.lockedBy} = ${parameters.add(filter.processName)}, ${c.updatedAt} = ${parameters.add(filter.now)}`
  const due = dueCondition(table, parameters, filter)
  return (
    `UPDATE ${table.table} SET ${set} ` +
    `WHERE ${c.id} IN (SELECT ${c.id} FROM ${table.table} WHERE ${due} ORDER BY ${dueOrder(table)} LIMIT ${parameters.add(limit)}) ` +
    `RETURNING *`
  )
}

export function toJobs(rows: Record<string, unknown>[], table: JobTable): StoredJob[] {
  return rows.map((row) => toStoredJob(row, table)).sort(compareJobs)
}
