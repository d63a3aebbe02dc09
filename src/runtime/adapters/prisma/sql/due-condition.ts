import type { JobTable } from '../job-table.js'
import type { SqlParameters } from './dialect.js'

/** What makes a job due for one worker; shared by every find query. */
export interface DueFilter {
  /** The app clock's now: every timestamp the runtime compares or writes comes from the app, not the database. */
  now: Date
  /** Locks older than this are stale (now − maxRuntime). */
  staleBefore: Date
  processName: string
  /** `'*'` or a non-empty list. */
  queues: '*' | string[]
  /** Ids this process is running right now: never hand them out again, even though `lockedBy` matches. */
  excludeIds: number[]
}

/**
 * The WHERE condition of a due job, with its values added to `parameters` in
 * the order they appear (MySQL and SQLite placeholders are positional):
 *
 * - its time has come (`runAt <= now`; a null `runAt` is never due: that is how
 *   a job kept after success with `deleteSuccessfulJobs: false` is marked done),
 * - it has not been given up (`failedAt` null),
 * - nobody holds it: unlocked, or its lock is stale, or it is locked under
 *   this very process name (a restarted worker takes its own jobs back),
 * - it is in one of the worker's queues, and this process is not running it already.
 */
export function dueCondition(table: JobTable, parameters: SqlParameters, filter: DueFilter): string {
  const c = table.column
  const conditions = [
    `${c.runAt} <= ${parameters.add(filter.now)}`,
    `${c.failedAt} IS NULL`,
    `(${c.lockedAt} IS NULL OR ${c.lockedAt} < ${parameters.add(filter.staleBefore)} OR ${c.lockedBy} = ${parameters.add(filter.processName)})`,
  ]
  if (filter.queues !== '*') conditions.push(`${c.queue} IN ${parameters.addList(filter.queues)}`)
  if (filter.excludeIds.length > 0) conditions.push(`${c.id} NOT IN ${parameters.addList(filter.excludeIds)}`)
  return conditions.join(' AND ')
}

/** The order jobs are taken in: priority (lower first), then runAt, then id for a stable order. */
export function dueOrder(table: JobTable): string {
  const c = table.column
  return `${c.priority} ASC, ${c.runAt} ASC, ${c.id} ASC`
}
