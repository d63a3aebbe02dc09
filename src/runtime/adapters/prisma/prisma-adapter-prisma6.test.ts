import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { jobsModel, readJob, readJobs } from '../../../../test/support/jobs-table.js'
import { PrismaAdapter } from './prisma-adapter.js'

// Apps still on Prisma 6 vendor the same runtime: the adapter must detect the
// provider, read the data model and lock jobs through a 6.19 client too
// (prisma-client-js, engineType "client", @prisma/adapter-pg 6.19).
describe('PrismaAdapter with a Prisma 6.19 client on PostgreSQL', () => {
  let database: TestDatabase
  let adapter: PrismaAdapter

  beforeAll(async () => {
    database = await createTestDatabase('postgresql', { prismaVersion: 6 })
    adapter = new PrismaAdapter({ db: database.db })
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await adapter.clear()
  })

  const handler = { name: 'TestJob', path: 'TestJob/TestJob', args: [1] }

  it('detects the provider', () => {
    expect(adapter.provider).toBe('postgresql')
  })

  it('schedules, finds and locks in order, records errors and successes', async () => {
    const low = await adapter.schedule({ handler, queue: 'default', priority: 90, runAt: new Date(Date.now() - 1000) })
    const high = await adapter.schedule({ handler, queue: 'default', priority: 1, runAt: new Date() })
    await adapter.schedule({ handler, queue: 'default', priority: 1, runAt: new Date(Date.now() + 60_000) })
    const jobs = await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*', limit: 5 })
    expect(jobs.map((job) => [job.id, job.attempts, job.lockedBy])).toEqual([
      [high, 1, 'h:w'],
      [low, 1, 'h:w'],
    ])
    const retryAt = new Date(Date.now() + 3_600_000)
    await adapter.error({ job: jobs[0], error: new Error('nope'), retryAt })
    await adapter.success({ job: jobs[1], deleteJob: true })
    expect(await readJob(database, low)).toBeNull()
    const row = await readJob(database, high)
    expect(row).toMatchObject({ lockedBy: null, lockedAt: null })
    expect(row!.runAt.getTime()).toBe(retryAt.getTime())
    expect(row!.lastError).toContain('Error: nope')
    expect(await adapter.status()).toEqual([{ queue: 'default', waiting: 0, scheduled: 2, running: 0, failed: 0, succeeded: 0 }])
  })

  it('stores a job in a transaction only if it commits', async () => {
    await expect(
      database.db.$transaction(async (tx) => {
        await adapter.schedule({ handler, queue: 'default', priority: 50, runAt: new Date(), db: tx })
        throw new Error('rollback')
      }),
    ).rejects.toThrow('rollback')
    expect(await readJobs(database)).toEqual([])
  })

  it('hands each of 300 jobs to exactly one of 3 workers', async () => {
    await jobsModel(database).createMany({
      data: Array.from({ length: 300 }, (_, i) => ({ handler: JSON.stringify({ ...handler, args: [i] }), queue: 'default', runAt: new Date(Date.now() - 1000) })),
    })
    const workers = await Promise.all([0, 1, 2].map(async (index) => ({ adapter: new PrismaAdapter({ db: await database.newClient() }), name: `h:w${index}` })))
    const handedOut = await Promise.all(
      workers.map(async ({ adapter: worker, name }) => {
        const ids: number[] = []
        for (let empty = 0; empty < 10; ) {
          const jobs = await worker.find({ processName: name, staleAfterSeconds: 60, queues: '*', limit: 4 })
          if (jobs.length === 0) empty++
          else empty = 0
          ids.push(...jobs.map((job) => job.id))
        }
        return ids
      }),
    )
    const all = handedOut.flat()
    expect(all).toHaveLength(300)
    expect(new Set(all).size).toBe(300)
  })
})
