import type { JobsProvider } from './schema-location.js'
import { getDmmf, type Dmmf, type DmmfModel } from './schema-wasm.js'
import { renderTemplate } from '../package-assets/render-template.js'

/** The model name `setup` uses unless told otherwise (`--model`). */
export const DEFAULT_JOBS_MODEL_NAME = 'BackgroundJob'

/** Options that rename the jobs model or its table. */
export interface JobsModelOptions {
  /** `--model`: the Prisma model name. Default: an existing jobs model's name, else `BackgroundJob`. */
  modelName?: string
  /** `--table`: a table name, added as `@@map("…")`. Default: none (the table is named after the model). */
  tableName?: string
  /**
   * `--db-schema`: the database schema of a PostgreSQL datasource that lists
   * `schemas = [...]`, added as `@@schema("…")`. Default: see `chooseDatabaseSchema`.
   */
  dbSchema?: string
}

/** Where the jobs model keeps its rows, as jobs-kit.json records it. */
export interface JobsTable {
  /** The Prisma model, which the config names (`new PrismaAdapter({ db, model })`). */
  name: string
  /** The table: the model's `@@map`, else its name. */
  table: string
  /** The model's `@@schema`, or null when the datasource has no `schemas` list. */
  dbSchema: string | null
}

/** The table and database schema of `model`, read from Prisma's data model. */
export function jobsTableOf(model: DmmfModel): JobsTable {
  return { name: model.name, table: model.dbName ?? model.name, dbSchema: model.schema ?? null }
}

/**
 * The jobs model as `templates/schema/background-job.prisma.hbs` renders it
 * (unformatted). `datasourceName` replaces `db` in native type attributes
 * (`@db.Text`), which must name the app's datasource block.
 */
export function renderJobsModel(options: {
  provider: JobsProvider
  modelName: string
  tableName?: string
  dbSchema?: string
  datasourceName?: string
}): string {
  const model = renderTemplate('schema/background-job.prisma.hbs', {
    modelName: options.modelName,
    isMysql: options.provider === 'mysql',
    tableName: options.tableName ?? null,
    dbSchema: options.dbSchema ?? null,
  })
  const datasourceName = options.datasourceName ?? 'db'
  return datasourceName === 'db' ? model : model.replace(/@db\./g, `@${datasourceName}.`)
}

/** What makes a model the jobs model: each field's name, type, optionality and list-ness. */
function fieldSignature(model: DmmfModel): string {
  return model.fields
    .filter((field) => field.kind === 'scalar')
    .map((field) => `${field.name}:${field.type}${field.isList ? '[]' : ''}${field.isRequired ? '' : '?'}`)
    .sort()
    .join(',')
}

const referenceDmmf = new Map<JobsProvider, Dmmf>()

/** The data model of the template's model alone, as Prisma parses it. */
function templateDmmf(provider: JobsProvider): Dmmf {
  let dmmf = referenceDmmf.get(provider)
  if (!dmmf) {
    const schema = `datasource db {\n  provider = "${provider}"\n}\n\n${renderJobsModel({ provider, modelName: DEFAULT_JOBS_MODEL_NAME })}`
    dmmf = getDmmf([['jobs.prisma', schema]])
    referenceDmmf.set(provider, dmmf)
  }
  return dmmf
}

/** The field signature of the model we would add, from the template itself. */
function jobsModelSignature(provider: JobsProvider): string {
  return fieldSignature(templateDmmf(provider).datamodel.models[0]!)
}

/**
 * The jobs model's indexes before `id` was appended to them (every `setup`
 * wrote these until then). An app set up with them keeps them: jobs-kit works
 * the same on them (PostgreSQL sorts jobs that share a `runAt` by id after
 * reading the index; see templates/schema/README.md), `setup` leaves them
 * alone and writes the migration that matches them
 * (`templates/schema/migrations/previous-indexes/`), and says how to move to
 * the current ones.
 */
