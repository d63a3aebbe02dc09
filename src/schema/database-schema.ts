import { DatabaseSchemaNotListedError, DatabaseSchemasNotUsedError } from './errors.js'

/** The schema PostgreSQL creates in every database and apps use unless told otherwise. */
const POSTGRES_DEFAULT_SCHEMA = 'public'

/**
 * The database schema the jobs model goes in (its `@@schema`), or undefined
 * when the datasource lists no `schemas`: then every model lives in the
 * connection's schema and `@@schema` is not allowed.
 *
 * With a list (`schemas = ["auth", "public"]`, as Supabase apps have it),
 * Prisma requires `@@schema` on every model. `requested` (`--db-schema`) must
 * be listed; otherwise "public" when listed (where the app's own tables
 * live: "auth", "storage" and the like belong to the platform), else the
 * first listed. Prisma supports `schemas` on PostgreSQL only (also
 * CockroachDB and SQL Server, which jobs-kit does not support); on MySQL and
 * SQLite it rejects the list before jobs-kit changes anything.
 */
export function chooseDatabaseSchema(
  datasource: { schemas?: string[]; sourceFilePath: string },
  requested: string | undefined,
): string | undefined {
  const listed = datasource.schemas ?? []
  if (listed.length === 0) {
    if (requested) throw new DatabaseSchemasNotUsedError(requested, datasource.sourceFilePath)
    return undefined
  }
  if (requested) {
    if (!listed.includes(requested)) throw new DatabaseSchemaNotListedError(requested, listed, datasource.sourceFilePath)
    return requested
  }
  return listed.includes(POSTGRES_DEFAULT_SCHEMA) ? POSTGRES_DEFAULT_SCHEMA : listed[0]
}
