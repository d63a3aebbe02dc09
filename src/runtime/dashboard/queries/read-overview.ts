import { JOB_STATES, stateWhere, type JobState, type StateClock } from './job-state.js'
import type { JobsDelegate } from './job-source.js'

export interface QueueOverview {
  queue: string
  counts: Record<JobState, number>
  /** `runAt` of the oldest waiting job: how long the queue has been behind. */
  oldestWaitingRunAt: Date | null
  /** Given up in the last hour. */
  failedLastHour: number
  /** Succeeded in the last hour; only jobs kept after success (`deleteSuccessfulJobs: false`) can be counted. */
  succeededLastHour: number
}

export interface WorkerSeen {
  /** `lockedBy`: host and worker name. */
  lockedBy: string
  /** The most recent lock renewal among its jobs. */
  lastHeartbeat: Date
  runningJobs: number
}

export interface Overview {
  queues: QueueOverview[]
  workers: WorkerSeen[]
}

const HOUR_MS = 3_600_000

/**
 * Everything the overview shows, in a few `groupBy` queries that each read
 * the table once (no per-queue round trips), run side by side. Queues the
 * config names appear even when empty.
 */
export async function readOverview(delegate: JobsDelegate, clock: StateClock, configuredQueues: readonly string[]): Promise<Overview> {
  const hourAgo = new Date(clock.now.getTime() - HOUR_MS)
  const byQueue = (where: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    delegate.groupBy({ by: ['queue'], where, _count: { _all: true }, ...extra })
  const [stateRows, failedRecent, succeededRecent, workerRows] = await Promise.all([
    Promise.all(JOB_STATES.map((state) => byQueue(stateWhere(state, clock), state === 'waiting' ? { _min: { runAt: true } } : {}))),
    byQueue({ failedAt: { gte: hourAgo } }),
    byQueue({ AND: [stateWhere('succeeded', clock), { updatedAt: { gte: hourAgo } }] }),
    delegate.groupBy({ by: ['lockedBy'], where: stateWhere('running', clock), _count: { _all: true }, _max: { lockedAt: true } }),
  ])

  const queues = new Map<string, QueueOverview>()
  const entry = (queue: string): QueueOverview => {
    let found = queues.get(queue)
    if (!found) {
      found = { queue, counts: { waiting: 0, scheduled: 0, running: 0, failed: 0, succeeded: 0 }, oldestWaitingRunAt: null, failedLastHour: 0, succeededLastHour: 0 }
      queues.set(queue, found)
    }
    return found
  }
  for (const queue of configuredQueues) entry(queue)
  JOB_STATES.forEach((state, index) => {
    for (const row of stateRows[index] ?? []) {
      const queue = entry(String(row.queue))
      queue.counts[state] = countOf(row)
      if (state === 'waiting') queue.oldestWaitingRunAt = toDate((row._min as { runAt?: unknown } | undefined)?.runAt)
    }
  })
  for (const row of failedRecent) entry(String(row.queue)).failedLastHour = countOf(row)
  for (const row of succeededRecent) entry(String(row.queue)).succeededLastHour = countOf(row)

  const workers = workerRows
    .map((row) => ({
      lockedBy: String(row.lockedBy),
      lastHeartbeat: toDate((row._max as { lockedAt?: unknown }).lockedAt) ?? new Date(0),
      runningJobs: countOf(row),
    }))
    .sort((a, b) => a.lockedBy.localeCompare(b.lockedBy))
  return { queues: [...queues.values()], workers }
}

function countOf(row: Record<string, unknown>): number {
  return Number((row._count as { _all: unknown })._all)
}

export function toDate(value: unknown): Date | null {
  if (value == null) return null
  if (value instanceof Date) return value
  return new Date(typeof value === 'number' || typeof value === 'bigint' ? Number(value) : String(value))
}
