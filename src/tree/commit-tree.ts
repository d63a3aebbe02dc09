import { basename, dirname, join } from 'node:path'
import type { FileChange, Tree } from './tree.js'
import { defaultTreeFs, type TreeFs } from './tree-fs.js'
import { ChangedOnDiskError, CommitError, ConflictError } from './errors.js'

/** Options of `commitTree`. */
export interface CommitOptions {
  /** File system to write to: the tree's own by default (memfs in tests), else `node:fs`. */
  fs?: TreeFs
}

/** One step already applied, and how to undo it. */
type Applied =
  | { kind: 'created-dir'; path: string }
  | { kind: 'created-file'; path: string }
  /** The original was moved aside to `backup`; undo by moving it back. */
  | { kind: 'moved-aside'; path: string; backup: string }
  /** A symlink's target was rewritten in place; undo by writing the old content back. */
  | { kind: 'rewritten'; path: string; before: string }

/**
 * Writes every change of the tree, all or nothing. Refuses a tree with
 * conflicts and a tree whose files changed on disk since they were read.
 *
 * Originals are never overwritten in place: an updated file's new content is
 * written to a temporary sibling first, the original is renamed to a backup
 * sibling, then the new file is renamed into place. If any step fails, the
 * steps already taken are undone newest first with renames, unlinks and
 * rmdirs only, so restoring cannot fail for the reason the write did (a full
 * disk, say). Backups are removed once everything is written. (A symlinked
 * file is the exception: it is written through, and restored by writing its
 * old content back, so the link stays a link.)
 *
 * Returns the changes it applied; throws `CommitError` after a rollback.
 */
export function commitTree(tree: Tree, options: CommitOptions = {}): FileChange[] {
  const fs = options.fs ?? (tree as Partial<{ fs: TreeFs }>).fs ?? defaultTreeFs
  const conflicts = tree.conflicts()
  if (conflicts.length > 0) throw new ConflictError(conflicts.map((c) => c.path))

  const changes = tree.changes()
  const absolute = (path: string) => join(tree.root, path)
  for (const change of changes) {
    if (readIfFile(fs, absolute(change.path)) !== change.before) throw new ChangedOnDiskError(change.path)
  }

  const applied: Applied[] = []
  for (const change of changes) {
    const path = absolute(change.path)
    try {
      if (change.kind === 'create') {
        makeParents(fs, dirname(path), applied)
        fs.writeFileSync(path, change.after!)
        applied.push({ kind: 'created-file', path })
      } else if (change.kind === 'update' && isSymbolicLink(fs, path)) {
        // Renaming over a symlink would replace the link with a file: write through it instead.
        fs.writeFileSync(path, change.after!)
        applied.push({ kind: 'rewritten', path, before: change.before! })
      } else if (change.kind === 'update') {
        const temp: Applied = { kind: 'created-file', path: sibling(path, 'new') }
        fs.writeFileSync(temp.path, change.after!)
        applied.push(temp)
        const mode = modeOf(fs, path)
        if (mode !== undefined) fs.chmodSync?.(temp.path, mode & 0o7777)
        const backup = sibling(path, 'backup')
        fs.renameSync(path, backup)
        applied.push({ kind: 'moved-aside', path, backup })
        fs.renameSync(temp.path, path)
        // The temp file is now the file: undoing the move-aside puts the original back over it.
        applied.splice(applied.indexOf(temp), 1)
      } else {
        const backup = sibling(path, 'backup')
        fs.renameSync(path, backup)
        applied.push({ kind: 'moved-aside', path, backup })
      }
    } catch (error) {
      throw new CommitError(change.path, error, rollBack(fs, applied))
    }
  }
  for (const step of applied) {
    if (step.kind !== 'moved-aside') continue
    try {
      fs.unlinkSync(step.backup)
    } catch {
      // Everything is written; a leftover backup file is harmless and visible.
    }
  }
  for (const change of changes) {
    if (change.kind === 'delete') removeEmptyParents(fs, dirname(absolute(change.path)), tree.root)
  }
  return changes
}

/** A hidden sibling name for temporary and backup copies. */
function sibling(path: string, role: 'new' | 'backup'): string {
  return join(dirname(path), `.${basename(path)}.jobs-kit-${role}-${process.pid}`)
}

function readIfFile(fs: TreeFs, path: string): string | null {
  try {
    return fs.statSync(path).isFile() ? String(fs.readFileSync(path, 'utf8')) : null
  } catch {
    return null
  }
}

function isSymbolicLink(fs: TreeFs, path: string): boolean {
  try {
    return fs.lstatSync?.(path).isSymbolicLink() ?? false
  } catch {
    return false
  }
}

function modeOf(fs: TreeFs, path: string): number | undefined {
  try {
    return fs.statSync(path).mode
  } catch {
    return undefined
  }
}

/** `mkdir -p`, journaling each directory it creates so rollback can remove it. */
function makeParents(fs: TreeFs, dir: string, applied: Applied[]): void {
  if (fs.existsSync(dir)) return
  makeParents(fs, dirname(dir), applied)
  fs.mkdirSync(dir)
  applied.push({ kind: 'created-dir', path: dir })
}

/**
 * Deleting the last file of a generated folder removes the folder too
 * (destroy is the inverse of generate). Runs after everything is written, so
 * it is not part of the rollback; failing to remove a folder is harmless.
 */
function removeEmptyParents(fs: TreeFs, dir: string, root: string): void {
  try {
    while (dir.length > root.length && dir.startsWith(root) && fs.existsSync(dir) && fs.readdirSync(dir).length === 0) {
      fs.rmdirSync(dir)
      dir = dirname(dir)
    }
  } catch {
    // A folder we could not remove stays, empty.
  }
}

/** Undoes the applied steps, newest first. Returns what could not be undone. */
function rollBack(fs: TreeFs, applied: Applied[]): { path: string; error: unknown }[] {
  const failures: { path: string; error: unknown }[] = []
  for (const step of [...applied].reverse()) {
    try {
      switch (step.kind) {
        case 'created-file':
          fs.unlinkSync(step.path)
          break
        case 'created-dir':
          fs.rmdirSync(step.path)
          break
        case 'moved-aside':
          fs.renameSync(step.backup, step.path)
          break
        case 'rewritten':
          fs.writeFileSync(step.path, step.before)
          break
      }
    } catch (error) {
      failures.push({ path: step.path, error })
    }
  }
  return failures
}
