import { jobs } from '../jobs.js'

/** Does nothing: throughput measures the queue, not the job. */
export const NoopJob = jobs.createJob({ queue: 'default', name: 'NoopJob', perform: async () => {} })

/** Tells the benchmark (the worker's parent, over IPC) that it started: pickup latency. */
export const ReportJob = jobs.createJob({
  queue: 'default',
  name: 'ReportJob',
  perform: async (key: string) => {
    process.send?.({ type: 'started', key })
  },
})
