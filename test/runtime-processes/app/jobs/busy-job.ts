import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { jobs } from '../jobs.js'
import { record } from '../record.js'

/**
 * Records its start, computes for `ms` (synchronous slices of `sliceMs`,
 * yielding to the event loop between them, as CPU-bound jobs such as image
 * resizing or report building do), records its end.
 */
export const BusyJob = jobs.createJob({
  queue: 'default',
  perform: async (key: string, ms: number, sliceMs: number) => {
    record('start', key)
    const end = Date.now() + ms
    while (Date.now() < end) {
      const sliceEnd = Math.min(end, Date.now() + sliceMs)
      while (Date.now() < sliceEnd) {
        // busy: the event loop is not turning
      }
      await yieldToLoop()
    }
    record('done', key)
  },
})
