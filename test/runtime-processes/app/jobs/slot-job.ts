import type { JobContext } from '../../../../src/runtime/index.js'
import { jobs } from '../jobs.js'
import { record } from '../record.js'

/** Enqueued by the RECURRING_CRON entry: records the slot it stands for, so tests count runs per slot. */
export const SlotJob = jobs.createJob({
  queue: 'default',
  perform: async function (this: JobContext) {
    record('done', `slot:${this.recurring?.slot.toISOString() ?? 'none'}`)
  },
})
