import { posix } from 'node:path'
import type { Tree } from '../tree/tree.js'
import { chooseDatabaseSchema } from './database-schema.js'
import { ExistingJobsModelError, InvalidModelNameError, JobsModelClashError, SchemaValidationError } from './errors.js'
import { freeName, MODEL_NAME_SUGGESTIONS, TABLE_NAME_SUGGESTIONS } from './free-name.js'
import { findClash, isTaken, namesIn } from './find-clash.js'
import { detectIndentation, formatIndented } from './indentation.js'
import {
  DEFAULT_JOBS_MODEL_NAME,
  findExistingJobsModel,
  isJobsModel,
  jobsModelIndexes,
  jobsTableOf,
  renderJobsModel,
  type JobsModelIndexes,
  type JobsModelOptions,
  type JobsTable,
} from './jobs-model.js'
import { detectLineEnding, withLineEnding } from './line-endings.js'
import { readSchemaFiles } from './schema-files.js'
import type { JobsProvider, SchemaLocation } from './schema-location.js'
import { getDmmf, getSchemaConfig, validateSchema, type SchemaFiles } from './schema-wasm.js'
import { readMigratedTables, tableKey } from './migration-history.js'

/** File names tried, in order, for the jobs model in a multi-file schema folder. */
const JOBS_FILE_NAMES = ['jobs.prisma', 'jobs-kit.prisma', 'background-jobs.prisma']

/**
 * The app's jobs model and which index set it has (see `jobsModelIndexes`),
 * read without changing anything; null when the schema has no jobs model.
 */
export function readJobsModelIndexes(tree: Tree, schema: SchemaLocation): { modelName: string; indexes: JobsModelIndexes | null } | null {
  const provider = schema.provider as JobsProvider
  const dmmf = getDmmf(readSchemaFiles(tree, schema))
  const model = findExistingJobsModel(dmmf, provider)
  return model ? { modelName: model.name, indexes: jobsModelIndexes(dmmf, model, provider) } : null
}

/**
 * Adds the jobs model to the app's schema, on the tree (nothing is written to
 * disk here).
 *
 * The user's schema is never reprinted: a single-file schema gets the
 * formatted model appended (its bytes stay a prefix of the result, in its own
 * line endings and indentation); a folder gets a new `jobs.prisma`. On a
 * datasource that lists `schemas`, the model gets `@@schema` (see
 * `chooseDatabaseSchema`). The combined schema is validated with Prisma's
 * schema engine first; if it does not validate, nothing is staged.
 *
 * Idempotent: when the schema already has the jobs model (same fields, any
 * name), nothing changes and its name and table are returned; `--model`,
 * `--table` or `--db-schema` asking for another one is an error rather than
 * a second jobs table. An existing model's indexes are left as they are;
 * `indexes` says whether they are the template's, the previous template's
 * (`PREVIOUS_JOBS_MODEL_INDEXES`, which setup then explains how to update) or
 * the app's own (null).
 */
