import type { PrismaClientLike } from '../adapters/prisma/prisma-client.js'
import { UnknownScheduleError } from './errors.js'
import type { RecurringScheduler } from './recurring-scheduler.js'
import type { ScheduleRow } from './schedule-store.js'

/** One schedule as `status` (and a dashboard) shows it. */
export interface ScheduleStatus {
  name: string
  job: string
  cron: string
  timezone: string
  missed: string
  /** The next three slots (none while paused). */
  nextRuns: Date[]
  /** The stored row; undefined until a worker (or a `schedules` command) first saw the entry. */
  row: ScheduleRow | undefined
  /** A row whose entry is no longer in the config (the next worker start deletes it). */
  removed: boolean
}

/** Every configured schedule with its next three runs and stored state, plus rows of removed entries. */
export async function listSchedules(scheduler: RecurringScheduler, now: Date): Promise<ScheduleStatus[]> {
  const rows = await scheduler.schedules.readAll()
  const statuses: ScheduleStatus[] = scheduler.entryNames().map((name) => {
    const prepared = scheduler.entry(name)!
    const row = rows.find((each) => each.name === name)
    const after = row && row.lastSlotAt > now ? row.lastSlotAt : now
    return {
      name,
      job: prepared.entry.job,
      cron: prepared.entry.cron,
      timezone: prepared.entry.timezone,
      missed: prepared.entry.missed,
      nextRuns: row?.pausedAt ? [] : prepared.schedule.nextSlots(after, 3),
      row,
      removed: false,
    }
  })
  for (const row of rows) {
    if (!statuses.some((status) => status.name === row.name)) {
      statuses.push({ name: row.name, job: '?', cron: row.cron, timezone: row.timezone, missed: '?', nextRuns: [], row, removed: true })
    }
  }
  return statuses
}

/** Pauses a schedule: no slot is enqueued until `resumeSchedule`. */
export async function pauseSchedule(scheduler: RecurringScheduler, name: string, now: Date): Promise<void> {
  await ensureRow(scheduler, name, now)
  await scheduler.schedules.update(name, { pausedAt: now })
}

/**
 * Resumes a paused schedule from now: the slots that passed while it was
 * paused are not missed slots (nobody wanted them), so no policy catches up on them.
 * Returns false, changing nothing, when it is not paused: moving its
 * `lastSlotAt` to now would drop a slot no worker has claimed yet, and the
 * slots its `missed` policy is to catch up on.
 */
export async function resumeSchedule(scheduler: RecurringScheduler, name: string, now: Date): Promise<boolean> {
  const row = await ensureRow(scheduler, name, now)
  if (!row.pausedAt) return false
  const lastSlotAt = row.lastSlotAt > now ? row.lastSlotAt : now
  await scheduler.schedules.update(name, { pausedAt: null, lastSlotAt })
  return true
}

/**
 * Enqueues one run of the schedule's job now (paused or not) and records it
 * as the schedule's last run, in one transaction. The slots of the schedule
 * are untouched. Returns the job's id.
 */
export async function runScheduleNow(scheduler: RecurringScheduler, name: string, now: Date): Promise<number> {
  const prepared = scheduler.entry(name)
  if (!prepared) throw new UnknownScheduleError(name, scheduler.entryNames())
  await ensureRow(scheduler, name, now)
  const db = scheduler.schedules.db
  return (await db.$transaction!(async (tx: PrismaClientLike) => {
    const id = await scheduler.enqueue(prepared, tx, { slot: now, backfill: false, manual: true })
    await scheduler.schedules.within(tx).update(name, { lastRunSlotAt: now, lastRunAt: now, lastJobId: id })
    return id
  })) as number
}

async function ensureRow(scheduler: RecurringScheduler, name: string, now: Date): Promise<ScheduleRow> {
  const prepared = scheduler.entry(name)
  if (!prepared) throw new UnknownScheduleError(name, scheduler.entryNames())
  const find = async () => (await scheduler.schedules.readAll()).find((row) => row.name === name)
  const existing = await find()
  if (existing) return existing
  await scheduler.schedules.create({ name, cron: prepared.entry.cron, timezone: prepared.entry.timezone, now })
  return (await find())!
}
