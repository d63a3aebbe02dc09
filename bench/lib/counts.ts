/** How much work a run does: the full run, or `--quick` for checking the harness. */
export interface Counts {
  /** Jobs in the queue when the workers start. */
  throughputJobs: number
  /** A drain stops after this long; the rate counts the jobs done by then. */
  drainCapMs: number
  /** Jobs scheduled by the measured bulk enqueue. */
  bulkEnqueueJobs: number
  latencyJobs: number
  /** pg-boss work() starts a job every polling interval (0.5 s): fewer samples keep the run short. */
  pgBossLatencyJobs: number
  enqueueOneJobs: number
  cliRuns: number
  /** pg-boss work() is too slow to drain: measure it this long. */
  pgBossWorkCapMs: number
  /** Jobs per worker process at once. */
  concurrency: number
}

export function getCounts(quick: boolean, concurrency = 1): Counts {
  return quick
    ? { throughputJobs: 2000, drainCapMs: 5000, bulkEnqueueJobs: 1000, latencyJobs: 50, pgBossLatencyJobs: 10, enqueueOneJobs: 300, cliRuns: 3, pgBossWorkCapMs: 3000, concurrency }
    : { throughputJobs: 20_000, drainCapMs: 20_000, bulkEnqueueJobs: 5000, latencyJobs: 500, pgBossLatencyJobs: 100, enqueueOneJobs: 2000, cliRuns: 10, pgBossWorkCapMs: 10_000, concurrency }
}

/** Worker process counts every throughput figure is measured with. */
export const PROCESS_COUNTS = [1, 4] as const

/**
 * The extra drain of the PostgreSQL rows (issue 14): 4 processes running 10
 * jobs at once each, graphile-worker's README setting (`concurrency: 10`),
 * beside the concurrency-1 drains of the same run. Its metric is `throughput.4x10`.
 */
export const HIGH_CONCURRENCY_DRAIN = { processes: 4, concurrency: 10 } as const
