import { posix } from 'node:path'
import type { Tree } from '../../tree/tree.js'
import { NotSetUpError } from './errors.js'

/** Where `setup` records the app's layout (see docs/jobs-kit-json.md). */
export const JOBS_KIT_JSON = 'jobs-kit.json'

/** What the job generator needs from `jobs-kit.json`, with defaults filled in. */
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
 * Reads `jobs-kit.json` from the tree.
 *
 * @throws {NotSetUpError} when the file is missing, is not JSON or lacks a path the generator needs.
 */
export function readJobSettings(tree: Tree): JobSettings {
  const text = tree.read(JOBS_KIT_JSON)
  if (text === null) throw new NotSetUpError(`${JOBS_KIT_JSON} was not found at the app's root (${tree.root})`)
  let json: Record<string, unknown>
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch (error) {
    throw new NotSetUpError(`${JOBS_KIT_JSON} is not valid JSON (${(error as Error).message})`)
  }
  if (json === null || typeof json !== 'object') throw new NotSetUpError(`${JOBS_KIT_JSON} is not a JSON object`)

  const paths = (json.paths ?? {}) as Record<string, unknown>
  const path = (key: string): string => {
    const value = paths[key]
    if (typeof value !== 'string' || value === '') throw new NotSetUpError(`${JOBS_KIT_JSON} has no "paths.${key}"`)
    return posix.normalize(value.replaceAll('\\', '/'))
  }

  const language = json.language === 'js' ? 'js' : 'ts'
  const moduleType = json.moduleType === 'cjs' ? 'cjs' : 'esm'
  const jobs = path('jobs')
  const importAlias = typeof json.importAlias === 'string' && json.importAlias !== '' ? json.importAlias : null
  const importExtension = typeof json.importExtension === 'string'
    ? json.importExtension
    : language === 'ts' && moduleType === 'cjs' ? '' : '.js'
  return {
    language,
    moduleType,
    srcRoot: path('srcRoot'),
    config: path('config'),
    runtime: path('runtime'),
    jobs,
    jobsIndex: typeof paths.jobsIndex === 'string' ? path('jobsIndex') : `${jobs}/index.${language}`,
    importAlias,
    importExtension,
  }
}
