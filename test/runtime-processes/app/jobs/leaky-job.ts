import { jobs } from '../jobs.js'
import { record } from '../record.js'

/** Starts a promise that rejects and is never awaited: the worker must survive it. */
export const LeakyJob = jobs.createJob({
  queue: 'default',
  perform: async (key: string) => {
    void Promise.reject(new Error(`LeakyJob ${key} leaked a rejection`))
    record('done', key)
  },
})
