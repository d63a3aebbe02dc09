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
 * Why the table of `model` would not be the one the shipped migration SQL
 * creates (mapped columns, other native types, defaults or indexes), or null
 * when it would be, up to the table's name and database schema.
 */
export function differenceFromTemplate(dmmf: Dmmf, model: DmmfModel, provider: JobsProvider): string | null {
  const mapped = model.fields.filter((field) => field.dbName)
  if (mapped.length > 0) return `its columns are renamed with @map (${mapped.map((field) => field.name).join(', ')})`
  const reference = templateDmmf(provider)
  const shape = (fields: DmmfModel['fields']) =>
    JSON.stringify([...fields].map(({ documentation: _documentation, ...field }) => field).sort((a, b) => a.name.localeCompare(b.name)))
  if (shape(model.fields) !== shape(reference.datamodel.models[0]!.fields)) return 'its field types, defaults or attributes differ from the jobs-kit model'
  const indexes = (of: Dmmf, name: string) =>
    JSON.stringify(
      ((of.datamodel.indexes ?? []) as Array<{ model: string; type: string; fields: unknown }>)
        .filter((index) => index.model === name)
        .map((index) => ({ type: index.type, fields: index.fields }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    )
  if (indexes(dmmf, model.name) !== indexes(reference, DEFAULT_JOBS_MODEL_NAME)) return 'its indexes differ from the jobs-kit model'
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
