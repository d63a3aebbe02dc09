import type { StoredJob } from '../../../types.js'
import { compareJobs, toStoredJob } from '../job-row.js'
import type { JobTable } from '../job-table.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'
import { dueCondition, dueOrder, type DueFilter } from './due-condition.js'
import { retryOnDeadlock } from './retry-on-deadlock-mysql.js'

/**
 * Finds and locks due jobs on MySQL 8 / MariaDB 10.6+, in one transaction
 * (see `claimDueJobsMysql`).
 *
 * READ COMMITTED: under InnoDB's default REPEATABLE READ, a locking read keeps
 * a lock on every row it examined, matching or not, so concurrent workers
 * skipped rows nobody was taking and went back to sleep with jobs still due.
 */
export async function findMysql(db: PrismaClientLike, table: JobTable, filter: DueFilter, limit: number): Promise<StoredJob[]> {
  return inReadCommittedTransaction(db, (tx) => claimDueJobsMysql(tx, table, filter, limit))
}

/**
 * The claim, inside a transaction the caller opened (`finish-and-find-mysql.ts`
 * puts its delete in front): `SELECT * … FOR UPDATE SKIP LOCKED` takes row
 * locks on due jobs, skipping the ones another worker is locking, then
 * `UPDATE` marks them as ours. A locking read sees the latest committed row,
 * so a job another worker just took is no longer due and is not returned.
 *
 * MySQL has no `UPDATE … RETURNING`: the rows are read whole by the locking
 * `SELECT` and the values the `UPDATE` writes are applied to them here. They
 * cannot differ from the stored row: it is locked from the read to the
 * commit. This replaced a third statement that read the rows back: with
 * Prisma's MariaDB adapter a find went from 5 round trips (BEGIN, SELECT,
 * UPDATE, SELECT, COMMIT) to 4, counted by the worker's round-trip test
 * (`worker-round-trips.test.ts`).
 */
export async function claimDueJobsMysql(tx: PrismaClientLike, table: JobTable, filter: DueFilter, limit: number): Promise<StoredJob[]> {
  const c = table.column
  const select = new SqlParameters('mysql')
  const due = dueCondition(table, select, filter)
  const locked = (await tx.$queryRawUnsafe(
    `SELECT * FROM ${table.table} WHERE ${due} ORDER BY ${dueOrder(table)} LIMIT ${select.add(limit)} FOR UPDATE SKIP LOCKED`,
    ...select.values,
  )) as Record<string, unknown>[]
  if (locked.length === 0) return []
  const jobs = locked.map((row) => toStoredJob(row, table))

  const update = new SqlParameters('mysql')
  await tx.$executeRawUnsafe(
    `UPDATE ${table.table} SET ${c.attempts} = ${c.attempts} + 1, ${c.lockedAt} = ${update.add(filter.now)}, ` +
      `${c.lockedBy} = ${update.add(filter.processName)}, ${c.updatedAt} = ${update.add(filter.now)} ` +
      `WHERE ${c.id} IN ${update.addList(jobs.map((job) => job.id))}`,
    ...update.values,
  )
  return jobs
    .map((job) => ({ ...job, attempts: job.attempts + 1, lockedAt: filter.now, lockedBy: filter.processName, updatedAt: filter.now }))
    .sort(compareJobs)
}

/**
 * Runs `fn` in a READ COMMITTED transaction of the app's client (see
 * `findMysql` for why that level), again if InnoDB picks it as deadlock
 * victim (`retryOnDeadlock`).
 */
export async function inReadCommittedTransaction<T>(db: PrismaClientLike, fn: (tx: PrismaClientLike) => Promise<T>): Promise<T> {
  if (typeof db.$transaction !== 'function') {
    throw new Error('PrismaAdapter needs the app\'s PrismaClient, not a transaction client, to find jobs on MySQL.')
  }
  return retryOnDeadlock(async () => (await db.$transaction!(fn, { isolationLevel: 'ReadCommitted' })) as T)
}
