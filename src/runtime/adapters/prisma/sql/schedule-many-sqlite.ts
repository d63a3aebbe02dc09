import type { ScheduleInput } from '../../../types.js'
import type { JobTable } from '../job-table.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'

/** Values bound per job: handler, queue, priority, runAt, createdAt, updatedAt. */
const VALUES_PER_JOB = 6

/** Jobs per statement: SQLite binds at most 32,766 values (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
export const SCHEDULE_MANY_CHUNK_SQLITE = Math.floor(32_766 / VALUES_PER_JOB)

/**
 * Stores jobs with one multi-row `INSERT … RETURNING` on SQLite and returns
 * their ids in the order given.
 *
 * SQLite's RETURNING rows come in no promised order, so the ids are sorted:
 * SQLite runs one writer at a time, inserts the rows of a VALUES list in
 * list order, and an `AUTOINCREMENT` key (what Prisma's `autoincrement()`
 * creates) gives each new row a larger id than any before it. So the
 * smallest id is the first job's, and so on.
 *
 * Dates are bound as Date parameters, so the driver adapter writes them in
 * the format it uses for `later()` (ISO text, or epoch milliseconds with
 * `timestampFormat: 'unixepoch-ms'`).
 */
export async function scheduleManySqlite(client: PrismaClientLike, table: JobTable, jobs: readonly Omit<ScheduleInput, 'db'>[], now: Date): Promise<number[]> {
  const c = table.column
  const parameters = new SqlParameters('sqlite')
  const rows = jobs.map(
    (job) => `(${[JSON.stringify(job.handler), job.queue, job.priority, job.runAt, now, now].map((value) => parameters.add(value)).join(', ')})`,
  )
  const sql =
    `INSERT INTO ${table.table} (${c.handler}, ${c.queue}, ${c.priority}, ${c.runAt}, ${c.createdAt}, ${c.updatedAt}) ` +
    `VALUES ${rows.join(', ')} RETURNING ${c.id} AS id`
  const returned = (await client.$queryRawUnsafe(sql, ...parameters.values)) as { id: unknown }[]
  return returned.map((row) => Number(row.id)).sort((a, b) => a - b)
}
