import type { Tree } from '../tree/tree.js'
import type { PackageJson } from './read-package-json.js'

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun'

/** Lock files in the order we trust them when an app (wrongly) has several. */
const LOCK_FILES: [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
]

/**
 * The package manager the app uses: its lock file, else the `packageManager`
 * field (corepack), else npm. Only decides what next steps say (`pnpm jobs
 * work` vs `npm run jobs -- work`); setup never installs anything.
 */
export function detectPackageManager(tree: Tree, pkg: PackageJson): PackageManager {
  for (const [file, manager] of LOCK_FILES) if (tree.exists(file)) return manager
  const declared = typeof pkg.packageManager === 'string' ? pkg.packageManager.split('@')[0] : undefined
  if (declared === 'pnpm' || declared === 'yarn' || declared === 'bun' || declared === 'npm') return declared
  return 'npm'
}

/** How to run a package.json script with extra arguments, e.g. `npm run jobs -- work`. */
export function runScriptCommand(manager: PackageManager, script: string, args: string): string {
  switch (manager) {
    case 'npm':
      return `npm run ${script} -- ${args}`
    case 'bun':
      return `bun run ${script} ${args}`
    default:
      return `${manager} ${script} ${args}`
  }
}
