import type { RunnerJobManager } from '../job-manager-shape.js'

/**
 * Deletes jobs, as the seed's `clear` does: every job of every configured
 * adapter, whatever its queue (a queue no longer in the config included), or
 * only those of `queues` when given (`clear --queue email`). Returns how many
 * were deleted per adapter.
 */
export async function clearJobs(
  jobs: RunnerJobManager,
  { queues = '*', adapter }: { queues?: '*' | string[]; adapter?: string } = {},
): Promise<{ adapter: string; count: number }[]> {
  const names = adapter === undefined ? Object.keys(jobs.adapters) : [adapter]
  const results: { adapter: string; count: number }[] = []
  for (const name of names) {
    // `name` is a key of `adapters`, or an --adapter the CLI checked against them.
    const count = await jobs.adapters[name]!.clear(queues === '*' ? {} : { queues })
    results.push({ adapter: name, count })
  }
  return results
}
