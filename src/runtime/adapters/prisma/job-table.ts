import { ModelNotFoundError } from '../../errors.js'
import type { PrismaClientLike, RuntimeModel } from './prisma-client.js'
import { quoteIdentifier, type SqlDialect } from './sql/dialect.js'

/** The fields of the jobs model, as `StoredJob` names them. */
export const JOB_FIELDS = [
  'id',
  'attempts',
  'handler',
  'queue',
  'priority',
  'runAt',
  'lockedAt',
  'lockedBy',
  'lastError',
  'failedAt',
  'createdAt',
  'updatedAt',
] as const

export type JobField = (typeof JOB_FIELDS)[number]

/**
 * Where the jobs live in the database: the quoted table name and the quoted
 * column of every field, read from the client's runtime data model so that
 * a renamed model, `@@map("background_jobs")` and `@map("run_at")` all work.
 */
export interface JobTable {
  /** The model delegate's property on the client, e.g. `backgroundJob`. */
  delegateName: string
  /** Quoted (and schema-qualified when the schema is known, see `resolveJobTable`) table name, ready for SQL. */
  table: string
  /** The table's name as the database knows it (`@@map`ped or not), unquoted. */
  tableName: string
  /** PostgreSQL: the schema `table` is qualified with; undefined when the connection's search_path decides. */
  schema: string | undefined
  /** Quoted column name per field, ready for SQL. */
  column: Record<JobField, string>
  /** Field name per raw column name, to turn a raw row back into a `StoredJob`. */
  fieldOfColumn: Map<string, JobField>
}

/**
 * Reads the model's table and columns from `db._runtimeDataModel`.
 *
 * PostgreSQL schema: the model's `@@schema` (multiSchema); else `schema`
 * (PrismaAdapter's option); else the one a driver adapter makes Prisma
 * qualify its model queries with (adapter-pg's `schema` option, or `public`), while
 * it leaves the connections' search_path alone: unqualified, our raw
 * statements went to `public` while `later()` wrote to `myapp`, and found
 * nothing, silently. Else the table is left unqualified, for the
 * connection's search_path, as Prisma 6's own engine leaves its raw queries.
 */
export function resolveJobTable(db: PrismaClientLike, model: string, dialect: SqlDialect, options: { schema?: string } = {}): JobTable {
  const dataModel = (db as { _runtimeDataModel?: { models?: Record<string, RuntimeModel> } })._runtimeDataModel
  const runtimeModel = dataModel?.models?.[model]
  if (!runtimeModel) {
    const known = Object.keys(dataModel?.models ?? {})
    throw new ModelNotFoundError(
      `Your Prisma client has no model "${model}"` +
        (known.length ? ` (it has ${known.join(', ')})` : '') +
        `. Add the BackgroundJob model with \`npx jobs-kit setup\` and run \`npx prisma generate\`, ` +
        `or pass the model's name: new PrismaAdapter({ db, model: 'YourModel' }).`,
    )
  }

  const column = {} as Record<JobField, string>
  const fieldOfColumn = new Map<string, JobField>()
  for (const field of JOB_FIELDS) {
    const runtimeField = runtimeModel.fields.find((candidate) => candidate.name === field)
    if (!runtimeField) {
      throw new ModelNotFoundError(
        `Model "${model}" has no field "${field}". Its fields must match the BackgroundJob model jobs-kit ships ` +
          `(templates/schema/background-job.prisma.hbs); add the missing field and run a migration.`,
      )
    }
    const columnName = runtimeField.dbName ?? field
    column[field] = quoteIdentifier(dialect, columnName)
    fieldOfColumn.set(columnName, field)
  }

  const tableName = runtimeModel.dbName ?? model
  const schema = runtimeModel.schema || options.schema || (dialect === 'postgresql' ? driverAdapterSchema(db) : undefined) || undefined
  // Prisma names a model's delegate after the model with a lower-case first letter.
  const delegateName = model.charAt(0).toLowerCase() + model.slice(1)
  return { delegateName, table: qualifiedTable(dialect, tableName, schema), tableName, schema, column, fieldOfColumn }
}

/** `"schema"."table"`, or `"table"` without a schema. */
export function qualifiedTable(dialect: SqlDialect, tableName: string, schema: string | undefined): string {
  const quoted = quoteIdentifier(dialect, tableName)
  return schema ? `${quoteIdentifier(dialect, schema)}.${quoted}` : quoted
}

/**
 * The schema Prisma qualifies its model queries with when the client has a
 * driver adapter (Prisma 6.19 with `engineType = "client"`, Prisma 7): the
 * adapter's `schema` option (`@prisma/adapter-pg` keeps its options as
 * `options`), else `public`. Prisma names that schema in every model query
 * (`"public"."BackgroundJob"`, measured with 6.19 and 7.10) whatever the
 * connections' search_path, and node-postgres ignores `?schema=` in the URL.
 * The factory is `_engineConfig.adapter` (where `detect-provider.ts` reads its
 * provider). Undefined without a driver adapter (Prisma 6's own engine, which
 * sets search_path from `?schema=`): the search_path then decides.
 */
function driverAdapterSchema(db: PrismaClientLike): string | undefined {
  const factory = (db as { _engineConfig?: { adapter?: { options?: { schema?: unknown } } | null } })._engineConfig?.adapter
  if (typeof factory !== 'object' || factory === null) return undefined
  const schema = factory.options?.schema
  return typeof schema === 'string' && schema !== '' ? schema : 'public'
}
