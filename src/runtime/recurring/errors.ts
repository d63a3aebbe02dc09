import { JobsKitError } from '../errors.js'

/** A `recurring` entry of the jobs config that cannot be used; the message names the entry. */
export class RecurringConfigError extends JobsKitError {
  constructor(message: string) {
    super('INVALID_RECURRING_CONFIG', message)
  }
}

/** `schedules pause|resume|run <name>` named a schedule the config does not have. */
export class UnknownScheduleError extends JobsKitError {
  constructor(readonly schedule: string, readonly schedules: readonly string[]) {
    super(
      'UNKNOWN_SCHEDULE',
      `There is no recurring entry named "${schedule}" in your jobs config. ` +
        (schedules.length === 0
          ? 'The config has no `recurring` entries.'
          : `Use one of ${schedules.map((name) => `"${name}"`).join(', ')} (an entry's name is its \`name\`, else its job).`),
    )
  }
}
