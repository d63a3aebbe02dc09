import { existsSync } from 'node:fs'

export { BusyJob } from './busy-job.js'
export { FlakyJob } from './flaky-job.js'
export { LeakyJob } from './leaky-job.js'
export { RecordJob } from './record-job.js'
export { SleepJob } from './sleep-job.js'
export { StuckJob } from './stuck-job.js'
export { SlotJob } from './slot-job.js'

// JOBS_INDEX_NEEDS_FILE: the index throws while it loads unless that file exists, as an app's index does that
// reads an env var not set yet at that moment.
const needed = process.env.JOBS_INDEX_NEEDS_FILE
if (needed && !existsSync(needed)) throw new Error(`the jobs index needs ${needed}, which is missing`)
