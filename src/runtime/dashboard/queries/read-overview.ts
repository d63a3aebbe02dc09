import { toDate } from '../../adapters/prisma/job-row.js'
import { countByQueueForDashboard } from '../../adapters/prisma/sql/dashboard-count-by-queue.js'
import { readRegisteredWorkers } from '../../registry/read-workers.js'
import { minuteOf, REGISTRY_MISSING_ADVICE } from '../../registry/worker-registry.js'
import { JOB_STATES, stateWhere, type JobState, type StateClock } from './job-state.js'
import type { JobSource, JobsDelegate } from './job-source.js'

export interface QueueOverview {
  queue: string
  counts: Record<JobState, number>
  /** `runAt` of the oldest waiting job: how long the queue has been behind. */
  oldestWaitingRunAt: Date | null
  /** Given up in the last hour (see `readOverview`). */
  failedLastHour: number
  /** Succeeded in the last hour (see `readOverview`). */
  succeededLastHour: number
}

export interface WorkerSeen {
  /** `lockedBy` of its jobs, the registry's key: `<host>:<worker name>`. */
  lockedBy: string
  host: string
  /** The worker's name (its process title). */
  name: string
  /** Its latest sign of life: its registry heartbeat or its freshest lock, whichever is later. */
  lastHeartbeat: Date
  /** Alive: a fresh heartbeat or a fresh lock. Dead: killed without a clean stop (shown until the registry forgets it). */
  alive: boolean
  /** Ids of its jobs in hand: those it holds a fresh lock on, and those its last heartbeat named. */
  jobIds: number[]
  /** From its registry row; undefined for a worker seen only by its locks (an older runtime, or no registry). */
  registered?: { pid: number; queues: string; concurrency: number; startedAt: Date; done: number; failed: number }
}

export interface WorkersSeen {
  workers: WorkerSeen[]
  /** Why the list may lack idle workers (no registry, or it could not be read); undefined when it is complete. */
  note: string | undefined
}

export interface Overview {
  queues: QueueOverview[]
  workers: WorkersSeen
}

const HOUR_MS = 3_600_000

/** Running jobs read to attribute them to workers: more than any fleet runs at once. */
const MAX_RUNNING_READ = 5_000

/**
 * Everything the overview shows. With a SQL dialect, the counts are one
 * statement that reads the table once (sql/dashboard-count-by-queue.ts);
 * otherwise a few `groupBy` queries side by side. The workers seen come from
 * the worker registry and the running jobs' locks (`readWorkersSeen`).
 * Queues the config names appear even when empty.
 *
 * Done and failed in the last hour: the registry's per-minute counts, which
 * every worker writes whatever becomes of the rows (succeeded jobs are
 * deleted by default), summed from the start of the minute an hour ago (so
 * up to a minute more than an hour). Each figure is the larger of that and
 * what the jobs table still shows (jobs kept after success, `failedAt`
 * within the hour): workers of an older runtime, or of an app without the
 * registry, write no counts, and the table still counts theirs.
 */
