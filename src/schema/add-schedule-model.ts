import { readFileSync } from 'node:fs'
import type { Tree } from '../tree/tree.js'
import { templatePath } from '../package-assets/package-files.js'
import { renderTemplate } from '../package-assets/render-template.js'
import { ScaffolderError } from '../scaffolder-error.js'
import { appendTo } from './add-background-job-model.js'
import { SchemaValidationError } from './errors.js'
import { detectIndentation, formatIndented } from './indentation.js'
import { readMigratedTables, tableKey } from './migration-history.js'
import { readSchemaFiles } from './schema-files.js'
import type { JobsProvider, SchemaLocation } from './schema-location.js'
import { getDmmf, validateSchema, type SchemaFiles } from './schema-wasm.js'
import { migrationTimestamp } from './write-migration.js'

/** The model recurring jobs keep their schedules in (the runtime's `DEFAULT_SCHEDULE_MODEL_NAME`). */
export const SCHEDULE_MODEL_NAME = 'BackgroundJobSchedule'

/** Suffix of the schedule table's migration folder. */
export const SCHEDULE_MIGRATION_NAME = 'background_job_schedules'

/** A model or table named `BackgroundJobSchedule` that is not the schedule model. */
export class ScheduleModelClashError extends ScaffolderError {
  constructor(readonly schemaPath: string) {
    super(
      'SCHEDULE_MODEL_CLASH',
      `${schemaPath} already has a model or table named ${SCHEDULE_MODEL_NAME} with other fields, so jobs-kit changed nothing.`,
      'Recurring jobs keep their schedules in a model of that name: rename yours, then run setup again.',
    )
  }
}

/**
 * Adds the recurring jobs' schedule model next to the jobs model (the same
 * file; in a folder schema, the file that holds the jobs model), with the
 * jobs model's `@@schema`. Idempotent: a schema that has it changes nothing,
 * so running setup again in an app set up before recurring jobs adds only it.
 */
export async function addScheduleModel(tree: Tree, schema: SchemaLocation, jobsModelName: string): Promise<{ changed: boolean }> {
  const files = readSchemaFiles(tree, schema)
  const dmmf = getDmmf(files)
  const existing = dmmf.datamodel.models.find((model) => model.name === SCHEDULE_MODEL_NAME)
  if (existing) {
    const fields = existing.fields.map((field) => field.name).sort().join(',')
    if (fields !== SCHEDULE_FIELDS) throw new ScheduleModelClashError(schema.path)
    return { changed: false }
  }
  if (dmmf.datamodel.models.some((model) => (model.dbName ?? model.name) === SCHEDULE_MODEL_NAME)) throw new ScheduleModelClashError(schema.path)
  const jobsModel = dmmf.datamodel.models.find((model) => model.name === jobsModelName)

  const rendered = renderTemplate('schema/background-job-schedule.prisma.hbs', { modelName: SCHEDULE_MODEL_NAME, dbSchema: jobsModel?.schema ?? null })
  const model = formatIndented(rendered, detectIndentation(files.map(([, content]) => content))).trim()
  const holder = files.find(([, content]) => new RegExp(`^\\s*model\\s+${jobsModelName}\\s*\\{`, 'm').test(content)) ?? files[0]!
  const [path, content] = appendTo(holder, model)
  const combined: SchemaFiles = files.map(([file, text]) => (file === path ? [file, content] : [file, text]))
  const invalid = validateSchema(combined)
  if (invalid) throw new SchemaValidationError(schema.path, invalid, 'after')
  tree.write(path, content)
  return { changed: true }
}

/**
 * Stages the SQL creating the schedule table, unless the app's migrations
 * already create it: appended to `jobsMigrationPath` (the jobs migration this
 * same setup writes, so a fresh setup adds one migration, as `prisma migrate
 * dev` would for both models), else as
 * `<migrations>/<timestamp>_background_job_schedules/migration.sql` (an app set
 * up before recurring jobs).
 */
export function writeScheduleMigration(
  tree: Tree,
  schema: SchemaLocation,
  options: { now?: Date; jobsMigrationPath?: string } = {},
): { path: string } | null {
  const provider = schema.provider as JobsProvider
  const dmmf = getDmmf(readSchemaFiles(tree, schema))
  const model = dmmf.datamodel.models.find((candidate) => candidate.name === SCHEDULE_MODEL_NAME)
  const dbSchema = model?.schema ?? null
  if (readMigratedTables(tree, schema.migrationsPath, provider).has(tableKey(provider, dbSchema, SCHEDULE_MODEL_NAME))) return null
  let sql = readFileSync(templatePath('schema', 'migrations', 'recurring', `${provider}.sql`), 'utf8')
  if (dbSchema && provider === 'postgresql') {
    const quoted = `"${dbSchema.replaceAll('"', '""')}"`
    sql = `-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS ${quoted};\n\n` + sql.replace(`CREATE TABLE "${SCHEDULE_MODEL_NAME}" (`, `CREATE TABLE ${quoted}."${SCHEDULE_MODEL_NAME}" (`)
  }
  if (options.jobsMigrationPath) {
    tree.write(options.jobsMigrationPath, `${tree.read(options.jobsMigrationPath) ?? ''}\n${sql}`)
    return { path: options.jobsMigrationPath }
  }
  const path = `${schema.migrationsPath}/${migrationTimestamp(options.now ?? new Date())}_${SCHEDULE_MIGRATION_NAME}/migration.sql`
  tree.write(path, sql)
  return { path }
}

const SCHEDULE_FIELDS = ['name', 'cron', 'timezone', 'lastSlotAt', 'lastRunSlotAt', 'lastRunAt', 'lastJobId', 'pausedAt', 'createdAt', 'updatedAt'].sort().join(',')
