/**
 * Errors `g job` and `d job` throw. Each carries a stable `code`, a message
 * that says what was wrong, and a `suggestion` that says what to do. Only the
 * CLI prints them.
 */

/** Base class of the job generator's errors. */
export class JobGeneratorError extends Error {
  readonly code: string
  readonly suggestion: string

  constructor(code: string, message: string, suggestion: string) {
    super(`${message} ${suggestion}`)
    this.name = new.target.name
    this.code = code
    this.suggestion = suggestion
  }
}

/** A job name that cannot become `<Name>Job` (not an identifier, a reserved word, a path, …). */
export class InvalidJobNameError extends JobGeneratorError {
  constructor(
    readonly input: string,
    /** Why the name was refused, e.g. `it starts with a digit`. */
    readonly reason: string,
  ) {
    super(
      'INVALID_JOB_NAME',
      `Cannot use "${input}" as a job name: ${reason}.`,
      'Use letters and digits, optionally separated by "-" or "_", starting with a letter, e.g. "SendWelcomeEmail" or "send-welcome-email".',
    )
  }
}

/** `jobs-kit.json` is missing or unreadable: `setup` has not run in this app. */
export class NotSetUpError extends JobGeneratorError {
  constructor(detail: string) {
    super('NOT_SET_UP', `jobs-kit is not set up in this app (${detail}).`, 'Run `npx jobs-kit setup` first.')
  }
}

/** A file `g job` would write already exists with different content. */
export class JobConflictError extends JobGeneratorError {
  constructor(
    readonly jobName: string,
    /** The existing files whose content differs from what would be generated. */
    readonly paths: string[],
  ) {
    super(
      'JOB_CONFLICT',
      `${jobName} already exists and differs from what \`g job\` would write: ${paths.join(', ')}.`,
      'Pick another name, run `jobs-kit d job` first, or pass --force to overwrite.',
    )
  }
}

/** `d job` was asked to remove a job that has none of the generated files. */
export class JobNotFoundError extends JobGeneratorError {
  constructor(
    readonly jobName: string,
    /** The folder that was looked in. */
    readonly folder: string,
  ) {
    super(
      'JOB_NOT_FOUND',
      `There is no job ${jobName}: ${folder} does not exist.`,
      'Check the name (`ls` the jobs folder); `d job` only removes jobs made by `g job`.',
    )
  }
}

/** A file `g job` or `d job` must edit (the jobs config or the jobs index) has a shape it cannot edit safely. */
export class UneditableFileError extends JobGeneratorError {
  constructor(readonly path: string, detail: string, suggestion: string) {
    super('UNEDITABLE_FILE', `Cannot edit ${path}: ${detail}.`, suggestion)
  }
}
