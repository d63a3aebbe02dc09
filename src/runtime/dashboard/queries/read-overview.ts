import { toDate } from '../../adapters/prisma/job-row.js'
import { countByQueueForDashboard } from '../../adapters/prisma/sql/dashboard-count-by-queue.js'
import { JOB_STATES, stateWhere, type JobState, type StateClock } from './job-state.js'
import type { JobSource, JobsDelegate } from './job-source.js'

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
 * Everything the overview shows. With a SQL dialect, the counts are one
 * statement that reads the table once (sql/dashboard-count-by-queue.ts);
 * otherwise a few `groupBy` queries side by side. The workers seen are one
 * `groupBy` over the running jobs. Queues the config names appear even when empty.
 */
export async function readOverview(source: JobSource, clock: StateClock, configuredQueues: readonly string[]): Promise<Overview> {
  const hourAgo = new Date(clock.now.getTime() - HOUR_MS)
  // Side by side, through Promise.all: a query left pending while another is
  // awaited would be an unhandled rejection when both fail (the table gone),
  // which ends the app's process.
  if (!source.sql) {
    const [queues, workers] = await Promise.all([countWithModelApi(source.delegate, clock, configuredQueues), readWorkersSeen(source.delegate, clock)])
    return { queues, workers }
  }
  const [rows, workers] = await Promise.all([
    countByQueueForDashboard(source.sql.run, source.sql.dialect, source.sql.table, { now: clock.now, staleBefore: clock.staleBefore, since: hourAgo }),
    readWorkersSeen(source.delegate, clock),
  ])
  const queues = new Map<string, QueueOverview>()
  for (const queue of configuredQueues) queues.set(queue, emptyQueue(queue))
  for (const row of rows) {
    queues.set(row.queue, {
      queue: row.queue,
      counts: { waiting: row.waiting, scheduled: row.scheduled, running: row.running, failed: row.failed, succeeded: row.succeeded },
      oldestWaitingRunAt: toDate(row.oldestWaitingRunAt),
      failedLastHour: row.failedSince,
      succeededLastHour: row.succeededSince,
    })
  }
  return { queues: [...queues.values()], workers }
}

function emptyQueue(queue: string): QueueOverview {
  return { queue, counts: { waiting: 0, scheduled: 0, running: 0, failed: 0, succeeded: 0 }, oldestWaitingRunAt: null, failedLastHour: 0, succeededLastHour: 0 }
}

/** Workers holding a fresh lock: one row per `lockedBy`. */
export async function readWorkersSeen(delegate: JobsDelegate, clock: StateClock): Promise<WorkerSeen[]> {
  const rows = await delegate.groupBy({ by: ['lockedBy'], where: stateWhere('running', clock), _count: { _all: true }, _max: { lockedAt: true } })
  return rows
    .map((row) => ({
      lockedBy: String(row.lockedBy),
      lastHeartbeat: toDate((row._max as { lockedAt?: unknown }).lockedAt) ?? new Date(0),
      runningJobs: countOf(row),
    }))
    .sort((a, b) => a.lockedBy.localeCompare(b.lockedBy))
}

/** The same counts through the model API, for providers without a SQL dialect of ours. */
async function countWithModelApi(delegate: JobsDelegate, clock: StateClock, configuredQueues: readonly string[]): Promise<QueueOverview[]> {
  const hourAgo = new Date(clock.now.getTime() - HOUR_MS)
  const byQueue = (where: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    delegate.groupBy({ by: ['queue'], where, _count: { _all: true }, ...extra })
  const [stateRows, failedRecent, succeededRecent] = await Promise.all([
    Promise.all(JOB_STATES.map((state) => byQueue(stateWhere(state, clock), state === 'waiting' ? { _min: { runAt: true } } : {}))),
    byQueue({ failedAt: { gte: hourAgo } }),
    byQueue({ AND: [stateWhere('succeeded', clock), { updatedAt: { gte: hourAgo } }] }),
  ])

  const queues = new Map<string, QueueOverview>()
  const entry = (queue: string): QueueOverview => {
    let found = queues.get(queue)
    if (!found) {
      found = emptyQueue(queue)
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
  return [...queues.values()]
}

function countOf(row: Record<string, unknown>): number {
  return Number((row._count as { _all: unknown })._all)
}

