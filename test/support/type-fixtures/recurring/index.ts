export { NightlyReportJob } from './nightly-report-job.js'
export { CleanupJob } from './cleanup-job.js'
