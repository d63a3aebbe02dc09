import { readFileSync } from 'node:fs'
import type { Tree } from '../tree/tree.js'
import { templatePath } from '../package-assets/package-files.js'
import { renderTemplate } from '../package-assets/render-template.js'
import { appendTo } from './add-background-job-model.js'
import { SchemaValidationError } from './errors.js'
import { detectIndentation, formatIndented } from './indentation.js'
import { readMigratedTables, tableKey } from './migration-history.js'
import { readSchemaFiles } from './schema-files.js'
import type { JobsProvider, SchemaLocation } from './schema-location.js'
import { getDmmf, validateSchema, type SchemaFiles } from './schema-wasm.js'
import { migrationTimestamp } from './write-migration.js'

/**
 * Models jobs-kit keeps beside the jobs model under fixed names (the
 * recurring jobs' schedules, the worker registry): what `setup` adds to the
 * schema and to the migration, the same way for each.
 */
export interface CompanionModels {
  /** Each model: its fixed name (the runtime's default for it), its template under `templates/`, and its fields. */
  models: ReadonlyArray<{ name: string; template: string; fields: readonly string[] }>
  /** Folder of `templates/schema/migrations/` holding `<provider>.sql`, one `-- CreateTable` block per model. */
  migrationFolder: string
  /** Suffix of the migration folder written for an app set up before these models. */
  migrationName: string
  /** The error for a model or table of that name that is not ours. */
  clash(schemaPath: string, name: string): Error
}

/**
 * Adds the models of `companions` that the schema lacks next to the jobs
 * model (the same file; in a folder schema, the file that holds the jobs
 * model), with the jobs model's `@@schema`. Idempotent: a schema that has them
 * changes nothing, so running setup again in an app set up before they
 * existed adds only them.
 */
export async function addCompanionModels(tree: Tree, schema: SchemaLocation, jobsModelName: string, companions: CompanionModels): Promise<{ changed: boolean }> {
  const files = readSchemaFiles(tree, schema)
  const dmmf = getDmmf(files)
  const jobsModel = dmmf.datamodel.models.find((model) => model.name === jobsModelName)
  const missing: string[] = []
  for (const wanted of companions.models) {
    const existing = dmmf.datamodel.models.find((model) => model.name === wanted.name)
    if (existing) {
      const fields = existing.fields.map((field) => field.name).sort().join(',')
      if (fields !== [...wanted.fields].sort().join(',')) throw companions.clash(schema.path, wanted.name)
      continue
    }
    if (dmmf.datamodel.models.some((model) => (model.dbName ?? model.name) === wanted.name)) throw companions.clash(schema.path, wanted.name)
    const rendered = renderTemplate(wanted.template, { modelName: wanted.name, dbSchema: jobsModel?.schema ?? null })
    missing.push(formatIndented(rendered, detectIndentation(files.map(([, content]) => content))).trim())
  }
  if (missing.length === 0) return { changed: false }

  const holder = files.find(([, content]) => new RegExp(`^\\s*model\\s+${jobsModelName}\\s*\\{`, 'm').test(content)) ?? files[0]!
  let [path, content] = holder
  for (const model of missing) [path, content] = appendTo([path, content], model)
  const combined: SchemaFiles = files.map(([file, text]) => (file === path ? [file, content] : [file, text]))
  const invalid = validateSchema(combined)
  if (invalid) throw new SchemaValidationError(schema.path, invalid, 'after')
  tree.write(path, content)
  return { changed: true }
}

/**
 * Stages the SQL creating the companion tables the app's migrations do not
 * create yet: appended to `jobsMigrationPath` (the jobs migration this same
 * setup writes, so a fresh setup adds one migration, as `prisma migrate dev`
 * would for all the models), else as
 * `<migrations>/<timestamp>_<migrationName>/migration.sql` (an app set up
 * before these models). Null when there is nothing to create.
 */
export function writeCompanionMigration(
  tree: Tree,
  schema: SchemaLocation,
  companions: CompanionModels,
  options: { now?: Date; jobsMigrationPath?: string } = {},
): { path: string } | null {
  const provider = schema.provider as JobsProvider
  const dmmf = getDmmf(readSchemaFiles(tree, schema))
  const migrated = readMigratedTables(tree, schema.migrationsPath, provider)
  const shipped = readFileSync(templatePath('schema', 'migrations', companions.migrationFolder, `${provider}.sql`), 'utf8')
  // One `-- CreateTable` block per table, as Prisma writes them; keep those whose table no migration creates.
  const blocks = shipped.split(/(?=^-- CreateTable$)/m)
  const schemaOf = (name: string) => dmmf.datamodel.models.find((candidate) => candidate.name === name)?.schema ?? null
  // Every companion model has the jobs model's @@schema (addCompanionModels gives them that).
  const dbSchema = schemaOf(companions.models[0]!.name)
  const kept = blocks.filter((block) => {
    const name = companions.models.find((model) => block.includes(`CREATE TABLE ${quote(provider, model.name)} (`))?.name
    return name !== undefined && !migrated.has(tableKey(provider, schemaOf(name), name))
  })
  if (kept.length === 0) return null
  let sql = kept.map((block) => block.trimEnd() + '\n').join('\n')
  if (dbSchema && provider === 'postgresql') {
    const schemaName = `"${dbSchema.replaceAll('"', '""')}"`
    sql = `-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS ${schemaName};\n\n` + sql.replaceAll('CREATE TABLE "', `CREATE TABLE ${schemaName}."`)
  }
  if (options.jobsMigrationPath) {
    tree.write(options.jobsMigrationPath, `${tree.read(options.jobsMigrationPath) ?? ''}\n${sql}`)
    return { path: options.jobsMigrationPath }
  }
  const path = `${schema.migrationsPath}/${migrationTimestamp(options.now ?? new Date())}_${companions.migrationName}/migration.sql`
  tree.write(path, sql)
  return { path }
}

function quote(provider: JobsProvider, name: string): string {
  return provider === 'mysql' ? `\`${name}\`` : `"${name}"`
}
