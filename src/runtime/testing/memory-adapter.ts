import type { AdapterCapabilities, ClearInput, ErrorInput, FindInput, JobsAdapter, QueueCounts, ScheduleInput, StoredJob } from '../types.js'
import { FULL_CAPABILITIES } from '../adapters/capabilities.js'

/**
 * A jobs adapter that keeps jobs in this process's memory, for the app's
 * tests when they should not need a database:
 *
 * ```ts
 * // from this file, not testing/index.js, whose recorder would keep every scheduled job in memory
 * import { MemoryAdapter } from './jobs-kit/testing/memory-adapter.js'
 * adapters: { prisma: process.env.NODE_ENV === 'test' ? new MemoryAdapter() : new PrismaAdapter({ db }) },
 * ```
 *
 * It follows the adapter contract (`types.ts`) in one process: due jobs by
 * priority, then `runAt`, then id; a lock is honoured until stale; success
 * deletes (or keeps with `runAt` null); a failure records `lastError`. Not
 * for production: nothing survives the process, and nothing is shared with
 * workers in other processes. `rows()` shows what is stored.
 */
export class MemoryAdapter implements JobsAdapter {
  /**
   * `transactionalEnqueue`: it accepts `db` and ignores it (nothing here can
   * roll back), so app code that schedules inside a transaction runs as is
   * in tests; it stands in for the Prisma adapter.
   */
  readonly capabilities: AdapterCapabilities = FULL_CAPABILITIES
  private readonly jobs = new Map<number, StoredJob>()
  private nextId = 1

  /** Copies of the stored jobs, by id. */
  rows(): StoredJob[] {
    return [...this.jobs.values()].map((job) => ({ ...job }))
  }

  async schedule(input: ScheduleInput): Promise<number> {
    const now = new Date()
    const id = this.nextId++
    this.jobs.set(id, {
      id,
      handler: JSON.stringify(input.handler),
      queue: input.queue,
      priority: input.priority,
      runAt: new Date(input.runAt.getTime()),
      attempts: 0,
      lockedAt: null,
      lockedBy: null,
      lastError: null,
      failedAt: null,
      createdAt: now,
      updatedAt: now,
    })
    return id
  }

  async find(input: FindInput): Promise<StoredJob[]> {
    const now = Date.now()
    const staleBefore = now - input.staleAfterSeconds * 1000
    const due = [...this.jobs.values()]
      .filter((job) => job.runAt !== null && job.runAt.getTime() <= now && job.failedAt === null)
      .filter((job) => input.queues === '*' || input.queues.includes(job.queue))
      .filter((job) => {
        if (job.lockedAt === null) return true
        if (job.lockedAt.getTime() < staleBefore) return true
        // A worker restarted under the same name takes back what it held before.
        return job.lockedBy === input.processName && input.workerStartedAt !== undefined && job.lockedAt < input.workerStartedAt
      })
      .sort((a, b) => a.priority - b.priority || a.runAt!.getTime() - b.runAt!.getTime() || a.id - b.id)
      .slice(0, input.limit ?? 1)
    for (const job of due) {
      job.lockedAt = new Date(now)
      job.lockedBy = input.processName
      job.attempts += 1
      job.updatedAt = new Date(now)
    }
    return due.map((job) => ({ ...job }))
  }

  async success({ job, deleteJob }: { job: StoredJob; deleteJob: boolean }): Promise<void> {
    const stored = this.held(job)
    if (!stored) return
    if (deleteJob) this.jobs.delete(job.id)
    else Object.assign(stored, { runAt: null, lockedAt: null, lockedBy: null, updatedAt: new Date() })
  }

  async error({ job, error, retryAt }: ErrorInput): Promise<void> {
    const stored = this.held(job)
    if (stored) Object.assign(stored, { runAt: retryAt, lockedAt: null, lockedBy: null, lastError: describe(error), updatedAt: new Date() })
  }

  async failure({ job, error, deleteJob }: { job: StoredJob; error: Error; deleteJob: boolean }): Promise<void> {
    const stored = this.held(job)
    if (!stored) return
    if (deleteJob) this.jobs.delete(job.id)
    else Object.assign(stored, { failedAt: new Date(), lockedAt: null, lockedBy: null, lastError: describe(error), updatedAt: new Date() })
  }

  async release({ jobs }: { jobs: StoredJob[] }): Promise<void> {
    for (const job of jobs) {
      const stored = this.held(job)
      if (stored) Object.assign(stored, { lockedAt: null, lockedBy: null, attempts: stored.attempts - 1 })
    }
  }

  async heartbeat({ jobs, processName }: { jobs: StoredJob[]; processName: string }): Promise<void> {
    for (const job of jobs) {
      const stored = this.jobs.get(job.id)
      if (stored?.lockedBy === processName) stored.lockedAt = new Date()
    }
  }

  async clear(input: ClearInput = {}): Promise<number> {
    let count = 0
    for (const job of [...this.jobs.values()]) {
      if (input.queues && !input.queues.includes(job.queue)) continue
      this.jobs.delete(job.id)
      count += 1
    }
    return count
  }

  async status(): Promise<QueueCounts[]> {
    const now = Date.now()
    const counts = new Map<string, QueueCounts>()
    for (const job of this.jobs.values()) {
      const entry = counts.get(job.queue) ?? { queue: job.queue, waiting: 0, scheduled: 0, running: 0, failed: 0, succeeded: 0 }
      if (job.failedAt) entry.failed += 1
      else if (job.runAt === null) entry.succeeded! += 1
      else if (job.lockedAt) entry.running += 1
      else if (job.runAt.getTime() > now) entry.scheduled += 1
      else entry.waiting += 1
      counts.set(job.queue, entry)
    }
    return [...counts.values()]
  }

  /** The stored job if `job`'s lock is still the one stored (a late report from a worker that lost it changes nothing). */
  private held(job: StoredJob): StoredJob | undefined {
    const stored = this.jobs.get(job.id)
    return stored && stored.lockedBy === job.lockedBy ? stored : undefined
  }
}

function describe(error: Error): string {
  return error.stack ?? `${error.name}: ${error.message}`
}
