import type { Job, JobDefinition } from '../types.js'

/**
 * Where a job keeps the definition it was created from. A symbol from the
 * global registry (`Symbol.for`), so a job made by one copy of the runtime
 * (say, the `.ts` sources) still runs in another (a `.js` build of them).
 */
export const JOB_DEFINITION = Symbol.for('jobs-kit.job-definition')

/** A job as `createJob` builds it: the public `Job` plus its definition. */
export type DefinedJob<TQueue extends string, TArgs extends unknown[]> = Job<TQueue, TArgs> & {
  readonly [JOB_DEFINITION]: JobDefinition<TQueue, TArgs>
}

/** The definition behind a job, or undefined for something `createJob` did not make. */
export function getJobDefinition<TArgs extends unknown[]>(job: unknown): JobDefinition<string, TArgs> | undefined {
  if ((typeof job !== 'object' && typeof job !== 'function') || job === null) return undefined
  const definition = (job as Partial<Record<typeof JOB_DEFINITION, unknown>>)[JOB_DEFINITION]
  if (typeof definition !== 'object' || definition === null) return undefined
  if (typeof (definition as { perform?: unknown }).perform !== 'function') return undefined
  return definition as JobDefinition<string, TArgs>
}
