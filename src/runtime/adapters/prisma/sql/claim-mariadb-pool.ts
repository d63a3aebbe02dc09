import type { StoredJob } from '../../../types.js'
import { compareJobs, toStoredJob } from '../job-row.js'
import type { JobTable } from '../job-table.js'
import { rowsOf, withUtcDates, type AdapterMariadbPool, type MariadbStatement } from '../mariadb-pool.js'
import { SqlParameters } from './dialect.js'
import { dueCondition, dueOrder, type DueFilter } from './due-condition.js'
import { retryOnDeadlock } from './retry-on-deadlock-mysql.js'

/**
 * `find` and `successAndFind` (with `deleteJob`) on MySQL/MariaDB for the
 * adapter's `mariadb` option: the statements of `find-mysql.ts` and
 * `finish-and-find-mysql.ts` (DELETE the finished jobs, `SELECT * … FOR
 * UPDATE SKIP LOCKED`, UPDATE the rows found), in one READ COMMITTED
 * transaction on one connection of the `mariadb` pool. On the pool the
 * adapter opens (`{ connectionString }`, what `setup` writes) the whole claim
 * is ONE multi-statement query (`claimInOneFlight` below: no transaction is
 * ever left open across a client round trip). On an app's pool, whose
 * connections may not take several statements in one query, it is two
 * flights of pipelined statements (`AdapterMariadbPool.transaction`):
 *
 *   1. BEGIN, DELETE, SELECT … FOR UPDATE SKIP LOCKED
 *   2. UPDATE, COMMIT (COMMIT alone when nothing was due)
 *
 * against five round trips through Prisma's raw path (BEGIN, DELETE, SELECT,
 * UPDATE, COMMIT, each awaited). Two flights is the least with SKIP LOCKED:
 * the UPDATE needs the ids the SELECT locked.
 *
 * Measured on the 2-core benchmark machine at load 12–24, 2,000 jobs drained
 * by runner processes at concurrency 1, median of 3 rounds
 * (bench/experiments/mariadb-option.ts): 1 process 91 jobs/s, 1.93 ms of
 * worker CPU per job, against 24 jobs/s and 5.58 ms through Prisma (raw-SQL
 * ceiling: 94 jobs/s, 0.83 ms); 4 processes 81 against 30 jobs/s, 3.28
 * against 8.51 ms (ceiling 155 jobs/s, 1.76 ms). A second run at load 15
 * (2 rounds, per round): 1 process 146–218 against 72–90 jobs/s, 1.37–1.47
 * against 3.60–3.80 ms (ceiling 67–136 jobs/s); 4 processes 129–190 against
 * 52–105 jobs/s, 2.68–3.36 against 6.12–8.12 ms (ceiling 257–535 jobs/s,
 * 0.90–0.98 ms): with 4 processes the option stays under half the ceiling,
 * and its worker CPU per job doubles (not investigated yet). In one process, the loop
 * alone (bench/experiments/mariadb-flights.ts, median of 3): 0.94 ms of CPU
 * per job on the adapter's own pool (multi-statement flights), 1.02 ms on an
 * app's pool (pipelined), 4.45 ms through Prisma.
 *
 * Guarantees are `finish-and-find-mysql.ts`'s: the deletes and the new locks
 * commit together (one transaction; a connection the server kills before
 * COMMIT rolls back both, so the worker re-runs only the jobs it had in hand,
 * still locked under its name, and holds none of the next). In one flight
 * the whole claim is on the server once sent: if the worker PROCESS dies
 * meanwhile, the server still runs it to COMMIT, and the next jobs stay
 * locked under the dead worker's name until a restart under that name takes
 * them back or their lock goes stale (nothing lost, nothing run twice; seen
 * with the claim's DELETE waiting on a row lock). One case the Prisma path does
 * not have: the UPDATE refused while COMMIT, already in flight, commits the
 * DELETE alone. The finished jobs are then recorded (their work is done), and
 * the rows the SELECT found are left unlocked, due for any worker: nothing is
 * lost and nothing runs twice; the worker sees the error and records each job
 * of the batch again alone (a delete of a deleted row changes nothing).
 * A claim InnoDB picks as deadlock victim runs again (`retryOnDeadlock`).
 */
export async function claimOnMariadbPool(
  pool: AdapterMariadbPool,
  table: JobTable,
  finishedJobIds: number[],
  filter: DueFilter,
  limit: number,
): Promise<StoredJob[]> {
  return retryOnDeadlock(() => claimOnce(pool, table, finishedJobIds, filter, limit))
}

