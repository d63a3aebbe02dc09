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
 * its diff (the `collapse` folders summarised unless `fullDiff`) and writes
 * nothing. Conflicts print with their diffs and stop the
 * command (a person at a terminal is asked whether to overwrite them, and
 * `replan` runs the generator again with `force`). Otherwise the tree is
 * committed, all or nothing, and the changes are listed.
 */
export async function applyTree(
  tree: Tree,
  options: GlobalOptions & {
    /** Ask this before writing (on a terminal only). */
    confirm?: string
    /** Folders to summarise, one line each (a dry run with --full-diff lists and diffs their files). */
    collapse?: string[]
    /** Files and folders to list first, in this order (what a reviewer reads first). */
    first?: string[]
    /** What to tell the user about conflicts, when the command knows better than the generic advice. */
    conflictAdvice?: string
  },
  replan?: () => Promise<Tree>,
): Promise<ApplyOutcome> {
  if (options.dryRun) {
    const listing = withDiffs(tree, options)
    console.log(listing === '' ? 'Nothing to change.' : listing)
    console.log('\nDry run: nothing was written.')
    return 'dry-run'
  }
  if (tree.conflicts().length > 0) {
    console.log(withDiffs(tree, options))
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
    console.log(formatChanges(tree, { diff: false, collapse: options.collapse, first: options.first }))
    const { confirm, isCancel } = await import('@clack/prompts')
    const go = await confirm({ message: options.confirm, initialValue: true })
    if (isCancel(go) || !go) throw new CancelledError()
    commitTree(tree)
    return 'written'
  }
  commitTree(tree)
  console.log(formatChanges(tree, { diff: false, collapse: options.collapse, first: options.first }))
  return 'written'
}

/** The listing with diffs, for review: the `collapse` folders one line each unless `fullDiff` (conflicts always in full). */
function withDiffs(tree: Tree, options: GlobalOptions & { collapse?: string[]; first?: string[] }): string {
  return options.fullDiff
    ? formatChanges(tree, { diff: true, first: options.first })
    : formatChanges(tree, { diff: true, first: options.first, collapse: options.collapse, collapseHint: '--dry-run --full-diff shows them' })
}
