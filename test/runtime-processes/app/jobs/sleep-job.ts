import type { JobContext } from '../../../../src/runtime/types.js'
import { jobs } from '../jobs.js'
import { record } from '../record.js'

/** Records its start, sleeps `ms` (ending early with an error when its signal aborts), records its end. */
export const SleepJob = jobs.createJob({
  queue: 'default',
  perform: async function (this: JobContext, key: string, ms: number) {
    record('start', key)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms)
      this.signal.addEventListener('abort', () => {
        clearTimeout(timer)
        reject(this.signal.reason)
      })
    })
    record('done', key)
  },
})
