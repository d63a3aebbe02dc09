import type { Tree } from '../tree/tree.js'
import { JobsModelMissingError, MigrationNotSupportedError, MigrationTableClashError } from './errors.js'
import { freeName, TABLE_NAME_SUGGESTIONS } from './free-name.js'
import { differenceFromTemplate, findExistingJobsModel, jobsModelIndexes, jobsTableOf, type JobsModelOptions } from './jobs-model.js'
import { readMigratedTables, tableKey } from './migration-history.js'
import { renderMigrationSql } from './migration-sql.js'
import { readSchemaFiles } from './schema-files.js'
import type { JobsProvider, SchemaLocation } from './schema-location.js'
import { getDmmf, type DmmfModel } from './schema-wasm.js'

/** Options of `writeMigration`. */
export interface WriteMigrationOptions extends Pick<JobsModelOptions, 'modelName'> {
  /** The migration's timestamp (Prisma names migration folders by UTC time). Default: now. */
  now?: Date
}

/** Suffix of the migration folder, after the timestamp, as `prisma migrate dev --name background_jobs` would name it. */
export const MIGRATION_NAME = 'background_jobs'

/**
 * Stages `<migrations>/<YYYYMMDDHHMMSS>_background_jobs/migration.sql`
 * creating the jobs table, where Prisma Migrate looks for migrations, plus a
 * `migration_lock.toml` when the folder has none. Reads the jobs model from
 * the staged schema, so it honours a custom model name, `@@map` and
 * `@@schema`.
 *
 * Returns null (and stages nothing) when the existing migrations already
 * leave that table with the jobs model's columns. When they leave a table of
 * that name with other columns (an old table of the app's), throws
 * `MigrationTableClashError`: writing ours would fail on the database, and
 * skipping would leave jobs-kit a table it cannot use. Throws
 * `MigrationNotSupportedError` when the model is not shaped like the
 * template's (mapped columns, other types or indexes): the template SQL would
 * not match it. A model with the previous template's indexes gets their SQL.
 */
export async function writeMigration(
  tree: Tree,
  schema: SchemaLocation,
  options: WriteMigrationOptions = {},
): Promise<{ path: string } | null> {
  const provider = schema.provider as JobsProvider
  const dmmf = getDmmf(readSchemaFiles(tree, schema))
  const wanted = options.modelName ?? schema.modelName
  const model = wanted
    ? dmmf.datamodel.models.find((candidate) => candidate.name === wanted)
    : findExistingJobsModel(dmmf, provider)
  if (!model) throw new JobsModelMissingError(schema.path, wanted ?? 'BackgroundJob')
  const { table: tableName, dbSchema } = jobsTableOf(model)

  const migrations = schema.migrationsPath
  if (checkMigratedTable(tree, schema, dmmf, model) === 'already-migrated') return null
  const difference = differenceFromTemplate(dmmf, model, provider)
  if (difference) throw new MigrationNotSupportedError(model.name, difference)

  const path = `${migrations}/${migrationTimestamp(options.now ?? new Date())}_${MIGRATION_NAME}/migration.sql`
  // An app set up before `id` ended the indexes keeps its indexes: the SQL matches its model, not ours.
  tree.write(path, renderMigrationSql(provider, tableName, dbSchema, jobsModelIndexes(dmmf, model, provider) ?? 'current'))
  const lockFile = `${migrations}/migration_lock.toml`
  if (!tree.exists(lockFile)) tree.write(lockFile, migrationLock(provider))
  return { path }
}

/**
 * What the app's migrations already did to the jobs model's table:
 * `'already-migrated'` when they leave it with the model's columns, undefined
 * when they never create it. Throws `MigrationTableClashError` when they
 * leave a table of that name with other columns (an old table of the app's).
 */
function checkMigratedTable(tree: Tree, schema: SchemaLocation, dmmf: ReturnType<typeof getDmmf>, model: DmmfModel): 'already-migrated' | undefined {
  const provider = schema.provider as JobsProvider
  const { table: tableName, dbSchema } = jobsTableOf(model)
  const migrations = schema.migrationsPath
  const migrated = readMigratedTables(tree, migrations, provider)
  const existing = migrated.get(tableKey(provider, dbSchema, tableName))
  if (!existing) return undefined
  if (sameColumns(existing.columns, model.fields.filter((field) => field.kind === 'scalar').map((field) => field.dbName ?? field.name))) return 'already-migrated'
  const schemaTables = new Set(dmmf.datamodel.models.map((other) => tableKey(provider, other.schema, other.dbName ?? other.name)))
  const suggestion = freeName(TABLE_NAME_SUGGESTIONS, (table) => {
    const key = tableKey(provider, dbSchema, table)
    return migrated.has(key) || schemaTables.has(key)
  })
  throw new MigrationTableClashError(`${migrations}/${existing.createdBy}/migration.sql`, existing.name, existing.columns, suggestion)
}

/**
 * Without `--migration`: refuses, as `writeMigration` would, when the app's
 * migrations left a table of the jobs table's name with other columns —
 * `prisma migrate dev` would otherwise alter or drop that old table's columns.
 */
export function checkMigrationHistory(tree: Tree, schema: SchemaLocation & { modelName: string }): void {
  const dmmf = getDmmf(readSchemaFiles(tree, schema))
  const model = dmmf.datamodel.models.find((candidate) => candidate.name === schema.modelName)
  if (model) checkMigratedTable(tree, schema, dmmf, model)
}

/** Same column names, in any order, compared case-insensitively. */
function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  const normalize = (columns: readonly string[]) => [...columns].map((column) => column.toLowerCase()).sort().join(',')
  return normalize(a) === normalize(b)
}

/** `YYYYMMDDHHMMSS` in UTC, the prefix Prisma gives migration folders. */
export function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/** The lock file Prisma writes with a first migration. */
function migrationLock(provider: JobsProvider): string {
  return [
    '# Please do not edit this file manually',
    '# It should be added in your version-control system (e.g., Git)',
    `provider = "${provider}"`,
    '',
  ].join('\n')
}
