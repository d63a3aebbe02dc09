import type { Tree } from '../../tree/tree.js'
import { InvalidJsonFileError } from '../../project/errors.js'

/** What to add to the app's package.json. */
export interface PackageJsonAdditions {
  /** Scripts to add: name → command. */
  scripts: Record<string, string>
  /** Dev dependencies to add when the app has them in neither dependencies nor devDependencies. */
  devDependencies: Record<string, string>
  /** Replace a script of the same name that runs something else. */
  force: boolean
}

/**
 * Adds scripts and dev dependencies to package.json, keeping its key order,
 * its indentation and its final newline (the file is re-serialised, so only
 * the added lines differ). A script of the same name that runs something else
 * is a conflict (shown with its diff, refused without `force`).
 */
export function updatePackageJson(tree: Tree, additions: PackageJsonAdditions): void {
  const text = tree.read('package.json')
  if (text === null) return
  let pkg: Record<string, unknown>
  try {
    pkg = JSON.parse(text) as Record<string, unknown>
  } catch (error) {
    throw new InvalidJsonFileError('package.json', (error as Error).message)
  }
  const scripts = { ...((pkg.scripts as Record<string, string> | undefined) ?? {}) }
  let conflicting = false
  for (const [name, command] of Object.entries(additions.scripts)) {
    if (scripts[name] !== undefined && scripts[name] !== command && !additions.force) conflicting = true
    scripts[name] = command
  }
  const dependencies = (pkg.dependencies as Record<string, string> | undefined) ?? {}
  const devDependencies = { ...((pkg.devDependencies as Record<string, string> | undefined) ?? {}) }
  let addedDevDependencies = false
  for (const [name, range] of Object.entries(additions.devDependencies)) {
    if (dependencies[name] !== undefined || devDependencies[name] !== undefined) continue
    devDependencies[name] = range
    addedDevDependencies = true
  }
  const updated: Record<string, unknown> = { ...pkg, scripts }
  if (addedDevDependencies) updated.devDependencies = sortedIfSorted(pkg.devDependencies as Record<string, string> | undefined, devDependencies)

  const content = JSON.stringify(updated, null, detectIndent(text)) + (text.endsWith('\n') ? '\n' : '')
  if (content === text) tree.write('package.json', text)
  else if (conflicting) tree.conflict('package.json', content)
  else tree.write('package.json', content)
}

/** npm keeps dependency maps sorted; keep them so when they were. */
function sortedIfSorted(original: Record<string, string> | undefined, updated: Record<string, string>): Record<string, string> {
  const keys = Object.keys(original ?? {})
  const wasSorted = keys.every((key, i) => i === 0 || keys[i - 1]!.localeCompare(key) <= 0)
  if (!wasSorted) return updated
  return Object.fromEntries(Object.entries(updated).sort(([a], [b]) => a.localeCompare(b)))
}

/** The file's indentation unit: a tab, or the leading spaces of its first indented line (2 by default). */
export function detectIndent(text: string): string | number {
  const match = /^([ \t]+)\S/m.exec(text)
  if (!match) return 2
  return match[1]!.startsWith('\t') ? '\t' : match[1]!.length
}
