/** How much work a run does: the full run, or `--quick` for checking the harness. */
export interface Counts {
  throughputJobs: number
  latencyJobs: number
  enqueueOneJobs: number
  cliRuns: number
  /** pg-boss work() is too slow to drain: measure it this long. */
  pgBossWorkCapMs: number
  /** Jobs per worker process at once. */
  concurrency: number
}

export function getCounts(quick: boolean, concurrency = 1): Counts {
  return quick
    ? { throughputJobs: 2000, latencyJobs: 50, enqueueOneJobs: 300, cliRuns: 3, pgBossWorkCapMs: 3000, concurrency }
    : { throughputJobs: 20_000, latencyJobs: 500, enqueueOneJobs: 2000, cliRuns: 10, pgBossWorkCapMs: 10_000, concurrency }
}

/** Worker process counts every throughput figure is measured with. */
export const PROCESS_COUNTS = [1, 4] as const
