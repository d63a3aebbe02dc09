import type { Tree } from '../tree/tree.js'

/** Where app code lives, and whether the app is a RedwoodJS project. */
export interface SourceRoot {
  /** `api/src`, `src` or `.`. */
  srcRoot: string
  redwood: boolean
}

/**
 * `api/src` for RedwoodJS (a `redwood.toml`, or an `api/` side with
 * `api/db/schema.prisma`), else `src` when it exists, else the app root.
 */
export function detectSourceRoot(tree: Tree): SourceRoot {
  const redwood = tree.exists('redwood.toml') || (tree.exists('api/db/schema.prisma') && tree.exists('api/src'))
  if (redwood) return { srcRoot: 'api/src', redwood: true }
  if (tree.exists('src') && tree.read('src') === null) return { srcRoot: 'src', redwood: false }
  return { srcRoot: '.', redwood: false }
}
