/** The benchmark app's jobs index (what `g job` maintains in an app). */
export { NoopJob, ReportJob } from './bench-jobs.js'
export { ChaosJob } from './chaos-job.js'
