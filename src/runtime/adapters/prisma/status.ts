import type { QueueCounts } from '../../types.js'
import type { PrismaModelDelegate } from './prisma-client.js'

/**
 * Counts jobs per queue for `status`, with five `groupBy` queries that split
 * the table without overlap:
 *
 * - running: locked, lock fresher than `staleAfterSeconds`, not failed;
 * - waiting: due now and not running (unlocked or stale lock);
 * - scheduled: due later and not running;
 * - failed: `failedAt` set;
 * - succeeded: kept after success (`deleteSuccessfulJobs: false`): not
 *   failed, not running, `runAt` null.
 */
export async function countJobsByQueue(delegate: PrismaModelDelegate, now: Date, staleAfterSeconds: number): Promise<QueueCounts[]> {
  const staleBefore = new Date(now.getTime() - staleAfterSeconds * 1000)
  const notRunning = { OR: [{ lockedAt: null }, { lockedAt: { lt: staleBefore } }] }
  const groups = {
    running: { failedAt: null, lockedAt: { gte: staleBefore } },
    waiting: { AND: [{ failedAt: null }, notRunning, { runAt: { lte: now } }] },
    scheduled: { AND: [{ failedAt: null }, notRunning, { runAt: { gt: now } }] },
    failed: { failedAt: { not: null } },
    succeeded: { AND: [{ failedAt: null }, notRunning, { runAt: null }] },
  } as const

  const counts = new Map<string, QueueCounts>()
  for (const [state, where] of Object.entries(groups) as [keyof typeof groups, unknown][]) {
    const rows = await delegate.groupBy({ by: ['queue'], where, _count: { _all: true } })
    for (const row of rows) {
      const queue = String(row.queue)
      const entry = counts.get(queue) ?? { queue, waiting: 0, scheduled: 0, running: 0, failed: 0, succeeded: 0 }
      entry[state] = Number((row._count as { _all: unknown })._all)
      counts.set(queue, entry)
    }
  }
  return [...counts.values()].sort((a, b) => a.queue.localeCompare(b.queue))
}
