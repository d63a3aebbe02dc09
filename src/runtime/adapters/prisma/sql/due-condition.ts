import type { JobTable } from '../job-table.js'
import type { SqlParameters } from './dialect.js'

/** What makes a job due for one worker; shared by every find query. */
export interface DueFilter {
  /** The app clock's now: every timestamp the runtime compares or writes comes from the app, not the database. */
  now: Date
  /** Locks older than this are stale (now − staleAfterSeconds). */
  staleBefore: Date
  processName: string
  /**
   * Locks under `processName` older than this are an earlier run's of this
   * worker (killed, or stopped at once) and are taken back at once; locks it
   * took since are never handed to it again. Undefined: take back nothing.
   */
  takeBackLockedBefore?: Date
  /** `'*'` or a non-empty list. */
  queues: '*' | string[]
  /** Ids never to hand out in this query (a job being finished in the same statement). */
  excludeIds?: number[]
}

/**
 * The WHERE condition of a due job, with its values added to `parameters` in
 * the order they appear (MySQL and SQLite placeholders are positional):
 *
 * - its time has come (`runAt <= now`; a null `runAt` is never due: that is how
 *   a job kept after success with `deleteSuccessfulJobs: false` is marked done),
 * - it has not been given up (`failedAt` null),
 * - nobody holds it: unlocked, or its lock is stale, or it was locked under
 *   this very process name before this worker started (a restarted worker
 *   takes its own jobs back at once instead of waiting for them to go stale).
 *   A job this worker locked since it started is never handed to it again,
 *   even when its status write failed: it comes back only once stale, which
 *   is the backoff a failing database write needs,
 * - it is in one of the worker's queues.
 */
export function dueCondition(table: JobTable, parameters: SqlParameters, filter: DueFilter): string {
  const c = table.column
  const conditions = [
    `${c.runAt} <= ${parameters.add(filter.now)}`,
    `${c.failedAt} IS NULL`,
    unlockedCondition(table, parameters, filter),
  ]
  if (filter.queues !== '*') conditions.push(`${c.queue} IN ${parameters.addList(filter.queues)}`)
  if (filter.excludeIds?.length) conditions.push(`${c.id} NOT IN ${parameters.addList(filter.excludeIds)}`)
  return conditions.join(' AND ')
}

function unlockedCondition(table: JobTable, parameters: SqlParameters, filter: DueFilter): string {
  const c = table.column
  const stale = `${c.lockedAt} < ${parameters.add(filter.staleBefore)}`
  if (!filter.takeBackLockedBefore) return `(${c.lockedAt} IS NULL OR ${stale})`
  const ownFromBefore = `(${c.lockedBy} = ${parameters.add(filter.processName)} AND ${c.lockedAt} < ${parameters.add(filter.takeBackLockedBefore)})`
  return `(${c.lockedAt} IS NULL OR ${stale} OR ${ownFromBefore})`
}

/** The order jobs are taken in: priority (lower first), then runAt, then id for a stable order. */
export function dueOrder(table: JobTable): string {
  const c = table.column
  return `${c.priority} ASC, ${c.runAt} ASC, ${c.id} ASC`
}
