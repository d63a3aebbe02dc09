import type { RunnerJobManager } from '../job-manager-shape.js'
import type { WorkerSpec } from '../worker-specs.js'

/**
 * Deletes the jobs of the workers' queues, per adapter: every job when one of
 * the adapter's workers serves `'*'`, else those of the queues its workers
 * serve. Returns how many were deleted per adapter.
 */
export async function clearJobs(jobs: RunnerJobManager, specs: WorkerSpec[]): Promise<{ adapter: string; count: number }[]> {
  const queuesByAdapter = new Map<string, '*' | Set<string>>()
  for (const { config } of specs) {
    const current = queuesByAdapter.get(config.adapter)
    if (config.queue === '*' || current === '*') {
      queuesByAdapter.set(config.adapter, '*')
    } else {
      queuesByAdapter.set(config.adapter, new Set([...(current ?? []), ...config.queue]))
    }
  }
  const results: { adapter: string; count: number }[] = []
  for (const [name, queues] of queuesByAdapter) {
    const count = await jobs.adapters[name].clear(queues === '*' ? {} : { queues: [...queues] })
    results.push({ adapter: name, count })
  }
  return results
}
