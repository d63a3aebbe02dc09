/**
 * Errors raised while planning or committing a staged tree. Each carries
 * `advice`: the CLI prints the message, then the advice, and nothing else.
 */
import { ScaffolderError } from '../scaffolder-error.js'

/** A path that is absolute or climbs out of the app with `..`. */
export class PathOutsideTreeError extends ScaffolderError {
  constructor(readonly path: string, readonly root: string) {
    super(
      'PATH_OUTSIDE_TREE',
      `"${path}" is outside the app at ${root}`,
      'Generators may only write inside the app: use a path relative to its root, without "..".',
    )
  }
}

/** Files a generator wanted to write that already exist with other content. */
export class ConflictError extends ScaffolderError {
  constructor(readonly paths: string[], advice?: string) {
    super(
      'CONFLICT',
      `${paths.length === 1 ? 'a file already exists' : `${paths.length} files already exist`} with different content: ${paths.join(', ')}`,
      advice ?? 'Run again with --dry-run to see the differences, then with --force to overwrite them (your version control can bring them back).',
    )
  }
}

/** A file changed on disk between planning and committing. */
export class ChangedOnDiskError extends ScaffolderError {
  constructor(readonly path: string) {
    super(
      'CHANGED_ON_DISK',
      `${path} changed on disk while jobs-kit was planning its changes; nothing was written`,
      'Run the command again.',
    )
  }
}

/** A write failed midway through a commit; every file touched was put back. */
export class CommitError extends ScaffolderError {
  constructor(
    readonly path: string,
    cause: unknown,
    readonly rollbackFailures: { path: string; error: unknown }[],
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    const restored = rollbackFailures.length === 0
      ? 'every file already written was restored, so the app is as it was'
      : `restoring failed for ${rollbackFailures.map((f) => f.path).join(', ')}: check those files by hand`
    super(
      'COMMIT_FAILED',
      `could not write ${path} (${reason}); ${restored}`,
      'Fix the cause (permissions, disk space, a file held open) and run the command again.',
      { cause },
    )
  }
}
