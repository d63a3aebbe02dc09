import type { JobContext } from '../../../../src/runtime/types.js'
import { jobs } from '../jobs.js'
import { record } from '../record.js'

/** Throws on its first `failures` attempts, then succeeds. */
export const FlakyJob = jobs.createJob({
  queue: 'default',
  perform: async function (this: JobContext, key: string, failures: number) {
    record('attempt', key)
    if (this.attempt <= failures) throw new Error(`FlakyJob ${key} failing on purpose, attempt ${this.attempt}`)
    record('done', key)
  },
})
