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
  /** Quoted (and schema-qualified with multiSchema) table name, ready for SQL. */
  table: string
  /** Quoted column name per field, ready for SQL. */
  column: Record<JobField, string>
  /** Field name per raw column name, to turn a raw row back into a `StoredJob`. */
  fieldOfColumn: Map<string, JobField>
}

/** Reads the model's table and columns from `db._runtimeDataModel`. */
export function resolveJobTable(db: PrismaClientLike, model: string, dialect: SqlDialect): JobTable {
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

  const tableName = quoteIdentifier(dialect, runtimeModel.dbName ?? model)
  const table = runtimeModel.schema ? `${quoteIdentifier(dialect, runtimeModel.schema)}.${tableName}` : tableName
  // Prisma names a model's delegate after the model with a lower-case first letter.
  const delegateName = model.charAt(0).toLowerCase() + model.slice(1)
  return { delegateName, table, column, fieldOfColumn }
}