export const PREVIOUS_JOBS_MODEL_INDEXES: readonly (readonly string[])[] = [['priority', 'runAt'], ['queue', 'priority', 'runAt']]

/** Which of the jobs model's index sets a model has. */
export type JobsModelIndexes = 'current' | 'previous'

/**
 * Whether `model` has the template's indexes (`'current'`), the previous
 * template's (`'previous'`), or others (null). Compares each index's kind
 * and fields (with their sort order and length), not index names.
 */
export function jobsModelIndexes(dmmf: Dmmf, model: DmmfModel, provider: JobsProvider): JobsModelIndexes | null {
  type Index = { type: string; fields: unknown }
  const normalize = (list: Index[]) =>
    JSON.stringify(list.map((index) => ({ type: index.type, fields: index.fields })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))))
  const indexesOf = (of: Dmmf, name: string) => ((of.datamodel.indexes ?? []) as Array<Index & { model: string }>).filter((index) => index.model === name)
  const own = normalize(indexesOf(dmmf, model.name))
  const template = indexesOf(templateDmmf(provider), DEFAULT_JOBS_MODEL_NAME)
  if (own === normalize(template)) return 'current'
  const previous = [
    ...template.filter((index) => index.type !== 'normal'),
    ...PREVIOUS_JOBS_MODEL_INDEXES.map((fields) => ({ type: 'normal', fields: fields.map((name) => ({ name })) })),
  ]
  return own === normalize(previous) ? 'previous' : null
}

/**
 * Why the table of `model` would not be the one the shipped migration SQL
 * creates (mapped columns, other native types, defaults or indexes), or null
 * when it would be, up to the table's name and database schema. The previous
 * template's indexes are accepted (`jobsModelIndexes`): their SQL ships too.
 */
export function differenceFromTemplate(dmmf: Dmmf, model: DmmfModel, provider: JobsProvider): string | null {
  const mapped = model.fields.filter((field) => field.dbName)
  if (mapped.length > 0) return `its columns are renamed with @map (${mapped.map((field) => field.name).join(', ')})`
  const reference = templateDmmf(provider)
  const shape = (fields: DmmfModel['fields']) =>
    JSON.stringify([...fields].map(({ documentation: _documentation, ...field }) => field).sort((a, b) => a.name.localeCompare(b.name)))
  if (shape(model.fields) !== shape(reference.datamodel.models[0]!.fields)) return 'its field types, defaults or attributes differ from the jobs-kit model'
  if (!jobsModelIndexes(dmmf, model, provider)) return 'its indexes differ from the jobs-kit model'
  // The shipped SQL names each index (and the primary key) the way Prisma does by default; Prisma
  // gives an index a dbName only for an explicit `map:`. Without this check a renamed index got
  // the default name, and the app's next `migrate dev` found drift and renamed it.
  const renamed = ((dmmf.datamodel.indexes ?? []) as Array<{ model: string; dbName?: string | null }>)
    .filter((index) => index.model === model.name && index.dbName)
    .map((index) => index.dbName)
  if (renamed.length > 0) return `its indexes are renamed with map: (${renamed.join(', ')})`
  return null
}

/** True when `model` has exactly the jobs model's fields (whatever its name, `@@map` or `@map`s). */
export function isJobsModel(model: DmmfModel, provider: JobsProvider): boolean {
  return fieldSignature(model) === jobsModelSignature(provider)
}

/**
 * The model in `dmmf` that already is the jobs model: the one named
 * `BackgroundJob` if it qualifies, else the first that does.
 */
export function findExistingJobsModel(dmmf: Dmmf, provider: JobsProvider): DmmfModel | undefined {
  const candidates = dmmf.datamodel.models.filter((model) => isJobsModel(model, provider))
  return candidates.find((model) => model.name === DEFAULT_JOBS_MODEL_NAME) ?? candidates[0]
}
