/**
 * What the adapter uses of the app's Prisma client, described structurally:
 * the vendored runtime must not import `@prisma/client` (apps generate their
 * client wherever they like), so it relies on these few members only.
 */

/** A model delegate (`db.backgroundJob`), reduced to the calls the adapter makes. */
export interface PrismaModelDelegate {
  create(args: { data: Record<string, unknown>; select?: Record<string, boolean> }): Promise<Record<string, unknown>>
  findMany(args: Record<string, unknown>): Promise<Record<string, unknown>[]>
  updateMany(args: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<{ count: number }>
  deleteMany(args?: { where?: Record<string, unknown> }): Promise<{ count: number }>
  groupBy(args: Record<string, unknown>): Promise<Record<string, unknown>[]>
}

/** The app's PrismaClient, or a transaction client (`tx`) from `db.$transaction(async (tx) => …)`. */
export interface PrismaClientLike {
  $queryRawUnsafe(query: string, ...values: unknown[]): Promise<unknown>
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>
  /** Missing on transaction clients. */
  $transaction?: (fn: (tx: PrismaClientLike) => Promise<unknown>, options?: Record<string, unknown>) => Promise<unknown>
  [key: string]: unknown
}

/** One field of the client's runtime data model (`db._runtimeDataModel`). */
export interface RuntimeField {
  name: string
  kind: string
  type: string
  /** The column name when the field is mapped with `@map`. */
  dbName?: string | null
}

/** One model of the client's runtime data model. */
export interface RuntimeModel {
  /** The table name when the model is mapped with `@@map`. */
  dbName?: string | null
  /** The PostgreSQL schema, with `multiSchema`. */
  schema?: string | null
  fields: RuntimeField[]
}
