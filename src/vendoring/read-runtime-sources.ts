import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { RUNTIME_SOURCES_DIR } from '../package-assets/package-files.js'

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
export function readRuntimeSources(runtimeDir: string = RUNTIME_SOURCES_DIR): Map<string, string> {
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
