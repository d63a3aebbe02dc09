import { filterWhere, matchesFilter, mayOverMatch, type JobFilter } from './job-filter.js'
import { stateWhere, type StateClock } from './job-state.js'
import type { JobsDelegate } from './job-source.js'

/** Jobs a bulk action reads and changes per round trip: small enough not to hold long locks, big enough to be quick. */
export const BULK_BATCH_SIZE = 500

/**
 * Every change the dashboard makes leaves a running job alone: the worker
 * holding it would otherwise report on a row that changed under it. The
 * condition is part of the UPDATE/DELETE itself, so a job that started
 * between the page and the click is not touched (the count says so).
 */
function notRunning(clock: StateClock): Record<string, unknown> {
  return { OR: [{ lockedAt: null }, { lockedAt: { lt: clock.staleBefore } }] }
}

/**
 * "Retry now": due at once, no longer given up, unlocked. `attempts` is kept
 * (it is the job's history), so a job that had used up its attempts gets one
 * more; if that fails too it is given up again. Only a job that is still to
 * run or has failed: one kept after success (`runAt` null) already ran, and
 * a POST to its retry URL must not run it twice.
 */
export async function retryJob(delegate: JobsDelegate, id: number, clock: StateClock): Promise<number> {
  const { count } = await delegate.updateMany({
    where: { AND: [{ id }, notRunning(clock), { OR: [{ failedAt: { not: null } }, { runAt: { not: null } }] }] },
    data: { runAt: clock.now, failedAt: null, lockedAt: null, lockedBy: null },
  })
  return count
}

export async function deleteJob(delegate: JobsDelegate, id: number, clock: StateClock): Promise<number> {
  const { count } = await delegate.deleteMany({ where: { AND: [{ id }, notRunning(clock)] } })
  return count
}

/**
 * "Retry all failed" / "delete all failed" for a filter, in batches of ids
 * walked by keyset. Idempotent: each batch's change is guarded by
 * `failedAt IS NOT NULL`, and a retried job is no longer failed, so a second
 * click (or a double submit) finds nothing left to do and changes nothing.
 */
export async function changeFailedJobs(
  delegate: JobsDelegate,
  input: { action: 'retry' | 'delete'; filter: JobFilter; clock: StateClock; provider: string },
): Promise<number> {
  const where = filterWhere({ ...input.filter, state: 'failed' }, input.clock, input.provider)
  const exact = !mayOverMatch(input.filter, input.provider)
  let changed = 0
  let afterId = 0
  for (;;) {
    const batch = await delegate.findMany({
      where: { AND: [...where, { id: { gt: afterId } }] },
      select: exact ? { id: true } : { id: true, handler: true, lastError: true },
      orderBy: { id: 'asc' },
      take: BULK_BATCH_SIZE,
    })
    if (batch.length === 0) return changed
    afterId = Number(batch[batch.length - 1]!.id)
    // Exactly the filter's jobs: SQLite's LIKE can match more (see job-filter.ts).
    const ids = (exact ? batch : batch.filter((row) => matchesFilter({ handler: row.handler, lastError: row.lastError }, input.filter))).map((row) => Number(row.id))
    if (ids.length === 0) {
      if (batch.length < BULK_BATCH_SIZE) return changed
      continue
    }
    const guard = { AND: [{ id: { in: ids } }, stateWhere('failed', input.clock)] }
    const { count } =
      input.action === 'retry'
        ? await delegate.updateMany({ where: guard, data: { runAt: input.clock.now, failedAt: null, lockedAt: null, lockedBy: null } })
        : await delegate.deleteMany({ where: guard })
    changed += count
    if (batch.length < BULK_BATCH_SIZE) return changed
  }
}
