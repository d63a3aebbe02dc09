/**
 * Errors `g job` and `d job` throw. Like every scaffolder error they extend
 * `ScaffolderError`: a stable `code`, a message that says what was wrong, and
 * `advice` that says what to do. Only the CLI prints them.
 *
 * A job file that exists with other content is not an error here: it is
 * recorded on the tree as a conflict (see `writeOrConflict`), so `--dry-run`
 * can show the difference and the commit refuses it without `--force`.
 */
import { ScaffolderError } from '../../scaffolder-error.js'

/** A job name that cannot become `<Name>Job` (not an identifier, a reserved word, a path, …). */
export class InvalidJobNameError extends ScaffolderError {
  constructor(
    readonly input: string,
    /** Why the name was refused, e.g. `it starts with a digit`. */
    readonly reason: string,
  ) {
    super(
      'INVALID_JOB_NAME',
      `cannot use "${input}" as a job name: ${reason}`,
      'Use letters and digits, optionally separated by "-" or "_", starting with a letter, e.g. "SendWelcomeEmail" or "send-welcome-email".',
    )
  }
}

/** `d job` was asked to remove a job that does not exist. */
export class JobNotFoundError extends ScaffolderError {
  constructor(
    readonly jobName: string,
    /** The folder that was looked for. */
    readonly folder: string,
  ) {
    super(
      'JOB_NOT_FOUND',
      `there is no job ${jobName}: ${folder} does not exist`,
      'Check the name against the folders in your jobs folder; `d job` removes jobs made by `g job`.',
    )
  }
}

/** A file `g job` or `d job` must edit (the jobs config or the jobs index) has a shape it cannot edit safely. */
export class UneditableFileError extends ScaffolderError {
  constructor(readonly path: string, detail: string, advice: string) {
    super('UNEDITABLE_FILE', `cannot edit ${path}: ${detail}`, advice)
  }
}

/** A `--queue`, `--priority`, `--cron` or `--timezone` value `g job` cannot write into the job or the config. */
export class InvalidJobOptionError extends ScaffolderError {
  constructor(readonly option: 'queue' | 'priority' | 'cron' | 'timezone', readonly value: unknown, reason: string, example: string) {
    super('INVALID_JOB_OPTION', `--${option} ${JSON.stringify(value)} cannot be used: ${reason}`, `For example: --${option} ${example}.`)
  }
}

/** The job exists in the other language (`g job X --js` where `X.ts` was generated). */
export class JobLanguageConflictError extends ScaffolderError {
  constructor(readonly jobName: string, readonly language: 'ts' | 'js', readonly paths: string[]) {
    const other = language === 'ts' ? 'JavaScript' : 'TypeScript'
    super(
      'JOB_LANGUAGE_CONFLICT',
      `${jobName} already exists in ${other} (${paths.join(', ')})`,
      `Run again with --force to replace it, or remove it first with \`jobs-kit d job ${jobName}\`.`,
    )
  }
}

/** The jobs index already exports the name, from a module `g job` did not write. */
export class JobNameTakenError extends ScaffolderError {
  constructor(readonly jobName: string, readonly indexPath: string, readonly statement: string) {
    super(
      'JOB_NAME_TAKEN',
      `${indexPath} already exports ${jobName} from another module (\`${statement}\`)`,
      'Pick another name for the new job, or rename that export first.',
    )
  }
}

/** Options of `g job` that do not go together (`--timezone` without `--cron`). */
export class JobOptionsConflictError extends ScaffolderError {
  constructor(detail: string, advice: string) {
    super('JOB_OPTIONS_CONFLICT', detail, advice)
  }
}
