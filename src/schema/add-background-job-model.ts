import { posix } from 'node:path'
import type { Tree } from '../tree/tree.js'
import { InvalidModelNameError, JobsModelClashError, SchemaValidationError } from './errors.js'
import { DEFAULT_JOBS_MODEL_NAME, findExistingJobsModel, isJobsModel, renderJobsModel, type JobsModelOptions } from './jobs-model.js'
import { detectLineEnding, withLineEnding } from './line-endings.js'
import { readSchemaFiles } from './schema-files.js'
import type { JobsProvider, SchemaLocation } from './schema-location.js'
import { formatSchema, getDmmf, getSchemaConfig, validateSchema, type SchemaFiles } from './schema-wasm.js'

/** File names tried, in order, for the jobs model in a multi-file schema folder. */
const JOBS_FILE_NAMES = ['jobs.prisma', 'jobs-kit.prisma', 'background-jobs.prisma']

/**
 * Adds the jobs model to the app's schema, on the tree (nothing is written to
 * disk here).
 *
 * The user's schema is never reprinted: a single-file schema gets the
 * formatted model appended (its bytes stay a prefix of the result, in its own
 * line endings); a folder gets a new `jobs.prisma`. The combined schema is
 * validated with Prisma's schema engine first; if it does not validate,
 * nothing is staged.
 *
 * Idempotent: when the schema already has the jobs model (same fields, any
 * name), nothing changes and its name is returned.
 */
export async function addBackgroundJobModel(
  tree: Tree,
  schema: SchemaLocation,
  options: JobsModelOptions = {},
): Promise<{ changed: boolean; modelName: string }> {
  const provider = schema.provider as JobsProvider
  const files = readSchemaFiles(tree, schema)
  const before = validateSchema(files)
  if (before) throw new SchemaValidationError(schema.path, before, 'before')
  const dmmf = getDmmf(files)

  if (options.modelName && !/^[A-Za-z][A-Za-z0-9_]*$/.test(options.modelName)) throw new InvalidModelNameError(options.modelName, 'model')
  if (options.tableName && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.tableName)) throw new InvalidModelNameError(options.tableName, 'table')

  const existing = options.modelName
    ? dmmf.datamodel.models.find((model) => model.name === options.modelName && isJobsModel(model, provider))
    : findExistingJobsModel(dmmf, provider)
  if (existing) return { changed: false, modelName: existing.name }

  const modelName = options.modelName ?? DEFAULT_JOBS_MODEL_NAME
  const tableName = options.tableName ?? modelName
  const clash = findClash(dmmf, modelName, tableName)
  if (clash) throw new JobsModelClashError(schema.path, modelName, tableName, clash.kind, clash.existing)

  const datasourceName = getSchemaConfig(files).datasources[0]?.name
  const model = formatSchema(renderJobsModel({ provider, modelName, tableName: options.tableName, datasourceName })).trim()

  const [path, content] = schema.kind === 'file' ? appendTo(files[0]!, model) : newFileIn(tree, schema, files, model)
  const combined: SchemaFiles = schema.kind === 'file' ? [[path, content]] : [...files, [path, content]]
  const after = validateSchema(combined)
  if (after) throw new SchemaValidationError(schema.path, after, 'after')

  tree.write(path, content)
  return { changed: true, modelName }
}

/** The original bytes, untouched, then a blank line and the model, in the file's line endings. */
function appendTo([path, original]: [string, string], model: string): [string, string] {
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

/** A model, view, enum or type already using the name, or a model or view already using the table. */
function findClash(
  dmmf: ReturnType<typeof getDmmf>,
  modelName: string,
  tableName: string,
): { kind: 'model' | 'table'; existing: string } | undefined {
  // Views are listed among the DMMF's models.
  const { models, enums, types } = dmmf.datamodel
  const named = [
    ...models.map((m) => ({ what: 'model', name: m.name, table: m.dbName ?? m.name })),
    ...enums.map((e) => ({ what: 'enum', name: e.name, table: undefined })),
    ...(types as Array<{ name: string }>).map((t) => ({ what: 'type', name: t.name, table: undefined })),
  ]
  const sameName = named.find((entry) => entry.name === modelName)
  if (sameName) return { kind: 'model', existing: sameName.what }
  // Case-insensitive: MySQL on Windows/macOS and unquoted identifiers fold case.
  const sameTable = named.find((entry) => entry.table?.toLowerCase() === tableName.toLowerCase())
  if (sameTable) return { kind: 'table', existing: `${sameTable.what} ${sameTable.name}` }
  return undefined
}
