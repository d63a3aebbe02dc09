import { describe, expect, it } from 'vitest'
import { CronSchedule } from './cron-schedule.js'
import { planSlots } from './plan-slots.js'

const at = (time: string) => new Date(`2030-01-01T${time}Z`)
const every2s = await CronSchedule.parse({ name: 'tick', cron: '*/2 * * * * *', timezone: 'UTC' })
const every5min = await CronSchedule.parse({ name: 'report', cron: '*/5 * * * *', timezone: 'UTC' })
const slotsOf = (plan: ReturnType<typeof planSlots>) => plan?.enqueue.map(({ slot, backfill }) => `${slot.toISOString().slice(11, 19)}${backfill ? ' backfill' : ''}`)

describe('planSlots', () => {
  it('runs every slot that passed during a late look (a blocked event loop), not only the latest', () => {
    // The scheduler looks every second; a 7 s stall lets three slots pass. None was missed: a worker ran throughout.
    const plan = planSlots({ schedule: every2s, lastSlotAt: at('12:00:00'), now: at('12:00:07'), missed: 'skip' })
    expect(slotsOf(plan)).toEqual(['12:00:02', '12:00:04', '12:00:06'])
    expect(plan?.skipped).toBe(0)
    expect(plan?.settledUntil).toEqual(at('12:00:06'))
  })

  it('applies the missed policy only to slots older than the grace period', () => {
    // Workers down from 12:02 to 12:12: 12:05 and 12:10 are both more than 60 s old.
    const look = { schedule: every5min, lastSlotAt: at('12:00:00'), now: at('12:12:00') }
    expect(slotsOf(planSlots({ ...look, missed: 'skip' }))).toEqual([])
    expect(slotsOf(planSlots({ ...look, missed: 'once' }))).toEqual(['12:10:00 backfill'])
    expect(slotsOf(planSlots({ ...look, missed: 'all' }))).toEqual(['12:05:00 backfill', '12:10:00 backfill'])
    // Back 30 s after 12:10: that slot is on time, 12:05 was missed.
    const soon = { ...look, now: at('12:10:30') }
    expect(slotsOf(planSlots({ ...soon, missed: 'skip' }))).toEqual(['12:10:00'])
    expect(slotsOf(planSlots({ ...soon, missed: 'all' }))).toEqual(['12:05:00 backfill', '12:10:00'])
  })

  it('plans nothing when no slot came since the last one', () => {
    expect(planSlots({ schedule: every5min, lastSlotAt: at('12:00:00'), now: at('12:04:59'), missed: 'all' })).toBeUndefined()
  })
})
