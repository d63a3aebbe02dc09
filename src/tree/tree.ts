/**
 * The staged file tree every generator plans its changes on.
 *
 * Generators read and write through a `Tree`; nothing touches the disk until
 * the CLI commits the tree (all or nothing) or prints it as a dry run. The
 * backing file system is injectable, so unit tests run on memfs.
 *
 * Paths are relative to `root` and use `/` on every platform.
 */
export interface Tree {
  /** Absolute path of the app the tree is rooted at. */
  readonly root: string
  /** The file's current (staged) content, or null when it does not exist. */
  read(path: string): string | null
  exists(path: string): boolean
  /** Stages a create or an update. */
  write(path: string, content: string): void
  /** Stages a delete. */
  delete(path: string): void
  /** Names (not paths) of the entries directly inside `dir`, staged changes included. */
  children(dir: string): string[]
  /** What committing would do, in path order. */
  changes(): FileChange[]
}

export type FileChangeKind = 'create' | 'update' | 'delete'

export interface FileChange {
  path: string
  kind: FileChangeKind
  /** Content on disk before the change (null for a create). */
  before: string | null
  /** Content after the change (null for a delete). */
  after: string | null
}
