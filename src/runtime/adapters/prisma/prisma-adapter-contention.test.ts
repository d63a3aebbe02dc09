import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase, type TestProvider } from '../../../../test/support/databases.js'
import { jobsModel, readJobs, sleep } from '../../../../test/support/jobs-table.js'
import { PrismaAdapter } from './prisma-adapter.js'

const JOB_COUNT = 600
const WORKER_COUNT = 4

// `native` is the provider's own locking SQL; `compare-and-set` is the
// model-API fallback other providers get (forced here by naming a provider
// the adapter has no SQL for: the fallback only uses the Prisma model API,
// so it runs on any client). `native through pg`: the same SQL through a `pg`
// pool of the adapter's own (the `pg` option).
const cases: Array<{ provider: TestProvider; strategy: 'native' | 'native through pg' | 'compare-and-set' }> = [
  { provider: 'sqlite', strategy: 'native' },
  { provider: 'postgresql', strategy: 'native' },
  { provider: 'postgresql', strategy: 'native through pg' },
  { provider: 'mysql', strategy: 'native' },
  { provider: 'sqlite', strategy: 'compare-and-set' },
  { provider: 'postgresql', strategy: 'compare-and-set' },
  { provider: 'mysql', strategy: 'compare-and-set' },
]

describe.each(cases)('PrismaAdapter.find under contention on $provider ($strategy)', ({ provider, strategy }) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })

  it(`hands each of ${JOB_COUNT} jobs to exactly one of ${WORKER_COUNT} workers on separate connections`, async () => {
    const past = Date.now() - 60_000
    const rows = Array.from({ length: JOB_COUNT }, (_, i) => ({
      handler: JSON.stringify({ name: 'TestJob', path: 'TestJob/TestJob', args: [i] }),
      queue: i % 2 ? 'a' : 'b',
      priority: i % 5,
      runAt: new Date(past + i),
    }))
    await jobsModel(database).createMany({ data: rows })

    const workers = await Promise.all(
      Array.from({ length: WORKER_COUNT }, async (_, index) => {
        const client = await database.newClient()
        const adapter = new PrismaAdapter({
          db: client,
          model: database.model,
          provider: strategy === 'compare-and-set' ? 'sqlserver' : undefined,
          pg: strategy === 'native through pg' ? { connectionString: database.url } : undefined,
        })
        return { adapter, processName: `host-${index}:jobs-kit-worker.${index}` }
      }),
    )

    const handedOut = await Promise.all(
      workers.map(async ({ adapter, processName }) => {
        const ids: number[] = []
        // An empty result can mean "the rest is locked by others right now"
        // (MariaDB locks every row a filesorted locking read examines): poll
        // a few more times, as a worker would after its sleep, before stopping.
        for (let emptyPolls = 0; emptyPolls < 20; ) {
          const jobs = await adapter.find({ processName, staleAfterSeconds: 3600, queues: '*', limit: 7 })
          if (jobs.length === 0) {
            emptyPolls++
            await sleep(5)
            continue
          }
          emptyPolls = 0
          for (const job of jobs) {
            expect(job.lockedBy).toBe(processName)
            expect(job.attempts).toBe(1)
            ids.push(job.id)
          }
          // Finish every other batch, so finds race with deletes too.
          if (ids.length % 2 === 0) await Promise.all(jobs.map((job) => adapter.success({ job, deleteJob: true })))
        }
        return ids
      }),
    )

    const all = handedOut.flat()
    expect(all).toHaveLength(JOB_COUNT)
    expect(new Set(all).size).toBe(JOB_COUNT)
    // More than one worker got work: the test really raced.
    expect(handedOut.filter((ids) => ids.length > 0).length).toBeGreaterThan(1)
    await Promise.all(workers.map(({ adapter }) => adapter.close()))
    const left = await readJobs(database)
    expect(left.every((row) => row.attempts === 1 && row.lockedBy !== null)).toBe(true)
  })
})

const finishCases: Array<{ provider: TestProvider; queries: 'prisma' | 'pg' }> = [
  { provider: 'sqlite', queries: 'prisma' },
  { provider: 'postgresql', queries: 'prisma' },
  { provider: 'postgresql', queries: 'pg' },
  { provider: 'mysql', queries: 'prisma' },
]

describe.each(finishCases)('PrismaAdapter.successAndFind under contention on $provider (queries through $queries)', ({ provider, queries }) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })

  it(`runs each of ${JOB_COUNT} jobs once when ${WORKER_COUNT} workers finish each job and take the next in one call`, async () => {
    const past = Date.now() - 60_000
    await jobsModel(database).createMany({
      data: Array.from({ length: JOB_COUNT }, (_, i) => ({
        handler: JSON.stringify({ name: 'TestJob', path: 'TestJob/TestJob', args: [i] }),
        queue: 'default',
        priority: i % 3,
        runAt: new Date(past + i),
      })),
    })
    const handedOut = await Promise.all(
      Array.from({ length: WORKER_COUNT }, async (_, index) => {
        const adapter = new PrismaAdapter({
          db: await database.newClient(),
          model: database.model,
          pg: queries === 'pg' ? { connectionString: database.url } : undefined,
        })
        const processName = `host-${index}:jobs-kit-worker.${index}`
        const next = { processName, staleAfterSeconds: 3600, queues: '*' as const, limit: 1 }
        const ids: number[] = []
        let inHand = await adapter.find(next)
        for (let emptyPolls = 0; emptyPolls < 20; ) {
          if (inHand.length === 0) {
            emptyPolls++
            await sleep(5)
            inHand = await adapter.find(next)
            continue
          }
          emptyPolls = 0
          const [job] = inHand
          expect(job).toMatchObject({ lockedBy: processName, attempts: 1 })
          ids.push(job.id)
          inHand = await adapter.successAndFind({ jobs: [job], deleteJob: true, next })
          expect(inHand.map((found) => found.id)).not.toContain(job.id)
        }
        await adapter.close()
        return ids
      }),
    )
    const all = handedOut.flat()
    expect(all).toHaveLength(JOB_COUNT)
    expect(new Set(all).size).toBe(JOB_COUNT)
    expect(handedOut.filter((ids) => ids.length > 0).length).toBeGreaterThan(1)
    expect(await readJobs(database)).toEqual([])
  })
})
