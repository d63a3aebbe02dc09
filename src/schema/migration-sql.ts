import { readFileSync } from 'node:fs'
import type { JobsProvider } from './schema-location.js'
import { InvalidModelNameError } from './errors.js'
import { schemaTemplatePath } from './templates-dir.js'
import { DEFAULT_JOBS_MODEL_NAME } from './jobs-model.js'

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
 */
export function renderMigrationSql(provider: JobsProvider, tableName: string): string {
  const template = readFileSync(schemaTemplatePath('migrations', `${provider}.sql`), 'utf8')
  if (tableName === DEFAULT_JOBS_MODEL_NAME) return template
  const identifier = new RegExp(`([\`"])${DEFAULT_JOBS_MODEL_NAME}(_[A-Za-z0-9_]*)?\\1`, 'g')
  const sql = template.replace(identifier, (_match, quote: string, suffix = '') => {
    const renamed = `${tableName}${suffix}`
    // Prisma would shorten such a name in ways we do not reproduce; refuse instead of guessing.
    if (renamed.length > MAX_IDENTIFIER_LENGTH[provider]) throw new InvalidModelNameError(tableName, 'table')
    return `${quote}${renamed}${quote}`
  })
  return sql
}
