import type { JobTable } from '../job-table.js'
import { SqlParameters } from './dialect.js'
import type { RunQuery } from './run-query.js'

/**
 * Renews `lockedAt` of the jobs `processName` still holds, in one statement,
 * for the worker's reports on PostgreSQL (a `pg` pool or Prisma). A job another worker took meanwhile (its
 * lock went stale) no longer has this `lockedBy` and is left alone, so a
 * stalled worker that wakes up never renews a lock that is no longer its own.
 */
export async function heartbeatPostgresql(query: RunQuery, table: JobTable, jobIds: number[], processName: string, now: Date): Promise<void> {
  const c = table.column
  const parameters = new SqlParameters('postgresql')
  const at = parameters.add(now)
  const sql =
    `UPDATE ${table.table} SET ${c.lockedAt} = ${at}, ${c.updatedAt} = ${at} ` +
    `WHERE ${c.id} IN ${parameters.addList(jobIds)} AND ${c.lockedBy} = ${parameters.add(processName)} RETURNING ${c.id}`
  await query(sql, parameters.values)
}
