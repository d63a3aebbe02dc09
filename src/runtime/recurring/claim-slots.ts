import type { PrismaClientLike } from '../adapters/prisma/prisma-client.js'
import type { ScheduleStore } from './schedule-store.js'

/**
 * Claims the slots from `expected` up to `next` for this process and
 * enqueues their jobs, in one transaction: the compare-and-set on the
 * schedule row's `lastSlotAt` and the inserts commit together or not at all.
 *
 * This is what makes each slot enqueue exactly one job, whatever the number
 * of processes and hosts: every process computes the same slots from the
 * same expression, and only the one whose `updateMany … WHERE lastSlotAt =
 * expected` matched goes on to insert. The others match no row: on
 * PostgreSQL and MariaDB their UPDATE waits for the winner's row lock and
 * then re-reads the committed row; SQLite has one writer at a time. The jobs
 * table plays no part, so deleting finished jobs (`deleteSuccessfulJobs`)
 * cannot let a slot run twice; a worker that restarts mid-slot reads the
 * settled `lastSlotAt` and does nothing.
 *
 * The same shape (a key's last claimed value, moved by compare-and-set in the
 * transaction that inserts the job) is what unique jobs need: deduplicate by
 * key instead of by slot.
 *
 * Returns the new jobs' ids, or undefined when another process won.
 */
export async function claimSlots<TSlot>(input: {
  store: ScheduleStore
  name: string
  expected: Date
  next: Date
  slots: TSlot[]
  /** When the jobs are enqueued, for `lastRunAt`. */
  now: Date
  slotTime: (slot: TSlot) => Date
  enqueue: (tx: PrismaClientLike, slot: TSlot) => Promise<number>
}): Promise<number[] | undefined> {
  const { store } = input
  const transaction = store.db.$transaction
  if (typeof transaction !== 'function') throw new Error('claimSlots needs the Prisma client itself, not a transaction client.')
  const last = input.slots.at(-1)
  return (await transaction.call(store.db, async (tx: PrismaClientLike) => {
    const scoped = store.within(tx)
    const won = await scoped.compareAndSet(input.name, input.expected, {
      lastSlotAt: input.next,
      ...(last === undefined ? {} : { lastRunSlotAt: input.slotTime(last), lastRunAt: input.now }),
    })
    if (!won) return undefined
    const ids: number[] = []
    for (const slot of input.slots) ids.push(await input.enqueue(tx, slot))
    if (ids.length > 0) await scoped.update(input.name, { lastJobId: ids.at(-1)! })
    return ids
  })) as number[] | undefined
}
