import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js'
import { PrismaAdapter } from '../adapters/prisma/prisma-adapter.js'
import { JobManager } from '../manager/job-manager.js'
import { RecurringScheduler } from './recurring-scheduler.js'

describe('a Prisma client without the schedule model', () => {
  let database: TestDatabase
  beforeAll(async () => {
    // The `mapped` test schema has the jobs model (as `Job`) and no BackgroundJobSchedule: an app that has not re-run setup.
    database = await createTestDatabase('sqlite', { variant: 'mapped' })
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('stops the recurring scheduler (not the worker) with an error that says to run setup, migrate and generate', async () => {
    const registry: Record<string, unknown> = {}
    const adapter = new PrismaAdapter({ db: database.db, model: 'Job' })
    const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'], workers: [], jobs: () => registry, recurring: [{ job: 'TickJob', cron: '* * * * *' }] })
    registry.TickJob = jobs.createJob({ queue: 'default', perform: () => {} })
    const errors: string[] = []
    const logger = { debug() {}, info() {}, warn() {}, error: (message: string) => void errors.push(message) }
    const scheduler = await RecurringScheduler.create({ entries: jobs.recurring, adapter, db: database.db, loadJob: (name) => jobs.loadJob(name), logger })
    await scheduler.run() // returns by itself
    expect(errors).toEqual([
      expect.stringMatching(/^\[jobs-kit\] recurring jobs are not enqueued by this worker: .*no `backgroundJobSchedule` model delegate.*Run `npx jobs-kit setup` again/),
    ])
  })

describe('a schedule model whose migration was not applied', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
    await database.db.$executeRawUnsafe('DROP TABLE "BackgroundJobSchedule"')
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('says to apply the migration, and keeps trying', async () => {
    const registry: Record<string, unknown> = {}
    const adapter = new PrismaAdapter({ db: database.db, model: database.model })
    const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'], workers: [], jobs: () => registry, recurring: [{ job: 'TickJob', cron: '* * * * *' }] })
    registry.TickJob = jobs.createJob({ queue: 'default', perform: () => {} })
    const errors: string[] = []
    let scheduler: RecurringScheduler | undefined
    const logger = { debug() {}, info() {}, warn() {}, error: (message: string) => { errors.push(message); scheduler?.stop() } }
    scheduler = await RecurringScheduler.create({ entries: jobs.recurring, adapter, db: database.db, loadJob: (name) => jobs.loadJob(name), logger })
    await scheduler.run()
    expect(errors).toEqual([expect.stringMatching(/reading the schedules failed; trying again in \d+ s: .*The schedule table is missing: apply the migration/s)])
  })
})
})
