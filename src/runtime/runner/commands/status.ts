import type { JobsAdapter, QueueCounts } from '../../types.js'
import { getLockTiming } from '../../worker/stale-lock.js'
import { formatTable } from '../format-table.js'
import type { RunnerJobManager } from '../job-manager-shape.js'
import { readPidFiles, removeStalePidFile } from '../pid-files.js'
import { findRegistry } from '../../registry/find-registry.js'
import { formatAge, readRegisteredWorkers } from '../../registry/read-workers.js'
import { REGISTRY_MISSING_ADVICE } from '../../registry/worker-registry.js'

/**
 * The `status` report: the workers of every host from the worker registry
 * (alive, or dead: killed without deleting their row), the workers of this
 * machine known from pid files (stale files of dead workers are removed and
 * listed as such) and, per adapter that can count, the jobs per queue.
 *
 * An adapter that cannot count (its server down, its optional package not
 * installed) gets a line saying why, and the others are still reported: its
 * name goes into `failedAdapters`, so the command can exit 1.
 */
export async function getStatusReport(
  jobs: RunnerJobManager,
  appRoot: string,
  now: Date = new Date(),
  failedAdapters: string[] = [],
): Promise<string> {
  // Jobs whose lock is older than the workers' stale threshold are not
  // running any more (their worker died): count them as waiting, as `find` would.
  const workerRows = readPidFiles(appRoot).map((entry) => {
    if (!entry.alive) removeStalePidFile(appRoot, entry)
    return [entry.title, String(entry.pid ?? '?'), entry.alive ? 'running' : 'not running (stale pid file removed)']
  })
  const sections = [
    await describeRegisteredWorkers(jobs, now),
    workerRows.length > 0
      ? `Workers on this machine (pid files):\n${formatTable(['worker', 'pid', 'state'], workerRows)}`
      : 'No workers running on this machine (no pid files in .jobs-kit/pids).',
  ]

  for (const [name, adapter] of Object.entries(jobs.adapters)) {
    if (!adapter.status) {
      sections.push(`Adapter "${name}" cannot report job counts.`)
      continue
    }
    let counted: QueueCounts[]
    try {
      counted = await countJobs(adapter, staleAfterSeconds(jobs, name))
    } catch (error) {
      failedAdapters.push(name)
      sections.push(`Jobs (adapter "${name}"): could not count them: ${error instanceof Error ? error.message : String(error)}`)
      continue
    }
    const counts = mergeConfiguredQueues(counted, jobs.queues)
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

/** The registry's workers as a table, or what keeps them from being listed. */
async function describeRegisteredWorkers(jobs: RunnerJobManager, now: Date): Promise<string> {
  const registry = findRegistry(jobs.adapters)
  const read = await readRegisteredWorkers(registry, now)
  if (read.kind === 'missing') {
    return registry
      ? `Workers on all hosts: unknown, because this app's database has no worker registry. ${REGISTRY_MISSING_ADVICE}`
      : 'Workers on all hosts: unknown (the worker registry is kept through a PrismaAdapter, and your jobs config has none).'
  }
  if (read.kind === 'failed') return `Workers on all hosts: could not read the worker registry: ${read.message}`
  if (read.workers.length === 0) return 'Workers on all hosts: none registered.'
  const rows = read.workers.map((worker) => [
    worker.host,
    worker.name.slice(worker.name.indexOf(':') + 1),
    String(worker.pid),
    worker.queues,
    worker.jobIds.length > 0 ? worker.jobIds.join(',') : '-',
    `${formatAge(worker.heartbeatAt, now)} ago`,
    worker.alive ? 'alive' : 'dead',
  ])
  return `Workers on all hosts (registry):\n${formatTable(['host', 'worker', 'pid', 'queues', 'jobs', 'heartbeat', 'state'], rows)}`
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
