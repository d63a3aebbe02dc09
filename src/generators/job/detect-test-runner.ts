import { posix } from 'node:path'
import type { Tree } from '../../tree/tree.js'
import type { JobSettings } from './read-job-settings.js'

/**
 * The framework the generated test is written for: Vitest, Jest, or Node's
 * own test runner (`node:test` and `node:assert`, which every app has).
 */
export type TestRunner = 'vitest' | 'jest' | 'node'

/** Packages that mean Jest runs the app's tests (RedwoodJS runs its api tests with Jest). */
const JEST_PACKAGES = ['jest', '@redwoodjs/core', '@redwoodjs/testing']

/**
 * Which framework runs the app's tests, from the app's package.json and the
 * one of its source root's package (RedwoodJS: `api/package.json`): Vitest
 * when either depends on it, else Jest when either depends on Jest (or on
 * RedwoodJS), else Node's test runner: a test importing a framework the app
 * has not installed would break its typecheck and could not run.
 */
export function detectTestRunner(tree: Tree, settings: JobSettings): TestRunner {
  const dependencies = readAppDependencies(tree, settings)
  if (dependencies.has('vitest')) return 'vitest'
  return JEST_PACKAGES.some((name) => dependencies.has(name)) ? 'jest' : 'node'
}

/** The names in `dependencies` and `devDependencies` of the app's package.json and its source root's. */
export function readAppDependencies(tree: Tree, settings: JobSettings): Set<string> {
  const packages = new Set(['package.json', posix.join(posix.dirname(settings.srcRoot), 'package.json')])
  const dependencies = new Set<string>()
  for (const path of packages) {
    const text = tree.read(path)
    if (text === null) continue
    try {
      const json = JSON.parse(text) as Record<string, Record<string, string> | undefined>
      for (const field of ['dependencies', 'devDependencies']) {
        for (const name of Object.keys(json[field] ?? {})) dependencies.add(name)
      }
    } catch {
      // An unreadable package.json says nothing about the test runner; setup reports it.
    }
  }
  return dependencies
}
