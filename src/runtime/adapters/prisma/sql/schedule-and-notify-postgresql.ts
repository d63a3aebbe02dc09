import type { ScheduleInput } from '../../../types.js'
import type { JobTable } from '../job-table.js'
import { NOTIFY_CHANNEL } from '../notify-listener.js'
import type { PrismaClientLike } from '../prisma-client.js'
import { SqlParameters } from './dialect.js'

/**
 * Stores a job and notifies listening workers in one PostgreSQL statement.
 *
 * `pg_notify` is transactional: PostgreSQL delivers the notification when
 * the transaction commits, and drops it on rollback. So with
 * `later(job, args, { db: tx })` workers wake exactly when the job becomes
 * visible to them, never for a job that was rolled back.
 *
 * Timestamps come from the app's clock, as everywhere in the runtime.
 */
export async function scheduleAndNotifyPostgresql(client: PrismaClientLike, table: JobTable, input: ScheduleInput): Promise<number> {
  const c = table.column
  const parameters = new SqlParameters('postgresql')
  const now = new Date()
  const values = [
    parameters.add(JSON.stringify(input.handler)),
    parameters.add(input.queue),
    parameters.add(input.priority),
    parameters.add(input.runAt),
  ]
  const createdAt = parameters.add(now)
  const sql = `
    WITH job AS (
      INSERT INTO ${table.table} (${c.handler}, ${c.queue}, ${c.priority}, ${c.runAt}, ${c.createdAt}, ${c.updatedAt})
      VALUES (${values.join(', ')}, ${createdAt}, ${createdAt})
      RETURNING ${c.id} AS id, ${c.queue} AS queue
    )
    SELECT id, pg_notify(${parameters.add(NOTIFY_CHANNEL)}, queue)::text AS notified FROM job`
  const rows = (await client.$queryRawUnsafe(sql, ...parameters.values)) as { id: unknown }[]
  // INSERT … RETURNING of one row returns exactly one row.
  return Number(rows[0]!.id)
}
