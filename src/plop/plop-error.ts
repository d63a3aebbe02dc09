import { ScaffolderError } from '../scaffolder-error.js'
import { ConflictError } from '../tree/errors.js'

/**
 * The error plop shows for a failed action: the message and the advice of a
 * jobs-kit error in one line, with advice that fits plop (it has no
 * `--dry-run`, and `--force` reaches loaded generators only one way).
 */
export function toPlopError(error: unknown): unknown {
  if (error instanceof ConflictError) {
    return new Error(
      `jobs-kit would overwrite files that exist with other content (${error.paths.join(', ')}); nothing was written. ` +
        'Run plop again with --force to overwrite them ' +
        '(generators added with plop.load do not receive --force: load them with { force: true } as the second argument, ' +
        "or register them with `import jobsKit from 'jobs-kit/plopfile'`).",
      { cause: error },
    )
  }
  if (error instanceof ScaffolderError) return new Error(`${error.message.replace(/\.$/, '')}. ${error.advice}`, { cause: error })
  return error
}
