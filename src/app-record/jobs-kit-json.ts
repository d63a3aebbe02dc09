/**
 * The app's record, `jobs-kit.json` (docs/jobs-kit-json.md): `setup` writes
 * it, `g job`/`d job` read where things live from it, `diff` and `update`
 * read and rewrite what was vendored. This is the one module that parses it
 * and the one that serialises it.
 */
import type { JobsTable } from '../schema/jobs-model.js'
import type { Tree } from '../tree/tree.js'
import { InvalidJobsKitJsonError, NotSetUpError } from './errors.js'

/** Where jobs-kit.json lives: the app root. */
export const JOBS_KIT_JSON_PATH = 'jobs-kit.json'

/** One vendored file as `jobs-kit.json` records it: the version it came from and the hash of what was written. */
export interface VendoredFileRecord {
  version: string
  /** `sha256-<base64>` of the pristine content (see `hashContent`). */
  hash: string
}

/** A queue `g job` added to the jobs config for a job: `d job` takes it out again when nothing else uses it. */
export interface AddedQueue {
  queue: string
  /** The config it was added to (`paths.config` at the time). */
  config: string
}

/** A `recurring` entry `g job --cron` added to the jobs config for a job: `d job` takes it out again. */
export interface AddedRecurring {
  /** The config it was added to (`paths.config` at the time). */
  config: string
  cron: string
  timezone?: string
  /** True when `g job` also created the `recurring: [...]` array: the last entry out takes the array with it. */
  createdArray: boolean
}

/** App-root-relative paths, `/`-separated. */
export interface JobsKitPaths {
  srcRoot?: string
  /** The app's jobs config. */
  config: string
  /** The vendored runtime's folder. */
  runtime: string
  jobs?: string
  jobsIndex?: string
  /** The Prisma schema: a file or a multi-file folder. */
  schema?: string
  /** The module that exports the Prisma client. */
  db?: string
}

/**
 * The app's `jobs-kit.json`. `setup` writes every field; the optional ones
 * are missing from records written before jobs-kit had them, and readers
 * must cope. Fields this version does not know are kept as they are when the
 * file is written back.
 */
export interface JobsKitJson {
  /** jobs-kit version that last wrote the vendored files. */
  version: string
  language: 'ts' | 'js'
  moduleType: 'esm' | 'cjs'
  /**
   * Extension on relative imports in files jobs-kit writes: `.js` (NodeNext,
   * Node16, every JS app) or `''` (TS apps on bundler/node10 resolution).
   * `g job` and `update` follow it.
   */
  importExtension?: '.js' | ''
  provider?: string
  /** The jobs model, its table and database schema: what the config's `model:` and the migration name. */
  model?: JobsTable
  paths: JobsKitPaths
  /** Export of `paths.db` that is the Prisma client (`db`, `prisma`, `default`, …). */
  dbExport?: string
  /** tsconfig path alias that points at `paths.srcRoot`, e.g. `@/`, or null to import relatively. */
  importAlias?: string | null
  /** Job name (`SendWelcomeEmailJob`) → the queue `g job` added for it; absent when there is none. */
  addedQueues?: Record<string, AddedQueue>
  /** Job name → the `recurring` entry `g job --cron` added for it; absent when there is none. */
  addedRecurring?: Record<string, AddedRecurring>
  /**
   * The config `g job --class` added `RedwoodJob.config(...)` to (the first
   * class job needs it); `d job` removes it with the last class job. Absent
   * when jobs-kit added none.
   */
  addedClassJobConfig?: string
  /** App-relative path → record, for every vendored file. */
  files: Record<string, VendoredFileRecord>
}

/**
 * Reads and checks `jobs-kit.json` from the tree. A value of the wrong kind
 * is an error that names the field, never silently replaced by a default.
 *
 * @throws {NotSetUpError} when the file does not exist.
 * @throws {InvalidJobsKitJsonError} when it is not JSON or a field is missing or invalid.
 */
