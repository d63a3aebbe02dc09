import type { Tree } from '../tree/tree.js'
import { commitTree } from '../tree/commit-tree.js'
import { ConflictError } from '../tree/errors.js'
import { formatChanges } from '../tree/print-changes.js'
import { CancelledError } from './errors.js'
import { isInteractive, type GlobalOptions } from './global-options.js'

/** What `applyTree` did. */
export type ApplyOutcome = 'written' | 'dry-run' | 'unchanged'

/**
 * The end of every command that writes. A dry run prints each change with
 * its diff and writes nothing. Conflicts print with their diffs and stop the
 * command (a person at a terminal is asked whether to overwrite them, and
 * `replan` runs the generator again with `force`). Otherwise the tree is
 * committed, all or nothing, and the changes are listed.
 */
export async function applyTree(
  tree: Tree,
  options: GlobalOptions & {
    /** Ask this before writing (on a terminal only). */
    confirm?: string
    /** Folders to summarise in the listing after writing (a dry run lists every file). */
    collapse?: string[]
    /** What to tell the user about conflicts, when the command knows better than the generic advice. */
    conflictAdvice?: string
  },
  replan?: () => Promise<Tree>,
): Promise<ApplyOutcome> {
  if (options.dryRun) {
    const listing = formatChanges(tree, { diff: true })
    console.log(listing === '' ? 'Nothing to change.' : listing)
    console.log('\nDry run: nothing was written.')
    return 'dry-run'
  }
  if (tree.conflicts().length > 0) {
    console.log(formatChanges(tree, { diff: true }))
    if (replan && isInteractive(options)) {
      const { confirm, isCancel } = await import('@clack/prompts')
      const overwrite = await confirm({ message: 'Overwrite the conflicting files with what jobs-kit would write?', initialValue: false })
      if (isCancel(overwrite) || !overwrite) throw new CancelledError()
      return applyTree(await replan(), { ...options, confirm: undefined })
    }
    throw new ConflictError(tree.conflicts().map((conflict) => conflict.path), options.conflictAdvice)
  }
  if (tree.changes().length === 0) return 'unchanged'
  if (options.confirm && isInteractive(options)) {
    console.log(formatChanges(tree, { diff: false, collapse: options.collapse }))
    const { confirm, isCancel } = await import('@clack/prompts')
    const go = await confirm({ message: options.confirm, initialValue: true })
    if (isCancel(go) || !go) throw new CancelledError()
    commitTree(tree)
    return 'written'
  }
  commitTree(tree)
  console.log(formatChanges(tree, { diff: false, collapse: options.collapse }))
  return 'written'
}
