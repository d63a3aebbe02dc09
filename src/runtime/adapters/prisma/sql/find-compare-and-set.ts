import type { StoredJob } from '../../../types.js'
import { compareJobs, toStoredJobFromModel } from '../job-row.js'
import type { PrismaModelDelegate } from '../prisma-client.js'
import type { DueFilter } from './due-condition.js'

/**
 * Finds and locks due jobs through the Prisma model API, for providers the
 * adapter has no SQL for (SQL Server, CockroachDB, …).
 *
 * Reads candidates, then claims each with an `updateMany` that only matches
 * while the row is exactly as read (same `attempts`, `lockedAt`, `lockedBy`,
 * `updatedAt`): a compare-and-set. Every write to a job changes one of those,
 * so when two workers race for a job only one update matches. Losers move on
 * to the next candidate. Slower than a locking query, but correct.
 */
export async function findWithCompareAndSet(delegate: PrismaModelDelegate, filter: DueFilter, limit: number): Promise<StoredJob[]> {
  const candidates = await delegate.findMany({
    where: dueWhere(filter),
    orderBy: [{ priority: 'asc' }, { runAt: 'asc' }, { id: 'asc' }],
    // Read a few more than needed: some may be claimed by others meanwhile.
    take: limit * 3,
  })
  const claimed: number[] = []
  for (const candidate of candidates) {
    if (claimed.length >= limit) break
    const { count } = await delegate.updateMany({
      where: {
        id: candidate.id,
        attempts: candidate.attempts,
        lockedAt: candidate.lockedAt,
        lockedBy: candidate.lockedBy,
        updatedAt: candidate.updatedAt,
        failedAt: null,
      },
      data: { attempts: { increment: 1 }, lockedAt: filter.now, lockedBy: filter.processName },
    })
    if (count === 1) claimed.push(Number(candidate.id))
  }
  if (claimed.length === 0) return []
  const rows = await delegate.findMany({ where: { id: { in: claimed } } })
  return rows.map(toStoredJobFromModel).sort(compareJobs)
}

/** The same due rule as `dueCondition`, in Prisma's where syntax. */
export function dueWhere(filter: DueFilter): Record<string, unknown> {
  const unlocked: Record<string, unknown>[] = [{ lockedAt: null }, { lockedAt: { lt: filter.staleBefore } }]
  if (filter.takeBackLockedBefore) {
    unlocked.push({ lockedBy: filter.processName, lockedAt: { lt: filter.takeBackLockedBefore } })
  }
  const where: Record<string, unknown>[] = [
    { runAt: { lte: filter.now } },
    { failedAt: null },
    { OR: unlocked },
  ]
  if (filter.queues !== '*') where.push({ queue: { in: filter.queues } })
  if (filter.excludeIds?.length) where.push({ id: { notIn: filter.excludeIds } })
  return { AND: where }
}
