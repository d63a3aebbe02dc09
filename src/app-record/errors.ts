/**
 * Errors reading the app's record, `jobs-kit.json`. Every command after
 * `setup` (`g job`, `d job`, `diff`, `update`) reads it, so they share these.
 */
import { ScaffolderError } from '../scaffolder-error.js'

/** `jobs-kit.json` does not exist: `setup` has not run in this app. */
export class NotSetUpError extends ScaffolderError {
  constructor(detail: string) {
    super('NOT_SET_UP', `jobs-kit is not set up in this app: ${detail}`, 'Run `npx jobs-kit setup` first.')
  }
}

/** `jobs-kit.json` exists but does not have the shape `setup` writes. */
export class InvalidJobsKitJsonError extends ScaffolderError {
  constructor(readonly path: string, detail: string) {
    super(
      'INVALID_JOBS_KIT_JSON',
      `${path} is not usable: ${detail}`,
      'Fix the file by hand (see docs/jobs-kit-json.md), or restore it from version control.',
    )
  }
}
