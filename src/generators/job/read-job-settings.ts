import { posix } from 'node:path'
import { readJobsKitJson, requiredPath, type JobsKitJson } from '../../app-record/jobs-kit-json.js'
import type { Tree } from '../../tree/tree.js'

/** What the job generator needs from `jobs-kit.json`, with the fields older records lack filled in. */
export interface JobSettings {
  language: 'ts' | 'js'
  moduleType: 'esm' | 'cjs'
  /** App-root-relative paths, `/`-separated. */
  srcRoot: string
  config: string
  runtime: string
  jobs: string
  jobsIndex: string
  /** tsconfig path alias that points at `srcRoot`, e.g. `@/` or `src/`; null to import relatively. */
  importAlias: string | null
  /**
   * Extension on the imports jobs-kit writes: `jobs-kit.json`'s
   * `importExtension` (setup records `.js` for NodeNext/Node16 TypeScript and
   * every JavaScript app, `''` for TypeScript on bundler or node10
   * resolution). When it is missing (a jobs-kit.json from before the field):
   * `.js`, except for TypeScript compiled to CommonJS.
   */
  importExtension: string
}

/**
 * Reads the generator's settings from `jobs-kit.json` (checked by `readJobsKitJson`).
 *
 * @throws {NotSetUpError} when the file is missing.
 * @throws {InvalidJobsKitJsonError} when it is not JSON, a value is invalid or a path the generator needs is missing.
 */
export function readJobSettings(tree: Tree): JobSettings {
  return jobSettingsOf(readJobsKitJson(tree))
}

/**
 * The generator's settings in a record already read.
 *
 * @throws {InvalidJobsKitJsonError} when a path the generator needs is missing.
 */
export function jobSettingsOf(json: JobsKitJson): JobSettings {
  const path = (key: 'srcRoot' | 'config' | 'runtime' | 'jobs' | 'jobsIndex') => posix.normalize(requiredPath(json, key).replaceAll('\\', '/'))
  const { language, moduleType } = json
  const jobs = path('jobs')
  return {
    language,
    moduleType,
    srcRoot: path('srcRoot'),
    config: path('config'),
    runtime: path('runtime'),
    jobs,
    jobsIndex: json.paths.jobsIndex !== undefined ? path('jobsIndex') : `${jobs}/index.${language}`,
    importAlias: json.importAlias ? json.importAlias : null,
    importExtension: json.importExtension ?? (language === 'ts' && moduleType === 'cjs' ? '' : '.js'),
  }
}
