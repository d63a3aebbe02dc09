import { jobs } from '../jobs.js'
import { record } from '../record.js'

/** Records its start and never finishes, ignoring its signal: only maxRuntime gets the worker past it. */
export const StuckJob = jobs.createJob({
  queue: 'default',
  perform: async (key: string) => {
    record('start', key)
    await new Promise(() => {})
  },
})
