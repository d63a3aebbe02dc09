import type { StoredJob } from '../../../types.js'
import { compareJobs, toStoredJob } from '../job-row.js'
import type { JobTable } from '../job-table.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'
import { dueCondition, dueOrder, type DueFilter } from './due-condition.js'

/**
 * Finds and locks due jobs on SQLite with a single `UPDATE … RETURNING`.
 * SQLite runs one writer at a time on a database, and one statement is
 * atomic, so the rows selected by the subquery are the rows updated and no
 * other connection can take them in between.
 *
 * Dates are bound as Date parameters: the driver adapter writes them in the
 * same format it uses for the model API (ISO text by default with
 * better-sqlite3, or epoch milliseconds with `timestampFormat: 'unixepoch-ms'`),
 * so comparisons stay like for like.
 */
export async function findSqlite(db: PrismaClientLike, table: JobTable, filter: DueFilter, limit: number): Promise<StoredJob[]> {
  const c = table.column
  // `?` placeholders are positional: add values in the order they appear.
  const parameters = new SqlParameters('sqlite')
  const set =
    `${c.attempts} = ${c.attempts} + 1, ${c.lockedAt} = ${parameters.add(filter.now)}, ` +
    `${c.lockedBy} = ${parameters.add(filter.processName)}, ${c.updatedAt} = ${parameters.add(filter.now)}`
  const due = dueCondition(table, parameters, filter)
  const sql =
    `UPDATE ${table.table} SET ${set} ` +
    `WHERE ${c.id} IN (SELECT ${c.id} FROM ${table.table} WHERE ${due} ORDER BY ${dueOrder(table)} LIMIT ${parameters.add(limit)}) ` +
    `RETURNING *`
  const rows = (await db.$queryRawUnsafe(sql, ...parameters.values)) as Record<string, unknown>[]
  return rows.map((row) => toStoredJob(row, table)).sort(compareJobs)
}
