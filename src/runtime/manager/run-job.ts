import { InvalidConfigError } from '../errors.js'
import type { Job, JobContext } from '../types.js'
import { jobContextStorage } from './current-job.js'
import { getJobDefinition } from './job-definition.js'

/**
 * Runs a job's `perform` with `this` bound to `context`, inside the async
 * context `currentJob()` reads. Used by the worker and by `job.perform(...)`
 * (inline runs). Whatever `perform` throws is passed on unchanged.
 */
export async function runJob<TArgs extends unknown[]>(job: Job<string, TArgs>, args: TArgs, context: JobContext): Promise<void> {
  const definition = getJobDefinition<TArgs>(job)
  if (!definition) {
    throw new InvalidConfigError(
      `runJob was given something that is not a job made by jobs.createJob(...)` +
        ` (${describeValue(job)}). Export jobs created with createJob from your jobs index.`,
    )
  }
  await jobContextStorage.run(context, () => definition.perform.apply(context, args))
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`
  return typeof value
}
