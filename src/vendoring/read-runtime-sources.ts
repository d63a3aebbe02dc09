import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join, relative, sep } from 'node:path'

/**
 * The runtime shipped in this package. `src/vendoring/` (run with tsx) and
 * `dist/vendoring/` (the built CLI) are both two levels below the package root,
 * so the same URL finds `src/runtime/` from either: the runtime is always
 * read from the installed package, never from a copy.
 */
export const RUNTIME_DIR = fileURLToPath(new URL('../../src/runtime/', import.meta.url))

/** True for files that stay in this repo: tests, type tests, fixtures. */
export function isRuntimeTestFile(relativePath: string): boolean {
  const parts = relativePath.split('/')
  if (parts.some((part) => part === '__tests__' || part === '__fixtures__')) return true
  const name = parts[parts.length - 1]!
  return /\.(test|spec|test-d)\.[cm]?tsx?$/.test(name)
}

/**
 * Reads every vendorable runtime file (TypeScript sources and anything else,
 * minus tests and fixtures) as `relative path → content`, paths with `/`,
 * sorted.
 */
export function readRuntimeSources(runtimeDir: string = RUNTIME_DIR): Map<string, string> {
  const files = new Map<string, string>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      const path = relative(runtimeDir, full).split(sep).join('/')
      if (isRuntimeTestFile(path) || entry.name === '.DS_Store') continue
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) files.set(path, readFileSync(full, 'utf8'))
    }
  }
  walk(runtimeDir)
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
