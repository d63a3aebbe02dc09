import type { JobTable } from '../job-table.js'
import { SqlParameters } from './dialect.js'
import type { RunQuery } from './run-query.js'

/**
 * What a worker reports about a job it holds, as PostgreSQL statements for
 * the `pg` option (the Prisma path writes the same changes through the model
 * API). Every change but `deleteFinished` matches the row only while this
 * worker still holds it (`lockedBy` as `find` set it): a late report from a
 * worker that lost its lock changes nothing. `updatedAt` is set as Prisma's
 * `@updatedAt` would.
 */
export type JobReport =
  /** Success, row deleted: whoever holds it now, the work is done. */
  | { kind: 'deleteFinished' }
  /** Success, row kept as done (`runAt` null is never due), its `lastError` cleared. */
  | { kind: 'keepFinished' }
  /** A failed attempt: unlocked, to run again at `retryAt`. */
  | { kind: 'retry'; lastError: string; retryAt: Date }
  /** Given up: kept with `failedAt`, or deleted. */
  | { kind: 'giveUp'; lastError: string }
  | { kind: 'deleteGivenUp' }

/** Applies `report` to the job; returns how many rows changed (0 or 1). */
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

/** Renews `lockedAt` of the jobs `processName` still holds. */
export async function heartbeatPostgresql(query: RunQuery, table: JobTable, jobIds: number[], processName: string, now: Date): Promise<void> {
  const c = table.column
  const parameters = new SqlParameters('postgresql')
  const at = parameters.add(now)
  const sql =
    `UPDATE ${table.table} SET ${c.lockedAt} = ${at}, ${c.updatedAt} = ${at} ` +
    `WHERE ${c.id} IN ${parameters.addList(jobIds)} AND ${c.lockedBy} = ${parameters.add(processName)} RETURNING ${c.id}`
  await query(sql, parameters.values)
}
