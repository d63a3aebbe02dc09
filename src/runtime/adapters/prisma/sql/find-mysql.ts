import type { StoredJob } from '../../../types.js'
import { compareJobs, toStoredJob } from '../job-row.js'
import type { JobTable } from '../job-table.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'
import { dueCondition, dueOrder, type DueFilter } from './due-condition.js'

/**
 * Finds and locks due jobs on MySQL 8 / MariaDB 10.6+, in one transaction:
 * `SELECT … FOR UPDATE SKIP LOCKED` takes row locks on due jobs, skipping the
 * ones another worker is locking, then `UPDATE` marks them as ours and a last
 * `SELECT` reads them back (MySQL has no `UPDATE … RETURNING`). A locking read
 * sees the latest committed row, so a job another worker just took is no
 * longer due and is not returned.
 *
 * READ COMMITTED: under InnoDB's default REPEATABLE READ, a locking read keeps
 * a lock on every row it examined, matching or not, so concurrent workers
 * skipped rows nobody was taking and went back to sleep with jobs still due.
 */
export async function findMysql(db: PrismaClientLike, table: JobTable, filter: DueFilter, limit: number): Promise<StoredJob[]> {
  if (typeof db.$transaction !== 'function') {
    throw new Error('PrismaAdapter.find needs the app\'s PrismaClient, not a transaction client, on MySQL.')
  }
  const c = table.column
  return (await db.$transaction(async (tx) => {
    const select = new SqlParameters('mysql')
    const due = dueCondition(table, select, filter)
    const locked = (await tx.$queryRawUnsafe(
      `SELECT ${c.id} AS id FROM ${table.table} WHERE ${due} ORDER BY ${dueOrder(table)} LIMIT ${select.add(limit)} FOR UPDATE SKIP LOCKED`,
      ...select.values,
    )) as { id: unknown }[]
    if (locked.length === 0) return []
    const ids = locked.map((row) => Number(row.id))

    const update = new SqlParameters('mysql')
    await tx.$executeRawUnsafe(
      `UPDATE ${table.table} SET ${c.attempts} = ${c.attempts} + 1, ${c.lockedAt} = ${update.add(filter.now)}, ` +
        `${c.lockedBy} = ${update.add(filter.processName)}, ${c.updatedAt} = ${update.add(filter.now)} ` +
        `WHERE ${c.id} IN ${update.addList(ids)}`,
      ...update.values,
    )

    const reread = new SqlParameters('mysql')
    const rows = (await tx.$queryRawUnsafe(
      `SELECT * FROM ${table.table} WHERE ${c.id} IN ${reread.addList(ids)}`,
      ...reread.values,
    )) as Record<string, unknown>[]
    return rows.map((row) => toStoredJob(row, table)).sort(compareJobs)
  }, { isolationLevel: 'ReadCommitted' })) as StoredJob[]
}
