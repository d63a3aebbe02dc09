/**
 * Errors `jobs-kit diff` and `jobs-kit update` throw. Like every scaffolder
 * error they extend `ScaffolderError`: a stable `code`, a message that says what was
 * wrong and `advice` that says what to do. Only the CLI prints them.
 *
 * A merge conflict is not an error: `update` writes it into the file with
 * conflict markers, lists it, and the command exits non-zero.
 */
import { ScaffolderError } from '../scaffolder-error.js'

/** `jobs-kit diff <file>` named a file jobs-kit does not track. */
export class NotVendoredFileError extends ScaffolderError {
  constructor(readonly path: string, readonly vendored: string[]) {
    super(
      'NOT_VENDORED',
      `${path} is not a file jobs-kit vendored into this app`,
      vendored.length === 0
        ? 'jobs-kit.json records no vendored files: run `npx jobs-kit setup`.'
        : `Name one of the files listed under "files" in jobs-kit.json (path from the app root), e.g. ${vendored[0]}, or run \`jobs-kit diff\` without a file.`,
    )
  }
}

/** The stored merge state (`.jobs-kit/merging.json`) is damaged. */
export class InvalidMergeStateError extends ScaffolderError {
  constructor(readonly path: string, detail: string) {
    super(
      'INVALID_MERGE_STATE',
      `${path} is not usable: ${detail}`,
      `Resolve the conflict markers in your files by hand, then delete ${path} and run \`jobs-kit update\` again.`,
    )
  }
}

/** `update` left (or found) conflict markers in vendored files: the update is not finished. */
export class UnresolvedConflictsError extends ScaffolderError {
  constructor(readonly paths: string[]) {
    super(
      'UNRESOLVED_CONFLICTS',
      `${paths.length === 1 ? '1 vendored file holds' : `${paths.length} vendored files hold`} conflict markers: ${paths.join(', ')}`,
      'Edit each conflict between <<<<<<< local and >>>>>>> to what you want (your lines, jobs-kit\'s, or a mix), remove the markers, then run `jobs-kit update` again to record the resolution.',
    )
  }
}

/** The installed jobs-kit is older than the one that vendored the app's files: updating would undo a release. */
export class OlderJobsKitError extends ScaffolderError {
  constructor(readonly installed: string, readonly recorded: string) {
    super(
      'OLDER_JOBS_KIT',
      `jobs-kit ${installed} is installed, but this app's vendored files come from jobs-kit ${recorded}; updating would undo that release's changes`,
      `Install jobs-kit ${recorded} or later (e.g. \`npm install -D jobs-kit@latest\`, or run \`npm install\` if your lock file already has it), then run the command again.`,
    )
  }
}
