import { posix } from 'node:path'
import type { Tree } from '../tree/tree.js'
import { parseJsonc } from './parse-jsonc.js'

/** The compiler options detection cares about, with `extends` applied. */
export interface TsconfigInfo {
  /** The file read, relative to the app root. */
  path: string
  /** Folder that `paths` targets are relative to (baseUrl, else the tsconfig's folder), relative to the app root. */
  pathsBase: string
  paths: Record<string, string[]>
  /** Lower-cased, e.g. `nodenext`, `bundler`; null when neither it nor `module` says. */
  moduleResolution: string | null
  module: string | null
}

interface RawCompilerOptions {
  baseUrl?: string
  paths?: Record<string, string[]>
  moduleResolution?: string
  module?: string
}

/**
 * Reads the first of `candidates` that exists (tsconfig.json, jsconfig.json),
 * following `extends` (string or array, at most a few levels) so a `paths` or
 * `moduleResolution` set in a base config counts. A package base
 * (`@tsconfig/node20/tsconfig.json`, `@tsconfig/strictest`) is read from the
 * app's node_modules when installed, and skipped when not.
 */
export function readTsconfig(tree: Tree, candidates: string[]): TsconfigInfo | null {
  const path = candidates.find((candidate) => tree.read(candidate) !== null)
  if (!path) return null
  const merged: RawCompilerOptions & { baseUrlFrom?: string; pathsFrom?: string } = {}
  collect(tree, path, merged, 0)
  const pathsBase = merged.baseUrl !== undefined
    ? posix.normalize(posix.join(posix.dirname(merged.baseUrlFrom!), merged.baseUrl))
    : posix.dirname(merged.pathsFrom ?? path)
  const moduleResolution = merged.moduleResolution?.toLowerCase() ?? null
  const module = merged.module?.toLowerCase() ?? null
  return {
    path,
    pathsBase: pathsBase === '' ? '.' : pathsBase,
    paths: merged.paths ?? {},
    moduleResolution: moduleResolution ?? inferResolution(module),
    module,
  }
}

/** TypeScript's own defaults when only `module` is set. */
function inferResolution(module: string | null): string | null {
  if (module === 'nodenext' || module === 'node16' || module === 'node18' || module === 'node20') return module === 'node16' ? 'node16' : 'nodenext'
  if (module === 'preserve') return 'bundler'
  return module === null ? null : 'node10'
}

/** Applies `file` over `into` (bases first, the file's own options last). */
function collect(tree: Tree, file: string, into: RawCompilerOptions & { baseUrlFrom?: string; pathsFrom?: string }, depth: number): void {
  const text = tree.read(file)
  if (text === null || depth > 5) return
  const json = parseJsonc(text, file) as { extends?: string | string[]; compilerOptions?: RawCompilerOptions }
  const bases = json.extends === undefined ? [] : Array.isArray(json.extends) ? json.extends : [json.extends]
  for (const base of bases) {
    const resolved = resolveBase(tree, file, base)
    if (resolved) collect(tree, resolved, into, depth + 1)
  }
  const options = json.compilerOptions ?? {}
  if (options.baseUrl !== undefined) {
    into.baseUrl = options.baseUrl
    into.baseUrlFrom = file
  }
  if (options.paths !== undefined) {
    into.paths = options.paths
    into.pathsFrom = file
  }
  if (options.moduleResolution !== undefined) into.moduleResolution = options.moduleResolution
  if (options.module !== undefined) into.module = options.module
}

/** The file an `extends` entry names, or null when it cannot be found in the tree. */
function resolveBase(tree: Tree, from: string, base: string): string | null {
  if (base.startsWith('.')) {
    const resolved = posix.normalize(posix.join(posix.dirname(from), base))
    return resolved.endsWith('.json') ? resolved : `${resolved}.json`
  }
  if (posix.isAbsolute(base)) return null
  const inModules = `node_modules/${base}`
  const candidates = base.endsWith('.json') ? [inModules] : [`${inModules}.json`, `${inModules}/tsconfig.json`]
  return candidates.find((candidate) => tree.read(candidate) !== null) ?? null
}
