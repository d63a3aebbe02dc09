/**
 * The testing helpers for the app's own tests: expectScheduled /
 * expectNotScheduled / runScheduled, in both job styles, against a real
 * database (SQLite, PostgreSQL, MariaDB) and against the MemoryAdapter, which
 * is also run through the real worker here.
 */
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { JobManager, PrismaAdapter, RedwoodJob } from '../index.js'
import type { JobContext, JobFailure, JobsAdapter } from '../types.js'
import {
  clearScheduled,
  expectNotScheduled,
  expectScheduled,
  MemoryAdapter,
  runScheduled,
  scheduledJobs,
  ScheduledJobAssertionError,
} from './index.js'

const ran: string[] = []

class ReceiptJob extends RedwoodJob {
  static queue = 'email'
  perform(orderId: number, sentAt: string) {
    ran.push(`receipt ${orderId} ${typeof sentAt}`)
  }
  afterSuccess(orderId: number) {
    ran.push(`receipt ${orderId} afterSuccess`)
  }
}

function makeApp(adapter: JobsAdapter) {
  const registry: Record<string, unknown> = {}
  const jobs = new JobManager({
    adapters: { main: adapter },
    queues: ['default', 'email'] as const,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    hooks: {
      afterFailure(this: JobContext, failure: JobFailure) {
        ran.push(`config afterFailure ${this.name}: ${failure.error.message}`)
      },
    },
    workers: [{ adapter: 'main', queue: '*' }],
    jobs: () => registry,
  })
  const later = jobs.createScheduler({ adapter: 'main' })
  const SendWelcomeEmailJob = jobs.createJob({
    queue: 'email',
    perform: async (userId: number) => {
      ran.push(`welcome ${userId}`)
      if (userId === 13) throw new Error('unlucky user')
      // A job that schedules another: runScheduled runs it in the next round.
      await ReceiptJob.performLater(userId * 10, new Date(0) as unknown as string)
    },
  })
  const CleanupJob = jobs.createJob({ queue: 'default', perform: () => void ran.push('cleanup') })
  Object.assign(registry, { SendWelcomeEmailJob, CleanupJob, ReceiptJob })
  RedwoodJob.config({ adapter, logger: jobs.logger })
  // The app's service under test.
  const createUser = async (id: number) => {
    await later(SendWelcomeEmailJob, [id], { wait: 300 })
    return { id }
  }
  return { jobs, later, SendWelcomeEmailJob, CleanupJob, createUser }
}

const backends: Array<[string, () => Promise<{ adapter: JobsAdapter; stored: () => Promise<number>; drop: () => Promise<void> }>]> = [
  ...TEST_PROVIDERS.map((provider) => [
    provider,
    async () => {
      const database: TestDatabase = await createTestDatabase(provider)
      return {
        adapter: new PrismaAdapter({ db: database.db }),
        stored: () => database.db.backgroundJob.count(),
        drop: () => database.drop(),
      }
    },
  ] as [string, () => Promise<{ adapter: JobsAdapter; stored: () => Promise<number>; drop: () => Promise<void> }>]),
  [
    'memory',
    async () => {
      const adapter = new MemoryAdapter()
      return { adapter, stored: async () => adapter.rows().length, drop: async () => {} }
    },
  ],
]

