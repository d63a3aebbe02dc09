import type { StoredJob } from '../../../types.js'
import type { JobTable } from '../job-table.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'
import type { DueFilter } from './due-condition.js'
import { claimDueJobsMysql, inReadCommittedTransaction } from './find-mysql.js'

/**
 * Deletes jobs that succeeded and finds and locks the next due jobs on MySQL
 * 8 / MariaDB 10.6+, in ONE transaction: the `DELETE`, then the claim of
 * `find-mysql.ts` (`SELECT * … FOR UPDATE SKIP LOCKED`, `UPDATE`).
 *
 * Why: MySQL cannot put a delete and a locking claim in one statement, and
 * Prisma's MariaDB adapter runs one statement per round trip (no
 * multi-statement queries), but a transaction's BEGIN and COMMIT are round
 * trips too. Apart, a success and a find cost 1 + 4; together 5 − … = 4
 * (BEGIN, DELETE, SELECT, UPDATE, COMMIT is 5, against 6 with the reread
 * `find` used to do and the success on its own): counted by
 * `worker-round-trips.test.ts`, measured in docs/benchmarks.md.
 *
 * Guarantees are those of the two steps apart, because the transaction is
 * atomic: the deletes and the new locks commit together or not at all. A
 * worker killed before the commit re-runs the jobs it was running (their rows
 * are still locked under its name) and never holds the next ones; killed
 * after it, a finished job is never run again. When the transaction fails,
 * none of the batch is recorded and nothing new is locked; the worker records
 * each job again alone.
 *
 * The deleted rows are gone for the claim that follows in the same
 * transaction, so unlike PostgreSQL's one statement no id needs excluding.
 */
export async function finishAndFindMysql(
  db: PrismaClientLike,
  table: JobTable,
  finishedJobIds: number[],
  filter: DueFilter,
  limit: number,
): Promise<StoredJob[]> {
  return inReadCommittedTransaction(db, async (tx) => {
    const parameters = new SqlParameters('mysql')
    await tx.$executeRawUnsafe(
      `DELETE FROM ${table.table} WHERE ${table.column.id} IN ${parameters.addList(finishedJobIds)}`,
      ...parameters.values,
    )
    return claimDueJobsMysql(tx, table, filter, limit)
  })
}
