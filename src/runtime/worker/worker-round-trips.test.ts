/**
 * Round trips per job of a worker running 10 jobs at a time, counted on the
 * real Prisma client of each database (`test/support/counting-client.ts`
 * wraps its driver adapter; every statement still runs). Successes that
 * finish while a write is in flight go together in the next write, with the
 * find for the slots they free (`success-batch.ts`): fewer than one round
 * trip per job. Recording each success on its own costs at least one per job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countingAdapter, type RoundTripCounter } from '../../../test/support/counting-client.js'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { jobsModel, readJobs } from '../../../test/support/jobs-table.js'
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { JobManager, PrismaAdapter } from '../index.js'
import type { Logger } from '../types.js'

const JOB_COUNT = 60
const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

describe.each(TEST_PROVIDERS)('a worker at concurrency 10 on %s', (provider) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('records successes in batches: fewer than one round trip per job, each job run once', async () => {
    const counter: RoundTripCounter = { count: 0, log: [] }
    const db = await database.newClient({ wrapAdapter: (adapter) => countingAdapter(adapter, counter) })
    const adapter = new PrismaAdapter({ db })
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default'] as const,
      logger: quiet,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
    })
    const ran: number[] = []
    registry.CountedJob = jobs.createJob({ queue: 'default', perform: async (n: number) => void ran.push(n) })
    const past = Date.now() - 60_000
    await jobsModel(database).createMany({
      data: Array.from({ length: JOB_COUNT }, (_, i) => ({
        handler: JSON.stringify({ name: 'CountedJob', path: 'CountedJob/CountedJob', args: [i] }),
        queue: 'default',
        priority: 50,
        runAt: new Date(past + i),
      })),
    })
    // Prisma loads its query compiler on first use; not part of what is counted.
    await db.$queryRawUnsafe('SELECT 1')
    counter.count = 0
    counter.log.length = 0

    const worker = workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger: quiet, concurrency: 10 })
    expect(await worker.run()).toBe('done')

    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: JOB_COUNT }, (_, i) => i))
    expect(await readJobs(database)).toEqual([])
    const perJob = counter.count / JOB_COUNT
    console.log(`[round trips] ${provider}: ${counter.count} for ${JOB_COUNT} jobs at concurrency 10 (${perJob.toFixed(2)} per job)`)
    expect(perJob, counter.log.join('\n')).toBeLessThan(1)
  }, 120_000)
})