export async function addBackgroundJobModel(
  tree: Tree,
  schema: SchemaLocation,
  options: JobsModelOptions = {},
): Promise<{ changed: boolean; modelName: string; jobsTable: JobsTable; indexes: JobsModelIndexes | null }> {
  const provider = schema.provider as JobsProvider
  const files = readSchemaFiles(tree, schema)
  const before = validateSchema(files)
  if (before) throw new SchemaValidationError(schema.path, before, 'before')
  const dmmf = getDmmf(files)

  // `!== undefined`: an empty `--model=` or `--table=` is a mistake to report, not a flag to ignore.
  if (options.modelName !== undefined && !/^[A-Za-z][A-Za-z0-9_]*$/.test(options.modelName)) throw new InvalidModelNameError(options.modelName, 'model')
  if (options.tableName !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.tableName)) throw new InvalidModelNameError(options.tableName, 'table')

  const named = options.modelName
    ? dmmf.datamodel.models.find((model) => model.name === options.modelName && isJobsModel(model, provider))
    : undefined
  const existing = named ?? findExistingJobsModel(dmmf, provider)
  if (existing) {
    const jobsTable = jobsTableOf(existing)
    const differing = requestedDifferences(options, jobsTable)
    if (differing) throw new ExistingJobsModelError(schema.path, jobsTable, differing)
    return { changed: false, modelName: existing.name, jobsTable, indexes: jobsModelIndexes(dmmf, existing, provider) }
  }

  const datasource = getSchemaConfig(files).datasources[0]
  const dbSchema = datasource ? chooseDatabaseSchema(datasource, options.dbSchema) : undefined
  const modelName = options.modelName ?? DEFAULT_JOBS_MODEL_NAME
  const tableName = options.tableName ?? modelName
  const names = namesIn(dmmf)
  const clash = findClash(names, modelName, tableName, dbSchema)
  if (clash) {
    // Tables the app's migrations created, so a suggested --table is free there too (read only on a clash).
    const migrated = readMigratedTables(tree, schema.migrationsPath, provider)
    const suggestion = clash.kind === 'model'
      ? freeName(MODEL_NAME_SUGGESTIONS, (name) => isTaken(names, name, name, dbSchema))
      : freeName(TABLE_NAME_SUGGESTIONS, (table) => isTaken(names, undefined, table, dbSchema) || migrated.has(tableKey(provider, dbSchema, table)))
    throw new JobsModelClashError(schema.path, modelName, tableName, clash.kind, clash.existing, clash.table ?? null, suggestion, clash.name)
  }

  const rendered = renderJobsModel({ provider, modelName, tableName: options.tableName, dbSchema, datasourceName: datasource?.name })
  const indentation = detectIndentation(files.map(([, content]) => content))
  const model = formatIndented(rendered, indentation).trim()

  const [path, content] = schema.kind === 'file' ? appendTo(files[0]!, model) : newFileIn(tree, schema, files, model)
  const combined: SchemaFiles = schema.kind === 'file' ? [[path, content]] : [...files, [path, content]]
  const after = validateSchema(combined)
  if (after) throw new SchemaValidationError(schema.path, after, 'after')

  tree.write(path, content)
  return { changed: true, modelName, jobsTable: { name: modelName, table: tableName, dbSchema: dbSchema ?? null }, indexes: 'current' }
}

/** The flags that ask for something other than the jobs model the schema has, as the user typed them; null when none do. */
function requestedDifferences(options: JobsModelOptions, existing: JobsTable): string | null {
  const flags: string[] = []
  if (options.modelName && options.modelName !== existing.name) flags.push(`--model ${options.modelName}`)
  if (options.tableName && options.tableName !== existing.table) flags.push(`--table ${options.tableName}`)
  if (options.dbSchema && options.dbSchema !== existing.dbSchema) flags.push(`--db-schema ${options.dbSchema}`)
  return flags.length > 0 ? flags.join(' ') : null
}

/** The original bytes, untouched, then a blank line and the model, in the file's line endings. */
export function appendTo([path, original]: [string, string], model: string): [string, string] {
  if (original.trim() === '') return [path, `${original}${model}\n`]
  const eol = detectLineEnding(original)
  const endsWithNewline = /\n$/.test(original)
  const endsWithBlankLine = /\n[ \t]*\r?\n$/.test(original)
  // One blank line before the model; a file without a final newline stays without one.
  const separator = endsWithBlankLine ? '' : endsWithNewline ? eol : eol + eol
  return [path, original + separator + withLineEnding(model, eol) + (endsWithNewline ? eol : '')]
}

function newFileIn(tree: Tree, schema: SchemaLocation, files: SchemaFiles, model: string): [string, string] {
  const name = JOBS_FILE_NAMES.find((candidate) => !tree.exists(posix.join(schema.path, candidate)))
  const path = posix.join(schema.path, name ?? `jobs-kit-${Date.now()}.prisma`)
  // New file, same line endings as the file with the datasource block.
  const sibling = files.find(([file]) => file === schema.datasourceFile)?.[1] ?? files[0]?.[1] ?? ''
  const eol = detectLineEnding(sibling)
  return [path, withLineEnding(`${model}\n`, eol)]
}
