import { randomUUID } from 'node:crypto'
import type { ScheduleInput } from '../../../types.js'
import type { JobTable } from '../job-table.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'

/** Values bound per job: handler, queue, priority, runAt, the lockedBy tag, createdAt, updatedAt. */
const VALUES_PER_JOB = 7

/** Jobs per statement: MySQL and MariaDB bind at most 65,535 placeholders in one prepared statement. */
export const SCHEDULE_MANY_CHUNK_MYSQL = Math.floor(65_535 / VALUES_PER_JOB)

/**
 * Bytes of job values per statement. The server refuses a statement longer
 * than `max_allowed_packet` ("Got a packet bigger than 'max_allowed_packet'
 * bytes"): 16 MiB by default on MariaDB, 64 MiB on MySQL 8, 4 MiB on older
 * servers. 9,000 jobs with 2 KB of args each (18 MB) failed on MariaDB 10.11
 * before chunks were bounded by size too. 4 MiB keeps every default server
 * happy; a chunk of small jobs never reaches it before the count limit.
 */
export const SCHEDULE_MANY_BYTES_MYSQL = 4 * 1024 * 1024

/** About what one job adds to the statement: its handler's JSON and queue, plus the tag, dates and separators. */
export function jobStatementBytes(job: Omit<ScheduleInput, 'db'>): number {
  return Buffer.byteLength(JSON.stringify(job.handler)) + Buffer.byteLength(job.queue) + 160
}

/** `jobs` in order, cut into chunks of at most `maxJobs` jobs and `maxBytes` bytes (a job larger than that alone). */
export function chunkJobs<T extends Omit<ScheduleInput, 'db'>>(jobs: readonly T[], maxJobs: number, maxBytes: number): T[][] {
  const chunks: T[][] = []
  let chunk: T[] = []
  let bytes = 0
  for (const job of jobs) {
    const size = Number.isFinite(maxBytes) ? jobStatementBytes(job) : 0
    if (chunk.length > 0 && (chunk.length >= maxJobs || bytes + size > maxBytes)) {
      chunks.push(chunk)
      chunk = []
      bytes = 0
    }
    chunk.push(job)
    bytes += size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

/**
 * Stores jobs on MySQL 8 / MariaDB 10.6+ and returns their ids in the order
 * given. Run it inside a transaction (the adapter does): it takes three
 * statements on one connection.
 *
 * MySQL has no `INSERT … RETURNING`, and the ids of a multi-row INSERT are
 * consecutive from `LAST_INSERT_ID()` only when `innodb_autoinc_lock_mode` is
 * 0 or 1. MySQL 8 defaults to 2 ("interleaved"), where concurrent inserts
 * take ids between ours, and `auto_increment_increment` (Galera sets it) can
 * space them. So each row carries a tag in `lockedBy`, `<call>:<position>`,
 * read back with its id and then cleared:
 *
 * 1. `INSERT … VALUES (…), (…)` with `lockedBy` = the tag;
 * 2. `SELECT id, lockedBy … WHERE id >= LAST_INSERT_ID() AND lockedBy LIKE '<call>:%'`
 *    (LAST_INSERT_ID() is the first row's id; every id the statement took is
 *    at least that, so the primary key bounds the scan);
 * 3. `UPDATE … SET lockedBy = NULL` on those rows.
 *
 * The mapping is exact whatever the lock mode. Its price, 5,000 jobs through
 * Prisma 7 and MariaDB 10.11 (`bench/experiments/schedule-many-sql.ts`,
 * median of 9, load 27): 843 ms against 594 ms for the INSERT alone, whose
 * ids would be unknown; the read-back and the clear took 40–80 ms of it
 * in a quieter run. (MariaDB 10.5+ has `INSERT … RETURNING`, MySQL does
 * not: one path for both keeps one thing to test.) No worker ever sees a tag: the
 * rows are uncommitted until the transaction ends, and by then the tag is
 * gone (a row with a tag and no `lockedAt` would read as free anyway). The
 * rows end up exactly as `later()` writes them.
 */
export async function scheduleManyMysql(tx: PrismaClientLike, table: JobTable, jobs: readonly Omit<ScheduleInput, 'db'>[], now: Date): Promise<number[]> {
  const c = table.column
  const call = `jobs-kit:many:${randomUUID()}:`
  const insert = new SqlParameters('mysql')
  const rows = jobs.map(
    (job, index) =>
      `(${[JSON.stringify(job.handler), job.queue, job.priority, job.runAt, call + index, now, now].map((value) => insert.add(value)).join(', ')})`,
  )
  await tx.$executeRawUnsafe(
    `INSERT INTO ${table.table} (${c.handler}, ${c.queue}, ${c.priority}, ${c.runAt}, ${c.lockedBy}, ${c.createdAt}, ${c.updatedAt}) VALUES ${rows.join(', ')}`,
    ...insert.values,
  )

  const select = new SqlParameters('mysql')
  const tagged = (await tx.$queryRawUnsafe(
    `SELECT ${c.id} AS id, ${c.lockedBy} AS tag FROM ${table.table} WHERE ${c.id} >= LAST_INSERT_ID() AND ${c.lockedBy} LIKE ${select.add(`${call}%`)}`,
    ...select.values,
  )) as { id: unknown; tag: unknown }[]
  const ids: number[] = new Array(jobs.length)
  for (const row of tagged) ids[Number(String(row.tag).slice(call.length))] = Number(row.id)
  if (tagged.length !== jobs.length || ids.includes(undefined as unknown as number)) {
    throw new Error(`later.many(): read back ${tagged.length} of ${jobs.length} rows just inserted; the transaction is rolled back.`)
  }

  const clear = new SqlParameters('mysql')
  const first = Math.min(...ids)
  await tx.$executeRawUnsafe(
    `UPDATE ${table.table} SET ${c.lockedBy} = NULL WHERE ${c.id} >= ${clear.add(first)} AND ${c.lockedBy} LIKE ${clear.add(`${call}%`)}`,
    ...clear.values,
  )
  return ids
}