async function claimOnce(
  pool: AdapterMariadbPool,
  table: JobTable,
  finishedJobIds: number[],
  filter: DueFilter,
  limit: number,
): Promise<StoredJob[]> {
  const c = table.column
  const first: MariadbStatement[] = []
  if (finishedJobIds.length > 0) {
    const remove = new SqlParameters('mysql')
    first.push({ sql: `DELETE FROM ${table.table} WHERE ${c.id} IN ${remove.addList(finishedJobIds)}`, values: remove.values })
  }
  if (pool.takesOneFlight && limit <= ONE_FLIGHT_MAX_LIMIT) return claimInOneFlight(pool, table, first, filter, limit)
  const select = new SqlParameters('mysql')
  const due = dueCondition(table, select, filter)
  first.push({
    sql: `SELECT * FROM ${table.table} WHERE ${due} ORDER BY ${dueOrder(table)} LIMIT ${select.add(limit)} FOR UPDATE SKIP LOCKED`,
    values: select.values,
  })
  return pool.transaction(first, (results) => {
    const jobs = rowsOf(results[results.length - 1]!).map((row) => toStoredJob(withUtcDates(row, table), table))
    if (jobs.length === 0) return { result: [] }
    const update = new SqlParameters('mysql')
    const sql =
      `UPDATE ${table.table} SET ${c.attempts} = ${c.attempts} + 1, ${c.lockedAt} = ${update.add(filter.now)}, ` +
      `${c.lockedBy} = ${update.add(filter.processName)}, ${c.updatedAt} = ${update.add(filter.now)} ` +
      `WHERE ${c.id} IN ${update.addList(jobs.map((job) => job.id))}`
    // As in find-mysql.ts: the rows are locked from the read to the commit, so the values written are applied here.
    const claimed = jobs
      .map((job) => ({ ...job, attempts: job.attempts + 1, lockedAt: filter.now, lockedBy: filter.processName, updatedAt: filter.now }))
      .sort(compareJobs)
    return { statements: [{ sql, values: update.values }], result: claimed }
  })
}

/**
 * Up to this many jobs per claim go in one flight: each is one locking
 * SELECT and one UPDATE (a worker claims its free slots, 1 at concurrency 1).
 */
const ONE_FLIGHT_MAX_LIMIT = 10

/**
 * The claim as ONE multi-statement query on the adapter's own pool
 * (`AdapterMariadbPool.oneFlight`): BEGIN, the DELETE of the finished jobs,
 * then per job a `SELECT id INTO @var … LIMIT 1 FOR UPDATE SKIP LOCKED` and
 * an UPDATE of that id (MariaDB has no `UPDATE … RETURNING`; the id stays on
 * the server in a session variable), the locked rows read back, COMMIT.
 *
 * Why: with two flights a transaction stays open across a client round trip
 * while holding the row locks of its locking read, and under READ COMMITTED
 * those include the rows it walked past (jobs other workers have claimed and
 * are running): their DELETE, when they finish, waited for it. Measured at 4
 * worker processes, 3,000 jobs (bench/experiments/mariadb-option.ts, load
 * 14): 2,843 row-lock waits and 22 s of lock wait (Innodb_row_lock_waits /
 * _time) against the ceiling's 1,039 and 6.2 s for its 1 and 4 process runs;
 * the waiting statement was always `DELETE … WHERE id IN (<own finished
 * job>)`, blocked by a transaction idle between its flights
 * (information_schema.INNODB_LOCK_WAITS). 4 processes then drained no faster
 * than 1 (103–116 against 82–199 jobs/s). In one flight no transaction waits
 * on a client: locks last as long as the server's own work.
 *
 * Guarantees as with two flights: the server stops at the first statement
 * that fails, so the deletes and the new locks commit together or not at
 * all; each SELECT sees this transaction's earlier UPDATEs, so a row is never
 * picked twice (it is no longer due once locked under `processName` now).
 */
async function claimInOneFlight(
  pool: AdapterMariadbPool,
  table: JobTable,
  deletes: MariadbStatement[],
  filter: DueFilter,
  limit: number,
): Promise<StoredJob[]> {
  const c = table.column
  const variables = Array.from({ length: limit }, (_, i) => `@jobs_kit_claim_${i + 1}`)
  const statements: MariadbStatement[] = [{ sql: `SET ${variables.map((v) => `${v} = NULL`).join(', ')}`, values: [] }, ...deletes]
  for (const variable of variables) {
    const select = new SqlParameters('mysql')
    const due = dueCondition(table, select, filter)
    statements.push({
      sql: `SELECT ${c.id} INTO ${variable} FROM ${table.table} WHERE ${due} ORDER BY ${dueOrder(table)} LIMIT 1 FOR UPDATE SKIP LOCKED`,
      values: select.values,
    })
    const update = new SqlParameters('mysql')
    statements.push({
      sql:
        `UPDATE ${table.table} SET ${c.attempts} = ${c.attempts} + 1, ${c.lockedAt} = ${update.add(filter.now)}, ` +
        `${c.lockedBy} = ${update.add(filter.processName)}, ${c.updatedAt} = ${update.add(filter.now)} WHERE ${c.id} = ${variable}`,
      values: update.values,
    })
  }
  statements.push({ sql: `SELECT * FROM ${table.table} WHERE ${c.id} IN (${variables.join(', ')})`, values: [] })
  const results = await pool.oneFlight(statements)
  return rowsOf(results[results.length - 1]!)
    .map((row) => toStoredJob(withUtcDates(row, table), table))
    .sort(compareJobs)
}
