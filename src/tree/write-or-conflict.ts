import type { Tree } from './tree.js'

/** What `writeOrConflict` did. */
export type WriteOutcome = 'create' | 'update' | 'skip' | 'conflict'

/**
 * Writes a generated file unless that would overwrite different content the
 * user may have edited: then it records a conflict (refused at commit) unless
 * `force` is set.
 */
export function writeOrConflict(tree: Tree, path: string, content: string, options: { force?: boolean } = {}): WriteOutcome {
  const existing = tree.read(path)
  if (existing === null) {
    tree.write(path, content)
    return 'create'
  }
  if (existing === content) {
    tree.write(path, content)
    return 'skip'
  }
  if (options.force) {
    tree.write(path, content)
    return 'update'
  }
  tree.conflict(path, content)
  return 'conflict'
}
