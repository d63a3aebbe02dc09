export { FlakyJob } from './flaky-job.js'
export { RecordJob } from './record-job.js'
export { SleepJob } from './sleep-job.js'
export { StuckJob } from './stuck-job.js'
