import { readFileSync } from 'node:fs'
import type { JobsProvider } from './schema-location.js'
import { InvalidModelNameError } from './errors.js'
import { templatePath } from '../package-assets/package-files.js'
import { DEFAULT_JOBS_MODEL_NAME, type JobsModelIndexes } from './jobs-model.js'

/** Longest identifier each database accepts; Prisma's own names must fit too. */
const MAX_IDENTIFIER_LENGTH: Record<JobsProvider, number> = { postgresql: 63, mysql: 64, sqlite: Infinity }

/**
 * The SQL that creates the jobs table, from `templates/schema/migrations/<provider>.sql`.
 *
 * The templates are what Prisma generates for the default model. For another
 * table name (a `--model` or `@@map`), every identifier derived from the
 * table is renamed the way Prisma derives it: the table itself, and the
 * primary key and index names `<table>_pkey`, `<table>_…_idx`. Column names
 * are not touched: a jobs model with `@map`ped columns is not the model this
 * SQL creates, and `setup` never writes one.
 *
 * `dbSchema` (PostgreSQL, a model with `@@schema`): the schema is created if
 * missing and the table and its indexes are qualified with it, as Prisma
 * writes them. Prisma leaves a table in the connection's own schema
 * (`public` unless the URL says `?schema=`) unqualified; jobs-kit cannot know
 * the app's URL, so it always qualifies, which names the same table on the
 * usual URL and the right one on any other (the runtime qualifies its SQL
 * the same way).
 *
 * `indexes: 'previous'`: the SQL for a model that still has the previous
 * template's indexes (`PREVIOUS_JOBS_MODEL_INDEXES`), from
 * `migrations/previous-indexes/`.
 */
export function renderMigrationSql(provider: JobsProvider, tableName: string, dbSchema?: string | null, indexes: JobsModelIndexes = 'current'): string {
  const file = indexes === 'previous' ? templatePath('schema', 'migrations', 'previous-indexes', `${provider}.sql`) : templatePath('schema', 'migrations', `${provider}.sql`)
  const template = readFileSync(file, 'utf8')
  const identifier = new RegExp(`([\`"])${DEFAULT_JOBS_MODEL_NAME}(_[A-Za-z0-9_]*)?\\1`, 'g')
  const renamed = tableName === DEFAULT_JOBS_MODEL_NAME ? template : template.replace(identifier, (_match, quote: string, suffix = '') => {
    const name = `${tableName}${suffix}`
    // Prisma would shorten such a name in ways we do not reproduce; refuse instead of guessing.
    if (name.length > MAX_IDENTIFIER_LENGTH[provider]) throw new InvalidModelNameError(tableName, 'table')
    return `${quote}${name}${quote}`
  })
  if (!dbSchema || provider !== 'postgresql') return renamed
  const schema = quotePostgres(dbSchema)
  const table = quotePostgres(tableName)
  return renamed
    .replace('CREATE SCHEMA IF NOT EXISTS "public";', `CREATE SCHEMA IF NOT EXISTS ${schema};`)
    .replaceAll(`CREATE TABLE ${table} (`, `CREATE TABLE ${schema}.${table} (`)
    .replaceAll(` ON ${table}(`, ` ON ${schema}.${table}(`)
}

function quotePostgres(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`
}