describe.each(backends)('testing helpers on %s', (_name, open) => {
  let backend: Awaited<ReturnType<typeof open>>

  beforeAll(async () => {
    backend = await open()
  })
  afterAll(async () => {
    RedwoodJob.config({})
    await backend?.drop()
  })
  beforeEach(async () => {
    await backend.adapter.clear()
    clearScheduled()
    ran.length = 0
  })

  it('expectScheduled finds a job the service scheduled, by arguments and options, and the row is really stored', async () => {
    const { createUser, SendWelcomeEmailJob, CleanupJob } = makeApp(backend.adapter)
    const user = await createUser(42)
    const record = expectScheduled(SendWelcomeEmailJob, [user.id], { wait: 300, queue: 'email', priority: 50 })
    expect(record).toMatchObject({ name: 'SendWelcomeEmailJob', args: [42], queue: 'email', ran: false })
    expect(await backend.stored()).toBe(1)
    expectScheduled(SendWelcomeEmailJob)
    expectNotScheduled(CleanupJob)
    expectNotScheduled(SendWelcomeEmailJob, [43])
    expect(() => expectScheduled(SendWelcomeEmailJob, [43])).toThrow(ScheduledJobAssertionError)
    expect(() => expectScheduled(SendWelcomeEmailJob, [42], { wait: 60 })).toThrow(
      /Expected SendWelcomeEmailJob with \[42\], \{"wait":60\} to be scheduled, but it was not\. Scheduled: SendWelcomeEmailJob \[42\] \(queue email, priority 50, runAt /,
    )
    expect(() => expectNotScheduled(SendWelcomeEmailJob, [42])).toThrow('not to be scheduled, but it was 1 time(s)')
  })

  it('works for class-style jobs, scheduled on the class or an instance, comparing args as the worker receives them', async () => {
    makeApp(backend.adapter)
    const when = new Date('2030-01-01T00:00:00Z')
    await ReceiptJob.set({ priority: 3 }).performLater(7, when as unknown as string)
    expectScheduled(ReceiptJob, [7, '2030-01-01T00:00:00.000Z'], { priority: 3, queue: 'email' })
    expectScheduled(new ReceiptJob(), [7, '2030-01-01T00:00:00.000Z'])
    expect(() => expectScheduled(ReceiptJob, [8, 'x'])).toThrow(ScheduledJobAssertionError)
  })

  it('runScheduled runs what was scheduled inline, with hooks, then what those jobs scheduled', async () => {
    const { createUser, later, CleanupJob, jobs } = makeApp(backend.adapter)
    await createUser(1)
    await later(CleanupJob, [], { priority: 1 })
    const runs = await runScheduled({ jobs })
    expect(ran).toEqual(['cleanup', 'welcome 1', 'receipt 10 string', 'receipt 10 afterSuccess'])
    expect(runs.map((run) => [run.job.name, run.error])).toEqual([
      ['CleanupJob', undefined],
      ['SendWelcomeEmailJob', undefined],
      ['ReceiptJob', undefined],
    ])
    expect(scheduledJobs().every((job) => job.ran)).toBe(true)
    // Nothing left to run.
    expect(await runScheduled()).toEqual([])
  })

  it('runScheduled reports a failing job (after its afterFailure hooks) and throws unless told not to', async () => {
    const { createUser, jobs } = makeApp(backend.adapter)
    await createUser(13)
    await expect(runScheduled({ jobs })).rejects.toThrow(/runScheduled: 1 of 1 job\(s\) failed: SendWelcomeEmailJob \(id \d+\): unlucky user/)
    expect(ran).toEqual(['welcome 13', 'config afterFailure SendWelcomeEmailJob: unlucky user'])
    await createUser(13)
    const runs = await runScheduled({ jobs, throwOnFailure: false })
    expect(runs[0]!.error?.message).toBe('unlucky user')
  })
})

describe('runScheduled and a job that schedules itself', () => {
  it('stops after maxRounds and says which jobs were left, instead of passing with work never run', async () => {
    const adapter = new MemoryAdapter()
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({ adapters: { main: adapter }, queues: ['default'], logger: { debug() {}, info() {}, warn() {}, error() {} }, workers: [], jobs: () => registry })
    const later = jobs.createScheduler({ adapter: 'main' })
    let runs = 0
    const PollJob = jobs.createJob({ queue: 'default', perform: async () => void (runs++, await later(PollJob, [])) })
    registry.PollJob = PollJob
    clearScheduled()
    await later(PollJob, [])
    await expect(runScheduled({ maxRounds: 3 })).rejects.toThrow(/stopped after 3 rounds with 1 job\(s\) still scheduled \(PollJob\)/)
    expect(runs).toBe(3)
    clearScheduled()
  })
})

describe('MemoryAdapter under the real worker', () => {
  it('runs, retries and gives up jobs like the Prisma adapter', async () => {
    const adapter = new MemoryAdapter()
    const { jobs, later, CleanupJob } = makeApp(adapter)
    ran.length = 0
    await later(CleanupJob)
    await adapter.schedule({ handler: { name: 'CleanupJob', path: '', args: [] }, queue: 'default', priority: 50, runAt: new Date(Date.now() + 60_000) })
    const welcome = await adapter.schedule({ handler: { name: 'SendWelcomeEmailJob', path: '', args: [13] }, queue: 'email', priority: 50, runAt: new Date() })
    const work = () =>
      workoffWorker({
        adapter,
        loadJob: (name) => jobs.loadJob(name),
        logger: jobs.logger,
        hooks: jobs.hooks,
        maxAttempts: 1,
        concurrency: 2,
      }).run()
    expect(await work()).toBe('done')
    expect(ran).toEqual(expect.arrayContaining(['cleanup', 'welcome 13', 'config afterFailure SendWelcomeEmailJob: unlucky user']))
    const rows = adapter.rows()
    expect(rows.find((row) => row.id === welcome)).toMatchObject({ attempts: 1, lockedBy: null })
    expect(rows.find((row) => row.id === welcome)!.failedAt).toBeInstanceOf(Date)
    expect(rows.find((row) => row.id === welcome)!.lastError).toContain('unlucky user')
    // The future job waits; the due cleanup is gone.
    expect(rows.filter((row) => row.queue === 'default')).toHaveLength(1)
    expect(await adapter.status()).toEqual(
      expect.arrayContaining([expect.objectContaining({ queue: 'default', scheduled: 1 }), expect.objectContaining({ queue: 'email', failed: 1 })]),
    )
  })
})
