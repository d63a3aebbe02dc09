import type { Tree } from '../tree/tree.js'
import { hasDependency, type PackageJson } from './read-package-json.js'

export type Language = 'ts' | 'js'

/**
 * TypeScript when the app (or its RedwoodJS api side) has a tsconfig.json or
 * depends on `typescript`, unless its source files are plainly JavaScript;
 * JavaScript when it has neither. A JS RedwoodJS app has a jsconfig.json.
 */
export function detectLanguage(tree: Tree, pkg: PackageJson, srcRoot: string): Language {
  const counts = countSourceFiles(tree, srcRoot)
  const hasTsconfig = tree.exists('tsconfig.json') || tree.exists('api/tsconfig.json')
  if (hasTsconfig) return 'ts'
  if (counts.js > 0 && counts.ts === 0) return 'js'
  if (hasDependency(pkg, 'typescript') || counts.ts > 0) return 'ts'
  return 'js'
}

/** Counts .ts and .js files a few levels deep (enough to tell, without walking a huge app). */
export function countSourceFiles(tree: Tree, dir: string, depth = 3): { ts: number; js: number } {
  const counts = { ts: 0, js: 0 }
  const skip = new Set(['node_modules', 'dist', 'build', '.next', '.git', 'coverage', '.jobs-kit', 'jobs-kit'])
  const walk = (folder: string, level: number) => {
    for (const name of tree.children(folder)) {
      if (skip.has(name) || name.startsWith('.')) continue
      const path = folder === '.' ? name : `${folder}/${name}`
      if (/\.d\.[mc]?ts$/.test(name)) continue
      if (/\.(ts|tsx|mts|cts)$/.test(name)) counts.ts += 1
      else if (/\.(js|jsx|mjs|cjs)$/.test(name)) counts.js += 1
      else if (level < depth && !name.includes('.') && tree.read(path) === null) walk(path, level + 1)
    }
  }
  walk(dir, 1)
  return counts
}
