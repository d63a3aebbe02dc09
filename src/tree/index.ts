/** The staged file tree: plan on it, print it, commit it all or nothing. */
export type { Tree, FileChange, FileChangeKind, FileConflict } from './tree.js'
export type { TreeFs } from './tree-fs.js'
export { createStagedTree, type StagedTree, type StagedTreeOptions } from './staged-tree.js'
export { commitTree, type CommitOptions } from './commit-tree.js'
export { formatChanges, type FormatOptions } from './print-changes.js'
export { writeOrConflict, type WriteOutcome } from './write-or-conflict.js'
export * from './errors.js'
