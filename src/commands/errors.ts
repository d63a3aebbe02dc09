import { ScaffolderError } from '../scaffolder-error.js'

/** The command line itself is wrong (unknown command, missing argument): exit code 2. */
export class UsageError extends ScaffolderError {
  constructor(message: string) {
    super('USAGE', message, 'Run `jobs-kit --help` (or `jobs-kit <command> --help`) for the commands and their options.')
  }
}

/** The user answered no at a prompt: nothing was written. */
export class CancelledError extends ScaffolderError {
  constructor() {
    super('CANCELLED', 'cancelled; nothing was written', 'Run the command again when you are ready, or with --dry-run to see what it would do.')
  }
}