export function readJobsKitJson(tree: Tree): JobsKitJson {
  const text = tree.read(JOBS_KIT_JSON_PATH)
  if (text === null) throw new NotSetUpError(`${JOBS_KIT_JSON_PATH} was not found at the app's root (${tree.root})`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, `it is not valid JSON (${(error as Error).message})`)
  }
  if (!isObject(json)) throw new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, 'it is not a JSON object')
  const invalid = (detail: string) => new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, detail)

  if (typeof json.version !== 'string' || json.version === '') throw invalid('"version" is missing or not a string')
  checkOneOf(json, 'language', ['ts', 'js'], true)
  checkOneOf(json, 'moduleType', ['esm', 'cjs'], true)
  checkOneOf(json, 'importExtension', ['.js', ''], false)
  for (const key of ['provider', 'dbExport'] as const) {
    if (json[key] !== undefined && typeof json[key] !== 'string') throw invalid(`"${key}" must be a string`)
  }
  if (json.importAlias !== undefined && json.importAlias !== null && typeof json.importAlias !== 'string') {
    throw invalid('"importAlias" must be a string or null')
  }
  const model = json.model
  if (model !== undefined && (!isObject(model) || typeof model.name !== 'string' || typeof model.table !== 'string' ||
    !(model.dbSchema === null || typeof model.dbSchema === 'string'))) {
    throw invalid('"model" must be { "name": string, "table": string, "dbSchema": string or null }')
  }

  const paths = json.paths
  if (!isObject(paths)) throw invalid('"paths" is missing or not an object')
  for (const key of ['config', 'runtime'] as const) {
    if (paths[key] === undefined) throw invalid(`"paths.${key}" is missing`)
  }
  for (const [key, value] of Object.entries(paths)) {
    if (typeof value !== 'string' || value === '') throw invalid(`"paths.${key}" must be a non-empty path`)
  }

  const addedQueues = json.addedQueues
  if (addedQueues !== undefined) {
    if (!isObject(addedQueues)) throw invalid('"addedQueues" must be an object of job name → { queue, config }')
    for (const [job, added] of Object.entries(addedQueues)) {
      if (!isObject(added) || typeof added.queue !== 'string' || typeof added.config !== 'string') {
        throw invalid(`"addedQueues" entry "${job}" must be { "queue": string, "config": string }`)
      }
    }
  }

  const addedRecurring = json.addedRecurring
  if (addedRecurring !== undefined) {
    if (!isObject(addedRecurring)) throw invalid('"addedRecurring" must be an object of job name → { config, cron, timezone?, createdArray }')
    for (const [job, added] of Object.entries(addedRecurring)) {
      if (!isObject(added) || typeof added.config !== 'string' || typeof added.cron !== 'string' ||
        (added.timezone !== undefined && typeof added.timezone !== 'string') || typeof added.createdArray !== 'boolean') {
        throw invalid(`"addedRecurring" entry "${job}" must be { "config": string, "cron": string, "timezone"?: string, "createdArray": boolean }`)
      }
    }
  }
  if (json.addedClassJobConfig !== undefined && typeof json.addedClassJobConfig !== 'string') {
    throw invalid('"addedClassJobConfig" must be the path of the jobs config')
  }

  const files = json.files ?? {}
  if (!isObject(files)) throw invalid('"files" must be an object of path → { version, hash }')
  for (const [path, record] of Object.entries(files)) {
    if (!isObject(record) || typeof record.version !== 'string' || typeof record.hash !== 'string') {
      throw invalid(`"files" entry "${path}" must be { "version": string, "hash": string }`)
    }
  }
  return { ...json, files } as unknown as JobsKitJson
}

/**
 * A path the caller cannot do without (`g job` needs `paths.jobs`), which a
 * damaged or hand-written record may lack.
 *
 * @throws {InvalidJobsKitJsonError} naming the missing field.
 */
export function requiredPath(json: JobsKitJson, key: keyof JobsKitPaths): string {
  const value = json.paths[key]
  if (value === undefined) throw new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, `"paths.${key}" is missing`)
  return value
}

/**
 * Serialises jobs-kit.json the one way jobs-kit always writes it: fields in
 * the documented order, then any this version does not know, `files` in path
 * order; two-space indented, ending in a newline. Stable, so a second setup
 * or a no-op update leaves the file as it was.
 */
export function formatJobsKitJson(json: JobsKitJson): string {
  const paths: JobsKitPaths = {
    srcRoot: json.paths.srcRoot,
    config: json.paths.config,
    runtime: json.paths.runtime,
    jobs: json.paths.jobs,
    jobsIndex: json.paths.jobsIndex,
    schema: json.paths.schema,
    db: json.paths.db,
  }
  const files: Record<string, VendoredFileRecord> = {}
  for (const path of Object.keys(json.files).sort()) files[path] = json.files[path]!
  const jobs = Object.keys(json.addedQueues ?? {}).sort()
  const addedQueues = jobs.length === 0
    ? undefined
    : Object.fromEntries(jobs.map((job) => [job, { queue: json.addedQueues![job]!.queue, config: json.addedQueues![job]!.config }]))
  const recurringJobs = Object.keys(json.addedRecurring ?? {}).sort()
  const addedRecurring = recurringJobs.length === 0
    ? undefined
    : Object.fromEntries(recurringJobs.map((job) => {
      const { config, cron, timezone, createdArray } = json.addedRecurring![job]!
      return [job, { config, cron, timezone, createdArray }]
    }))
  // Keys left undefined (fields an older record lacks) are dropped by JSON.stringify.
  const ordered: JobsKitJson = {
    version: json.version,
    language: json.language,
    moduleType: json.moduleType,
    importExtension: json.importExtension,
    provider: json.provider,
    model: json.model && { name: json.model.name, table: json.model.table, dbSchema: json.model.dbSchema },
    paths: { ...paths, ...json.paths },
    dbExport: json.dbExport,
    importAlias: json.importAlias,
    addedQueues,
    addedRecurring,
    addedClassJobConfig: json.addedClassJobConfig,
    files,
  }
  // Spreading `json` after `ordered` appends the fields this version does not know: a key spread
  // again keeps its first position. The normalised values are then put back over the raw ones.
  return `${JSON.stringify({ ...ordered, ...json, model: ordered.model, paths: ordered.paths, addedQueues, addedRecurring, files }, null, 2)}\n`
}

/** Stages `jobs-kit.json` as `formatJobsKitJson` writes it. */
export function writeJobsKitJson(tree: Tree, json: JobsKitJson): void {
  tree.write(JOBS_KIT_JSON_PATH, formatJobsKitJson(json))
}

/** The vendoring option that matches a recorded `importExtension` (`.js` when the record predates the field). */
export function importStyleOf(importExtension: string | undefined): 'with-extension' | 'extensionless' {
  return importExtension === '' ? 'extensionless' : 'with-extension'
}

function checkOneOf(json: Record<string, unknown>, key: string, allowed: readonly string[], required: boolean): void {
  const value = json[key]
  if (value === undefined && !required) return
  if (typeof value !== 'string' || !allowed.includes(value)) {
    const found = value === undefined ? 'it is missing' : `found ${JSON.stringify(value)}`
    throw new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, `"${key}" must be ${allowed.map((a) => JSON.stringify(a)).join(' or ')} (${found})`)
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