export async function readOverview(source: JobSource, clock: StateClock, configuredQueues: readonly string[]): Promise<Overview> {
  const hourAgo = new Date(clock.now.getTime() - HOUR_MS)
  // Side by side, through Promise.all: a query left pending while another is
  // awaited would be an unhandled rejection when both fail (the table gone),
  // which ends the app's process.
  if (!source.sql) {
    const [queues, workers, counts] = await Promise.all([countWithModelApi(source.delegate, clock, configuredQueues), readWorkersSeen(source, clock), readCounts(source, hourAgo)])
    return { queues: withCounts(queues, counts), workers }
  }
  const [rows, workers, counts] = await Promise.all([
    countByQueueForDashboard(source.sql.run, source.sql.dialect, source.sql.table, { now: clock.now, staleBefore: clock.staleBefore, since: hourAgo }),
    readWorkersSeen(source, clock),
    readCounts(source, hourAgo),
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
  return { queues: withCounts([...queues.values()], counts), workers }
}

/** The registry's counts since the minute an hour ago; none when it is missing or cannot be read (the table's figures stand). */
async function readCounts(source: JobSource, hourAgo: Date): Promise<Map<string, { done: number; failed: number }>> {
  try {
    return await source.registry.readCountsSince(minuteOf(hourAgo))
  } catch {
    return new Map()
  }
}

/** Each queue's last-hour figures raised to the registry's counts; a queue only the counts know of gets a row. */
function withCounts(queues: QueueOverview[], counts: Map<string, { done: number; failed: number }>): QueueOverview[] {
  const byQueue = new Map(queues.map((queue) => [queue.queue, queue]))
  for (const [name, count] of counts) {
    const queue = byQueue.get(name) ?? emptyQueue(name)
    if (!byQueue.has(name)) {
      byQueue.set(name, queue)
      queues.push(queue)
    }
    queue.succeededLastHour = Math.max(queue.succeededLastHour, count.done)
    queue.failedLastHour = Math.max(queue.failedLastHour, count.failed)
  }
  return queues
}

function emptyQueue(queue: string): QueueOverview {
  return { queue, counts: { waiting: 0, scheduled: 0, running: 0, failed: 0, succeeded: 0 }, oldestWaitingRunAt: null, failedLastHour: 0, succeededLastHour: 0 }
}

/**
 * Every worker the registry knows (alive, and dead ones until it forgets
 * them), with its jobs in hand, plus any worker holding a fresh lock that is
 * not registered (an older runtime, or an app without the registry). Alive
 * first, then by name.
 */
export async function readWorkersSeen(source: JobSource, clock: StateClock): Promise<WorkersSeen> {
  // The running jobs are few (at most the workers' total concurrency), so their ids and locks are read as rows.
  const [running, registered] = await Promise.all([
    source.delegate.findMany({ where: stateWhere('running', clock), select: { id: true, lockedBy: true, lockedAt: true }, orderBy: { id: 'asc' }, take: MAX_RUNNING_READ }),
    readRegisteredWorkers(source.registry, clock.now),
  ])
  const workers = new Map<string, WorkerSeen>()
  if (registered.kind === 'workers') {
    for (const row of registered.workers) {
      const [host, name] = splitLockedBy(row.name)
      workers.set(row.name, {
        lockedBy: row.name,
        host: row.host || host,
        name,
        lastHeartbeat: row.heartbeatAt,
        alive: row.alive,
        jobIds: row.alive ? row.jobIds : [],
        registered: { pid: row.pid, queues: row.queues, concurrency: row.concurrency, startedAt: row.startedAt, done: row.done, failed: row.failed },
      })
    }
  }
  // The jobs a worker locks are its jobs in hand now; the ids its last heartbeat named (up to 15 s old) stand
  // only for a worker holding no lock in this table (its jobs are on another adapter).
  const holding = new Set<string>()
  for (const job of running) {
    const lockedBy = String(job.lockedBy)
    const lockedAt = toDate(job.lockedAt) ?? new Date(0)
    const [host, name] = splitLockedBy(lockedBy)
    const worker = workers.get(lockedBy) ?? { lockedBy, host, name, lastHeartbeat: lockedAt, alive: true, jobIds: [] }
    // A fresh lock is a sign of life too (the registry write may be failing, or its heartbeat not due yet).
    if (lockedAt > worker.lastHeartbeat) worker.lastHeartbeat = lockedAt
    if (!holding.has(lockedBy)) worker.jobIds = []
    holding.add(lockedBy)
    worker.alive = true
    worker.jobIds.push(Number(job.id))
    workers.set(lockedBy, worker)
  }
  const note =
    registered.kind === 'missing'
      ? `Idle workers are not listed: this app's database has no worker registry, so only workers holding a job are seen. ${REGISTRY_MISSING_ADVICE}`
      : registered.kind === 'failed'
        ? `The worker registry could not be read (${registered.message}); only workers holding a job are listed.`
        : undefined
  const list = [...workers.values()].sort((a, b) => Number(b.alive) - Number(a.alive) || a.lockedBy.localeCompare(b.lockedBy))
  return { workers: list, note }
}

/** `lockedBy` is `host:worker-name` (runner/worker-name.ts); older rows may lack the host. */
function splitLockedBy(lockedBy: string): [string, string] {
  const at = lockedBy.indexOf(':')
  return at < 0 ? ['', lockedBy] : [lockedBy.slice(0, at), lockedBy.slice(at + 1)]
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

