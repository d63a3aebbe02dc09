import { jobs } from '../jobs.js'
import { record } from '../record.js'

/** Records that it ran: the contention tests count these lines per key. */
export const RecordJob = jobs.createJob({
  queue: 'default',
  perform: async (key: string) => {
    record('done', key)
  },
})
