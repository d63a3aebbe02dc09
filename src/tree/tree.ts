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
  /**
   * Records that a generator wanted `wanted` at `path`, which exists with
   * other content. A tree with conflicts refuses to commit; `--force` makes
   * generators write instead (see `writeOrConflict`).
   */
  conflict(path: string, wanted: string): void
  /** Conflicts recorded so far, in path order. */
  conflicts(): FileConflict[]
  /** Paths a generator wrote with the content they already had, in path order. */
  skipped(): string[]
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

/** A file a generator would have overwritten without `--force`. */
export interface FileConflict {
  path: string
  /** The file's current content. */
  existing: string
  /** What the generator wanted to write. */
  wanted: string
}
