import type { JobsAdapter, QueueCounts } from '../../types.js'
import { getLockTiming } from '../../worker/stale-lock.js'
import { formatTable } from '../format-table.js'
import type { RunnerJobManager } from '../job-manager-shape.js'
import { readPidFiles, removeStalePidFile } from '../pid-files.js'

/**
 * The `status` report: workers known from pid files (stale files of dead
 * workers are removed and listed as such) and, per adapter that can count,
 * the jobs per queue.
 */
export async function getStatusReport(jobs: RunnerJobManager, appRoot: string): Promise<string> {
  // Jobs whose lock is older than the workers' stale threshold are not
  // running any more (their worker died): count them as waiting, as `find` would.
  const workerRows = readPidFiles(appRoot).map((entry) => {
    if (!entry.alive) removeStalePidFile(appRoot, entry)
    return [entry.title, String(entry.pid ?? '?'), entry.alive ? 'running' : 'not running (stale pid file removed)']
  })
  const sections = [
    workerRows.length > 0 ? formatTable(['worker', 'pid', 'state'], workerRows) : 'No workers running (no pid files in .jobs-kit/pids).',
  ]

  for (const [name, adapter] of Object.entries(jobs.adapters)) {
    if (!adapter.status) {
      sections.push(`Adapter "${name}" cannot report job counts.`)
      continue
    }
    const counts = mergeConfiguredQueues(await countJobs(adapter, staleAfterSeconds(jobs, name)), jobs.queues)
    sections.push(
      `Jobs (adapter "${name}"):\n` +
        formatTable(
          ['queue', 'waiting', 'scheduled', 'running', 'failed', 'succeeded'],
          counts.map((count) => [
            count.queue,
            String(count.waiting),
            String(count.scheduled),
            String(count.running),
            String(count.failed),
            // Only adapters that keep finished jobs count them.
            count.succeeded === undefined ? '-' : String(count.succeeded),
          ]),
        ),
    )
  }
  return sections.join('\n\n')
}

/**
 * The longest stale threshold among the adapter's workers (with heartbeats,
 * the same for all). The Prisma adapter's `status` uses it; other adapters may ignore it.
 */
function staleAfterSeconds(jobs: RunnerJobManager, adapterName: string): number | undefined {
  const adapter = jobs.adapters[adapterName]
  const thresholds = jobs.workers
    .filter((config) => config.adapter === adapterName)
    .map((config) => getLockTiming(config.maxRuntime, adapter?.heartbeat !== undefined).staleAfterSeconds)
  return thresholds.length > 0 ? Math.max(...thresholds) : undefined
}

function countJobs(adapter: JobsAdapter, staleAfterSeconds: number | undefined): Promise<QueueCounts[]> {
  return adapter.status!(staleAfterSeconds === undefined ? undefined : { staleAfterSeconds })
}

/** Every configured queue gets a row (zeros when empty), plus any other queue found in the table. */
function mergeConfiguredQueues(counts: QueueCounts[], queues: readonly string[]): QueueCounts[] {
  const byQueue = new Map(counts.map((count) => [count.queue, count]))
  const rows = queues.map((queue) => byQueue.get(queue) ?? { queue, waiting: 0, scheduled: 0, running: 0, failed: 0, succeeded: 0 })
  for (const count of counts) if (!queues.includes(count.queue)) rows.push(count)
  return rows
}
