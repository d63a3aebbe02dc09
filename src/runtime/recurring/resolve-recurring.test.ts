import { describe, expect, it } from 'vitest'
import { JobManager } from '../manager/job-manager.js'
import { CronSchedule } from './cron-schedule.js'
import { RecurringConfigError } from './errors.js'
import { resolveRecurring } from './resolve-recurring.js'

const queues = ['default', 'reports']

describe('recurring entries in the jobs config', () => {
  it('fills in the defaults: name = job, UTC, no args, the job\'s queue and priority, missed skip', () => {
    expect(resolveRecurring([{ job: 'NightlyReportJob', cron: ' 0 3 * * * ' }], queues)).toEqual([
      { name: 'NightlyReportJob', job: 'NightlyReportJob', cron: '0 3 * * *', timezone: 'UTC', args: [], queue: undefined, priority: undefined, missed: 'skip' },
    ])
  })

  it('accepts a function that returns the entries (the type-checked form)', () => {
    expect(resolveRecurring(() => [{ job: 'A', cron: '* * * * *' }], queues).map((entry) => entry.name)).toEqual(['A'])
  })

  it.each([
    [{ cron: '0 3 * * *' }, 'recurring[0] in your jobs config needs `job`'],
    [{ job: 'A' }, 'The recurring entry "A" (recurring[0]) needs `cron`'],
    [{ job: 'A', cron: '* * * * *', queue: 'email' }, 'names queue "email", which is not configured. Use one of "default", "reports"'],
    [{ job: 'A', cron: '* * * * *', missed: 'never' }, 'has missed: "never". Use \'skip\', \'once\' or \'all\''],
    [{ job: 'A', cron: '* * * * *', args: 1 }, 'has `args` that is not a list'],
    [{ job: 'A', cron: '* * * * *', priority: 1.5 }, 'has a `priority` that is not a whole number'],
  ])('refuses %j naming the entry', (entry, message) => {
    expect(() => resolveRecurring([entry], queues)).toThrow(RecurringConfigError)
    expect(() => resolveRecurring([entry], queues)).toThrow(message)
  })

  it('refuses two entries with one name', () => {
    expect(() => resolveRecurring([{ job: 'A', cron: '* * * * *' }, { job: 'A', cron: '0 * * * *' }], queues)).toThrow(
      'Two recurring entries in your jobs config are named "A". Give each a unique `name`',
    )
  })

  it('refuses names that differ only in case, accents or surrounding spaces (MySQL/MariaDB would keep them in one schedule row, and one entry would never fire)', () => {
    const pair = (a: string, b: string) => () => resolveRecurring([{ job: 'A', name: a, cron: '* * * * *' }, { job: 'A', name: b, cron: '0 * * * *' }], queues)
    expect(pair('tick', 'Tick')).toThrow('The recurring entries "tick" and "Tick" in your jobs config differ only in case or accents')
    expect(pair('café', 'cafe')).toThrow(RecurringConfigError)
    expect(pair('tick', 'tock')).not.toThrow()
    expect(() => resolveRecurring([{ job: 'A', name: 'tick ', cron: '* * * * *' }], queues)).toThrow('has a `name` that starts or ends with a space')
  })

  it('is checked by new JobManager(...)', () => {
    expect(
      () =>
        new JobManager({
          adapters: { memory: { schedule: async () => 1, find: async () => [], success: async () => {}, error: async () => {}, failure: async () => {}, clear: async () => 0 } },
          queues: ['default'],
          workers: [],
          jobs: () => ({}),
          recurring: [{ job: 'A', cron: '* * * * *', missed: 'sometimes' as 'skip' }],
        }),
    ).toThrow('The recurring entry "A" (recurring[0]) has missed: "sometimes"')
  })
})

describe('cron expressions and time zones', () => {
  it('reads 5 fields, and 6 with seconds first', async () => {
    const five = await CronSchedule.parse({ name: 'a', cron: '30 2 * * *', timezone: 'Europe/Berlin' })
    expect(five.next(new Date('2030-07-01T00:00:00Z'))!.toISOString()).toBe('2030-07-01T00:30:00.000Z')
    const six = await CronSchedule.parse({ name: 'b', cron: '*/2 * * * * *', timezone: 'UTC' })
    expect(six.nextSlots(new Date('2030-01-01T00:00:00.500Z'), 3).map((slot) => slot.toISOString())).toEqual([
      '2030-01-01T00:00:02.000Z',
      '2030-01-01T00:00:04.000Z',
      '2030-01-01T00:00:06.000Z',
    ])
    const yearly = await CronSchedule.parse({ name: 'c', cron: '@yearly', timezone: 'UTC' })
    expect(yearly.next(new Date('2030-06-01T00:00:00Z'))!.toISOString()).toBe('2031-01-01T00:00:00.000Z')
    const leap = await CronSchedule.parse({ name: 'd', cron: '0 0 29 2 *', timezone: 'UTC' })
    expect(leap.next(new Date('2030-03-01T00:00:00Z'))!.toISOString()).toBe('2032-02-29T00:00:00.000Z')
  })

  it.each([
    ['61 * * * *', 'UTC', 'The recurring entry "nightly" in your jobs config: cron "61 * * * *" is not valid: use 5 fields'],
    ['* * * *', 'UTC', 'cron "* * * *" is not valid'],
    ['0 0 0 * * * 2030', 'UTC', 'cron "0 0 0 * * * 2030" is not valid'],
    ['0 3 * * *', 'Europe/Atlantis', 'time zone "Europe/Atlantis" is not an IANA time zone'],
    ['0 0 31 2 *', 'UTC', 'The recurring entry "nightly" in your jobs config: cron "0 0 31 2 *" matches no date, so it would never fire'],
  ])('refuses cron %j in %s with a message naming the entry', async (cron, timezone, message) => {
    await expect(CronSchedule.parse({ name: 'nightly', cron, timezone })).rejects.toThrow(message)
  })
})
