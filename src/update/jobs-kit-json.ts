import type { Tree } from '../tree/tree.js'
import { InvalidJobsKitJsonError, NotSetUpError } from './errors.js'

/** Where `setup` writes the app's jobs-kit record (see docs/jobs-kit-json.md). */
export const JOBS_KIT_JSON_PATH = 'jobs-kit.json'

/** One vendored file as `jobs-kit.json` records it: the version it came from and the hash of what was written. */
export interface VendoredFileRecord {
  version: string
  /** `sha256-<base64>` of the pristine content (see `hashContent`). */
  hash: string
}

/**
 * The parts of `jobs-kit.json` that `diff` and `update` read. Other fields
 * are kept as they are when the file is written back.
 */
export interface JobsKitJson {
  version: string
  language: 'ts' | 'js'
  moduleType: 'esm' | 'cjs'
  /** `.js`, or `''` for TypeScript apps that import without extensions; the vendored runtime follows it. */
  importExtension?: string
  paths: { srcRoot: string; config: string; runtime: string; [key: string]: unknown }
  /** App-relative path → record, for every vendored file. */
  files: Record<string, VendoredFileRecord>
  [key: string]: unknown
}

/** Reads and checks `jobs-kit.json` from the tree. */
export function readJobsKitJson(tree: Tree): JobsKitJson {
  const text = tree.read(JOBS_KIT_JSON_PATH)
  if (text === null) throw new NotSetUpError(`${JOBS_KIT_JSON_PATH} was not found in ${tree.root}`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, `it is not valid JSON (${(error as Error).message})`)
  }
  if (!isObject(json)) throw new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, 'it is not a JSON object')
  for (const key of ['version', 'language', 'moduleType'] as const) {
    if (typeof json[key] !== 'string') throw new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, `"${key}" is missing or not a string`)
  }
  const paths = json.paths
  if (!isObject(paths) || typeof paths.runtime !== 'string' || typeof paths.config !== 'string') {
    throw new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, '"paths" must name at least "runtime" and "config"')
  }
  const files = json.files ?? {}
  if (!isObject(files)) throw new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, '"files" must be an object of path → { version, hash }')
  for (const [path, record] of Object.entries(files)) {
    if (!isObject(record) || typeof record.version !== 'string' || typeof record.hash !== 'string') {
      throw new InvalidJobsKitJsonError(JOBS_KIT_JSON_PATH, `"files" entry "${path}" must be { "version": string, "hash": string }`)
    }
  }
  return { ...json, files } as JobsKitJson
}

/** Stages `jobs-kit.json` with `files` in path order (stable diffs), two-space indented, ending in a newline. */
export function writeJobsKitJson(tree: Tree, json: JobsKitJson): void {
  const files: Record<string, VendoredFileRecord> = {}
  for (const path of Object.keys(json.files).sort()) files[path] = json.files[path]!
  tree.write(JOBS_KIT_JSON_PATH, `${JSON.stringify({ ...json, files }, null, 2)}\n`)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
