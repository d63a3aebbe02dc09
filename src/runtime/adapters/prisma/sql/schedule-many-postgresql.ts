import type { ScheduleInput } from '../../../types.js'
import type { JobTable } from '../job-table.js'
import { NOTIFY_CHANNEL } from '../notify-listener.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'

/**
 * Jobs per statement. The jobs travel as one JSON parameter, so PostgreSQL's
 * 65,535-parameter limit does not apply; the chunk bounds the size of that
 * string and of the statement's memory.
 */
export const SCHEDULE_MANY_CHUNK_POSTGRESQL = 10_000

/**
 * Stores jobs with one PostgreSQL statement and returns their ids in the
 * order given.
 *
 * The jobs go in as one JSON array (`json_to_recordset … WITH ORDINALITY`
 * numbers them), not as six parameters each: one parameter parses faster than
 * thousands, and there is no parameter limit to chunk around. Measured
 * through Prisma 7 (`bench/experiments/schedule-many-sql.ts`, 5,000 jobs,
 * median of 9, machine at load 25): this statement 206 ms, a multi-row
 * VALUES list 712 ms, `createMany` 3,702 ms (and it returns no ids). The
 * ids come back as one string: 5,000 rows through Prisma's raw-query path
 * cost more than the statement (at load 11: 88 ms against 106 ms).
 * Against graphile-worker's `addJobs`, 5,000 jobs in one call: 0.97–1.03×
 * its rate (medians of 9, `bench/experiments/bulk-enqueue.ts`, load 20–25). The ids are
 * taken from the column's sequence with `nextval` per input row and inserted
 * explicitly, so the statement returns each id beside the position of its
 * job: the mapping is exact, whatever order the rows are inserted or
 * returned in, and whatever other sessions insert meanwhile.
 *
 * With `notifyQueues`, one `pg_notify` per queue (not per job) rides in the
 * same statement; PostgreSQL delivers it at commit and drops it on rollback.
 *
 * Dates are written as PrismaPg writes a Date into `timestamp(3)`: the UTC
 * wall-clock time, so rows match `later()`'s exactly.
 */
export async function scheduleManyPostgresql(
  client: PrismaClientLike,
  table: JobTable,
  idColumnName: string,
  jobs: readonly Omit<ScheduleInput, 'db'>[],
  now: Date,
  notifyQueues: readonly string[],
): Promise<number[]> {
  const c = table.column
  const parameters = new SqlParameters('postgresql')
  const input = JSON.stringify(
    // The handler nested as JSON, not as a JSON string inside JSON: the `json` type keeps its input text,
    // so the `h json` column's text is exactly `JSON.stringify(handler)`, without escaping every quote twice.
    // `json_to_recordset` parses each element once; `json_array_elements` and four `e->…` reparsed each
    // element's text per field: 5,000 jobs, EXPLAIN ANALYZE, the function scan 50–120 ms against 9–17 ms,
    // the statement 49–96 ms against 44–64 ms (alternating, 4 rounds, load 12–17).
    jobs.map((job) => ({ h: job.handler, q: job.queue, p: job.priority, r: toUtcTimestamp(job.runAt) })),
  )
  const json = parameters.add(input)
  const tableName = parameters.add(table.table)
  const idColumn = parameters.add(idColumnName)
  const createdAt = parameters.add(toUtcTimestamp(now))
  const notify =
    notifyQueues.length > 0
      ? `, (SELECT string_agg(pg_notify(${parameters.add(NOTIFY_CHANNEL)}, queue)::text, '') FROM json_array_elements_text(${parameters.add(JSON.stringify(notifyQueues))}::json) AS queue) AS notified`
      : ''
  const sql = `
    WITH input AS MATERIALIZED (
      SELECT n, h::text AS handler, q AS queue, p AS priority, r AS run_at
      FROM ROWS FROM (json_to_recordset(${json}::json) AS (h json, q text, p int, r timestamp(3))) WITH ORDINALITY AS t(h, q, p, r, n)
    ), ids AS MATERIALIZED (
      SELECT n, nextval((SELECT pg_get_serial_sequence(${tableName}, ${idColumn})::regclass)) AS id FROM input
    ), inserted AS (
      INSERT INTO ${table.table} (${c.id}, ${c.handler}, ${c.queue}, ${c.priority}, ${c.runAt}, ${c.createdAt}, ${c.updatedAt})
      SELECT ids.id, input.handler, input.queue, input.priority, input.run_at, ${createdAt}::timestamp(3), ${createdAt}::timestamp(3)
      FROM input JOIN ids USING (n)
      RETURNING 1
    )
    SELECT string_agg(id::text, ',' ORDER BY n) AS ids${notify} FROM ids`
  const rows = (await client.$queryRawUnsafe(sql, ...parameters.values)) as { ids: string }[]
  return rows[0]!.ids.split(',').map(Number)
}

/** `2026-12-03T06:00:00.000`: the UTC time without a zone, as `timestamp(3)` stores it. */
function toUtcTimestamp(date: Date): string {
  return date.toISOString().slice(0, -1)
}
