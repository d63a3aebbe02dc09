import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { jobsModel, readJobs, sleep } from '../../../test/support/jobs-table.js'
import { PrismaAdapter } from '../adapters/prisma/prisma-adapter.js'
import type { Logger } from '../types.js'
import { JobManager } from './job-manager.js'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

describe.each(TEST_PROVIDERS)('later() on %s', (provider) => {
  let database: TestDatabase
  let adapter: PrismaAdapter

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    adapter = new PrismaAdapter({ db: database.db })
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await adapter.clear()
  })

  function setup() {
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default'] as const,
      logger: silent,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
    })
    const SignupJob = jobs.createJob({ queue: 'default', perform: (userId: number) => void userId })
    registry.SignupJob = SignupJob
    return { later: jobs.createScheduler({ adapter: 'prisma' }), SignupJob }
  }

  it('stores the job inside the caller\'s transaction: rolled back with it, committed with it', async () => {
    const { later, SignupJob } = setup()
    const failure = new Error('signup failed after scheduling')
    await expect(
      database.db.$transaction(async (tx) => {
        await later(SignupJob, [1], { db: tx })
        // Visible inside the transaction…
        expect(await jobsModel(database, tx).count()).toBe(1)
        // …until the app's work fails and the transaction rolls back.
        throw failure
      }),
    ).rejects.toBe(failure)
    expect(await readJobs(database)).toEqual([])

    const id = await database.db.$transaction(async (tx) => later(SignupJob, [2], { db: tx }))
    const rows = await readJobs(database)
    expect(rows.map((row) => row.id)).toEqual([id])
    expect(JSON.parse(rows[0].handler).args).toEqual([2])
  })

  it('does not hand out a job scheduled with wait: 2 before 2 s have passed', async () => {
    const { later, SignupJob } = setup()
    const scheduledAt = Date.now()
    const id = await later(SignupJob, [3], { wait: 2 })
    const runAt = (await readJobs(database))[0].runAt.getTime()
    expect(runAt).toBeGreaterThanOrEqual(scheduledAt + 2000)
    expect(runAt).toBeLessThan(Date.now() + 2000)
    const find = () => adapter.find({ processName: 'host:worker.0', staleAfterSeconds: 60, queues: '*' })
    expect(await find()).toEqual([])
    await sleep(Math.max(0, runAt - 200 - Date.now()))
    expect(await find()).toEqual([])
    await sleep(Math.max(0, runAt + 50 - Date.now()))
    const [job] = await find()
    expect(job.id).toBe(id)
  })

  it('refuses a runAt past the year 9999 on every database, instead of failing on MySQL, reading back an Invalid Date on PostgreSQL, or a bare Prisma error', async () => {
    const { later, SignupJob } = setup()
    await expect(later(SignupJob, [1], { wait: 1e12 })).rejects.toThrow(/wait \(1000000000000 s\) puts runAt after the year 9999/)
    await expect(later(SignupJob, [1], { wait: 1e13 })).rejects.toThrow(/puts runAt after the year 9999/)
    await expect(later(SignupJob, [1], { waitUntil: new Date('+010000-01-01T00:00:00Z') })).rejects.toThrow(/waitUntil puts runAt after the year 9999/)
    expect(await readJobs(database)).toEqual([])
    // The last instant every database stores is still accepted, and read back as it went in.
    await later(SignupJob, [1], { waitUntil: new Date('9999-12-31T23:59:59.000Z') })
    expect((await readJobs(database)).map((row) => new Date(row.runAt as Date).toISOString())).toEqual(['9999-12-31T23:59:59.000Z'])
  })

  it('a logger that throws on the "scheduled" debug line does not turn a stored job into a rejected later()', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default'] as const,
      logger: silent,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
    })
    const closed: Logger = { ...silent, debug: () => { throw new Error('log destination closed') } }
    registry.LoggedJob = jobs.createJob({ queue: 'default', logger: closed, perform: () => {} })
    const id = await jobs.createScheduler({ adapter: 'prisma' })(registry.LoggedJob as never)
    expect((await readJobs(database)).map((row) => row.id)).toEqual([id])
  })
})
