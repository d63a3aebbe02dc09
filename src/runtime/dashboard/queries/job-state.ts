/**
 * The five states the dashboard shows, split exactly as `status` splits them
 * (adapters/prisma/status.ts), so the two never disagree:
 *
 * - running: locked, lock fresher than the stale threshold, not failed;
 * - waiting: due now and not running (unlocked, or its lock went stale);
 * - scheduled: due later and not running;
 * - failed: given up (`failedAt` set);
 * - succeeded: kept after success (`deleteSuccessfulJobs: false`, `runAt` null).
 */
export const JOB_STATES = ['waiting', 'scheduled', 'running', 'failed', 'succeeded'] as const
export type JobState = (typeof JOB_STATES)[number]

export function isJobState(value: unknown): value is JobState {
  return typeof value === 'string' && (JOB_STATES as readonly string[]).includes(value)
}

/** The clock values one request compares against. */
export interface StateClock {
  now: Date
  /** Locks older than this are stale: their job is not running any more. */
  staleBefore: Date
}

/** A Prisma `where` matching the jobs in `state`. */
export function stateWhere(state: JobState, { now, staleBefore }: StateClock): Record<string, unknown> {
  const notRunning = { OR: [{ lockedAt: null }, { lockedAt: { lt: staleBefore } }] }
  switch (state) {
    case 'running':
      return { failedAt: null, lockedAt: { gte: staleBefore } }
    case 'waiting':
      return { AND: [{ failedAt: null }, notRunning, { runAt: { lte: now } }] }
    case 'scheduled':
      return { AND: [{ failedAt: null }, notRunning, { runAt: { gt: now } }] }
    case 'failed':
      return { failedAt: { not: null } }
    case 'succeeded':
      return { AND: [{ failedAt: null }, notRunning, { runAt: null }] }
  }
}

/** The state of one row, by the same rules. */
export function stateOf(job: { failedAt: Date | null; lockedAt: Date | null; runAt: Date | null }, { now, staleBefore }: StateClock): JobState {
  if (job.failedAt) return 'failed'
  if (job.lockedAt && job.lockedAt >= staleBefore) return 'running'
  if (job.runAt === null) return 'succeeded'
  return job.runAt <= now ? 'waiting' : 'scheduled'
}
