import { MAX_MISSED_SLOTS, RECURRING_GRACE_SECONDS } from '../defaults.js'
import type { CronSchedule } from './cron-schedule.js'
import type { MissedPolicy } from './recurring-entry.js'

/** A slot to enqueue a job for. */
export interface PlannedSlot {
  slot: Date
  /** A catch-up run of a missed slot. */
  backfill: boolean
}

/** What one check does for one entry: the slots to enqueue, and the slot every slot up to which is then settled. */
export interface SlotPlan {
  enqueue: PlannedSlot[]
  /** The new `lastSlotAt`: the latest slot that has come, enqueued or skipped. */
  settledUntil: Date
  /** Missed slots the policy left out (for the log). At least this many; `'all'` looks back only so far. */
  skipped: number
}

/**
 * Decides what to enqueue for the slots in `(lastSlotAt, now]`, or returns
 * undefined when no slot has come since `lastSlotAt`.
 *
 * A slot is on time when it is at most `graceSeconds` old: a worker that
 * restarts across a slot still fires it, and so does a worker whose look came
 * late (a busy event loop, a slow query) with `*\/2 * * * * *`, where several
 * slots can pass between two looks. Older slots were missed: no worker looked
 * while they were fresh. On-time slots always run; the policy decides about
 * missed ones:
 * - `skip`: none;
 * - `once`: one catch-up run, for the latest missed slot;
 * - `all`: each missed slot, oldest first, the latest `maxMissed` of them.
 *
 * Example, `*\/5 * * * *`, last slot 12:00, workers down from 12:02 to 12:12:
 * the look at 12:12 finds 12:05 and 12:10, both missed (12:10 is 120 s old):
 * skip enqueues nothing, once 12:10 as a backfill, all 12:05 and 12:10.
 */
export function planSlots(input: {
  schedule: CronSchedule
  lastSlotAt: Date
  now: Date
  missed: MissedPolicy
  graceSeconds?: number
  maxMissed?: number
}): SlotPlan | undefined {
  const graceSeconds = input.graceSeconds ?? RECURRING_GRACE_SECONDS
  const maxMissed = input.maxMissed ?? MAX_MISSED_SLOTS
  // The latest maxMissed + 1 slots: the on-time one and as many missed ones as `all` may run.
  const slots = input.schedule.latestSlotsBetween(input.lastSlotAt, input.now, maxMissed + 1)
  const latest = slots.at(-1)
  if (!latest) return undefined

  const isOnTime = (slot: Date) => input.now.getTime() - slot.getTime() <= graceSeconds * 1000
  const onTime = slots.filter(isOnTime)
  const missed = slots.filter((slot) => !isOnTime(slot))
  // Slots before the ones we looked at: missed too, and never enqueued.
  const olderMissed = slots.length === maxMissed + 1 && input.schedule.next(input.lastSlotAt)!.getTime() < slots[0]!.getTime() ? 1 : 0

  let backfills: Date[]
  if (input.missed === 'all') backfills = missed.slice(-maxMissed)
  else if (input.missed === 'once') backfills = missed.slice(-1)
  else backfills = []

  return {
    enqueue: [
      ...backfills.map((slot) => ({ slot, backfill: true })),
      ...onTime.map((slot) => ({ slot, backfill: false })),
    ],
    settledUntil: latest,
    skipped: missed.length - backfills.length + olderMissed,
  }
}
