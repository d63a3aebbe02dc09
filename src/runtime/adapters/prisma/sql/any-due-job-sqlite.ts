import type { JobTable } from '../job-table.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'

/**
 * Whether any job in `queues` is due and unlocked: the read-only look the
 * SQLite commit watcher takes before it wakes idle workers
 * (`sqlite-wake-filter.ts`). A read never takes SQLite's write lock (in WAL
 * mode it does not even wait for a writer), where an empty `find`
 * (`find-sqlite.ts`, an `UPDATE … RETURNING`) takes it on every look.
 *
 * Narrower than a worker's due condition (`due-condition.ts`) on purpose:
 * a stale lock, or a worker's own lock from before a restart, becomes
 * takeable by time passing, not by a commit, and the worker's poll every
 * `sleepDelay` already finds those. Wider in one way: the queues are those of
 * every idle worker of the process, so a job due for one of them wakes all.
 */
export async function anyDueJobSqlite(db: PrismaClientLike, table: JobTable, queues: '*' | string[], now: Date): Promise<boolean> {
  const c = table.column
  const parameters = new SqlParameters('sqlite')
  const conditions = [`${c.runAt} <= ${parameters.add(now)}`, `${c.failedAt} IS NULL`, `${c.lockedAt} IS NULL`]
  if (queues !== '*') conditions.push(`${c.queue} IN ${parameters.addList(queues)}`)
  const sql = `SELECT 1 AS due FROM ${table.table} WHERE ${conditions.join(' AND ')} LIMIT 1`
  const rows = (await db.$queryRawUnsafe(sql, ...parameters.values)) as unknown[]
  return rows.length > 0
}
