/** `jobs-kit g job` and `d job`: plans on a staged tree, for the CLI and the plop generators. */
export { generateJob, DEFAULT_QUEUE, type GenerateJobOptions, type JobGeneratorResult } from './generate-job.js'
export { destroyJob, type DestroyJobOptions } from './destroy-job.js'
export { normalizeJobName, MAX_JOB_NAME_LENGTH } from './normalize-job-name.js'
export * from './errors.js'
