import type { PrismaClientLike } from '../prisma-client.js'

/**
 * Runs one SQL statement with bound values and returns its rows. The seam
 * between the statements in `sql/` and the connection that runs them: the
 * app's Prisma client by default, or a `pg` pool on PostgreSQL (the `pg`
 * option of PrismaAdapter, see `pg-pool.ts`). Each statement is built once,
 * whichever runs it.
 */
export type RunQuery = (sql: string, values: unknown[]) => Promise<Record<string, unknown>[]>

/** Runs statements through the Prisma client's `$queryRawUnsafe`. */
export function prismaQuery(db: PrismaClientLike): RunQuery {
  return async (sql, values) => (await db.$queryRawUnsafe(sql, ...values)) as Record<string, unknown>[]
}
