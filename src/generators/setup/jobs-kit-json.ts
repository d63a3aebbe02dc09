import type { JobsTable } from '../../schema/jobs-model.js'
import type { VendoredFile } from './vendor-runtime.js'

/** The app's `jobs-kit.json` (see docs/jobs-kit-json.md). */
export interface JobsKitJson {
  version: string
  language: 'ts' | 'js'
  moduleType: 'esm' | 'cjs'
  /**
   * Extension on relative imports in files jobs-kit writes: `.js` (NodeNext,
   * Node16, every JS app) or `''` (TS apps on bundler/node10 resolution).
   * `g job` and `update` follow it.
   */
  importExtension: '.js' | ''
  provider: string
  /** The jobs model, its table and database schema: what the config's `model:` and the migration name. */
  model: JobsTable
  paths: {
    srcRoot: string
    config: string
    runtime: string
    jobs: string
    jobsIndex: string
    schema: string
    db: string
  }
  /** Export of `paths.db` that is the Prisma client (`db`, `prisma`, `default`, …). */
  dbExport: string
  importAlias: string | null
  files: Record<string, VendoredFile>
}

/** Where jobs-kit.json lives: the app root. */
export const JOBS_KIT_JSON_PATH = 'jobs-kit.json'

/** Serialises jobs-kit.json the one way jobs-kit always writes it (stable, so a second setup is a no-op). */
export function formatJobsKitJson(json: JobsKitJson): string {
  const ordered: JobsKitJson = {
    version: json.version,
    language: json.language,
    moduleType: json.moduleType,
    importExtension: json.importExtension,
    provider: json.provider,
    model: { name: json.model.name, table: json.model.table, dbSchema: json.model.dbSchema },
    paths: json.paths,
    dbExport: json.dbExport,
    importAlias: json.importAlias,
    files: Object.fromEntries(Object.entries(json.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  }
  return `${JSON.stringify(ordered, null, 2)}\n`
}

/** The vendoring option that matches a recorded `importExtension`. */
export function importStyleOf(importExtension: string): 'with-extension' | 'extensionless' {
  return importExtension === '' ? 'extensionless' : 'with-extension'
}
