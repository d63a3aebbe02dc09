import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { readJobs } from '../../../test/support/jobs-table.js'
import { PrismaAdapter } from '../adapters/prisma/prisma-adapter.js'
import { JobManager } from '../manager/job-manager.js'
import { getSchedulesReport, runSchedulesCommand } from '../runner/commands/schedules.js'
import type { Logger } from '../types.js'
import { UnknownScheduleError } from './errors.js'
import { createRecurringScheduler } from './start-recurring.js'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

describe.each(TEST_PROVIDERS)('npm run jobs -- schedules / status on %s', (provider) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await database.db.backgroundJob.deleteMany()
    await database.db.backgroundJobSchedule.deleteMany()
  })

  function config() {
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: new PrismaAdapter({ db: database.db }) },
      queues: ['default'] as const,
      logger: silent,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
      recurring: [
        { job: 'ReportJob', name: 'nightly', cron: '30 2 * * *', timezone: 'Europe/Berlin', missed: 'once' },
        { job: 'ReportJob', name: 'often', cron: '*/5 * * * *' },
      ],
    })
    registry.ReportJob = jobs.createJob({ queue: 'default', perform: () => {} })
    return jobs
  }

  it('status lists each schedule with its next three runs in its time zone and its last run', async () => {
    const jobs = config()
    const now = new Date('2030-03-30T12:00:00Z')
    await runSchedulesCommand(jobs, { action: 'run', name: 'nightly' }, new Date('2030-03-29T10:00:00Z'))
    const report = await getSchedulesReport(jobs, now)
    const id = (await readJobs(database))[0]!.id
    expect(report).toContain('Recurring jobs:')
    const nightly = report!.split('\n').find((line) => line.startsWith('nightly'))!
    // Summer time starts on 31 March: 02:30 does not exist that night, the run comes at 03:00 CEST.
    expect(nightly).toContain('30 2 * * * Europe/Berlin')
    expect(nightly).toContain('2030-03-31 03:00:00 UTC+2, 2030-04-01 02:30:00 UTC+2, 2030-04-02 02:30:00 UTC+2')
    expect(nightly).toContain(`2030-03-29 11:00:00 UTC+1 (job ${id})`)
    expect(nightly).toMatch(/once$/)
    const often = report!.split('\n').find((line) => line.startsWith('often'))!
    expect(often).toContain('2030-03-30 12:05:00 UTC, 2030-03-30 12:10:00 UTC, 2030-03-30 12:15:00 UTC')
    expect(often).toMatch(/UTC +never +skip$/)
  })

  it('pause stops a schedule, resume starts it from the next slot without catching up, whatever its missed policy', async () => {
    const jobs = config()
    let now = new Date('2030-01-01T00:00:30Z')
    const scheduler = (await createRecurringScheduler(jobs, { logger: silent, now: () => now }))!
    await scheduler.sync()
    await runSchedulesCommand(jobs, { action: 'pause', name: 'nightly' }, now)
    expect(await getSchedulesReport(jobs, now)).toMatch(/nightly .* paused/)

    now = new Date('2030-01-01T01:30:05Z') // 02:30 Berlin
    const nightlyRuns = async () =>
      (await readJobs(database)).map((row) => JSON.parse(row.handler).recurring).filter((run) => run.schedule === 'nightly')
    await scheduler.check()
    expect(await nightlyRuns()).toHaveLength(0)
    now = new Date('2030-01-02T12:00:00Z')
    await runSchedulesCommand(jobs, { action: 'resume', name: 'nightly' }, now)
    await scheduler.check()
    expect(await nightlyRuns()).toHaveLength(0)
    now = new Date('2030-01-03T01:30:01Z')
    await scheduler.check()
    expect(await nightlyRuns()).toEqual([
      { schedule: 'nightly', slot: '2030-01-03T01:30:00.000Z', backfill: false, manual: false },
    ])
  })

  it('resume of a schedule that is not paused changes nothing (it used to move lastSlotAt to now and eat a slot not yet claimed)', async () => {
    const jobs = config()
    let now = new Date('2030-01-01T00:00:30Z')
    const scheduler = (await createRecurringScheduler(jobs, { logger: silent, now: () => now }))!
    await scheduler.sync()
    now = new Date('2030-01-01T00:05:00.500Z')
    expect(await runSchedulesCommand(jobs, { action: 'resume', name: 'often' }, now)).toBe('"often" is not paused; nothing changed.')
    now = new Date('2030-01-01T00:05:01Z')
    await scheduler.check()
    expect((await readJobs(database)).map((row) => JSON.parse(row.handler).recurring.slot)).toEqual(['2030-01-01T00:05:00.000Z'])
  })

  it('run enqueues one manual run now, even while paused, and leaves the slots alone', async () => {
    const jobs = config()
    const now = new Date('2030-01-01T00:00:00Z')
    await runSchedulesCommand(jobs, { action: 'pause', name: 'often' }, now)
    const line = await runSchedulesCommand(jobs, { action: 'run', name: 'often' }, new Date('2030-01-01T00:07:00Z'))
    const rows = await readJobs(database)
    expect(line).toBe(`Enqueued one run of "often" now (job ${rows[0]!.id}).`)
    expect(JSON.parse(rows[0]!.handler).recurring).toEqual({ schedule: 'often', slot: '2030-01-01T00:07:00.000Z', backfill: false, manual: true })
    const row = (await database.db.backgroundJobSchedule.findMany({ where: { name: 'often' } }))[0]
    expect(new Date(row.lastSlotAt).toISOString()).toBe('2030-01-01T00:00:00.000Z')
    expect(row.pausedAt).not.toBeNull()
  })

  it('names the schedules there are when asked for one that is not configured', async () => {
    await expect(runSchedulesCommand(config(), { action: 'pause', name: 'weekly' })).rejects.toThrow(
      new UnknownScheduleError('weekly', ['nightly', 'often']).message,
    )
  })
})
