import { JobsKitError } from '../errors.js'

/**
 * A stored job names a job the app's registry (the jobs index) does not
 * export. The worker records this as the job's `lastError` and retries with
 * backoff: the usual cause is a deploy in progress (a new job scheduled by new
 * code, picked up by a worker still running old code).
 */
export class JobNotInRegistryError extends JobsKitError {
  constructor(readonly jobName: string) {
    super(
      'JOB_NOT_IN_REGISTRY',
      `job ${jobName} is not in the registry (export it from your jobs index, e.g. ` +
        `\`export { ${jobName} } from './${jobName}/${jobName}.js'\` in jobs/index.ts, and restart the workers; ` +
        `if it was renamed or removed, export it under the old name until old jobs have run, ` +
        `or clear them with \`npm run jobs -- clear\`)`,
    )
  }
}
