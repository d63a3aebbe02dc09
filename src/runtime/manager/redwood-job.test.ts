/**
 * Class-style jobs (`RedwoodJob`) on real SQLite, PostgreSQL and MariaDB
 * databases: the seed's "Job Configuration" and "Job Scheduling" samples, with
 * only their imports changed (and the seed's syntax slips fixed: see each
 * sample's comment), scheduled for real and run by the real worker.
 */
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import {
  InvalidScheduleOptionsError,
  JobManager,
  JobNotRegisteredError,
  MissingAdapterError,
  PrismaAdapter,
  ReadOnlyJobPropertyError,
  RedwoodJob,
  UnknownQueueError,
  UnserializableArgumentError,
} from '../index.js'
import type { JobFailure, Logger } from '../types.js'

/** What the jobs did, in order. */
const done: string[] = []

function recordingLogger(lines: string[] = []): Logger & { lines: string[] } {
  const push = (level: string) => (...args: unknown[]) => void lines.push(`${level} ${args.map(String).join(' ')}`)
  return { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error'), lines }
}

// `logger` of the seed's `import { logger } from 'src/lib/logger'`, and its `emailLogger()`.
const logger = recordingLogger()
const emailLogger = () => recordingLogger()

// The seed's jobs (Job Scheduling section), with perform bodies that record what they did.
class SendWelcomeEmailJob extends RedwoodJob {
  async perform(userId?: number) {
    this.logger.info(`welcome ${userId}`)
    done.push(`welcome ${userId}`)
  }
}
class ProductBackorderJob extends RedwoodJob {
  perform() {
    done.push('backorder')
  }
}
class InventoryReportGenJob extends RedwoodJob {
  perform() {
    done.push('inventory')
  }
}
class AnnualReportGenerationJob extends RedwoodJob {
  static queue = 'reports'
  perform() {
    done.push(`annual report on ${this.context?.name} attempt ${this.context?.attempt}`)
  }
}
class HookedClassJob extends RedwoodJob {
  private steps: string[] = []
  beforePerform(id: number) {
    this.steps.push(`before ${id}`)
  }
  perform(id: number) {
    this.steps.push(`perform ${id}`)
    if (id < 0) throw new Error('negative id')
  }
  afterPerform(id: number) {
    this.steps.push(`after ${id}`)
  }
  afterSuccess(id: number) {
    done.push(`success: ${this.steps.join(', ')} (${id})`)
  }
  afterFailure(failure: JobFailure, id: number) {
    done.push(`failure: ${this.steps.join(', ')} (${id}): ${failure.error.message}, retry ${failure.willRetry}`)
  }
}

describe.each(TEST_PROVIDERS)('RedwoodJob on %s', (provider) => {
  let database: TestDatabase
  let db: TestDatabase['db']
  let adapter: PrismaAdapter

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    db = database.db
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await db.backgroundJob.deleteMany({})
    done.length = 0
    logger.lines.length = 0
    // ---- The seed's "Job Configuration" (api/src/lib/jobs.js) ----
    adapter = new PrismaAdapter({ db, logger })
    RedwoodJob.config({ adapter, logger })
  })
  afterEach(() => {
    RedwoodJob.config({})
  })

  const rows = (): Promise<Array<{ id: number; handler: string; queue: string; priority: number; runAt: Date | null; attempts: number; failedAt: Date | null }>> =>
    db.backgroundJob.findMany({ orderBy: { id: 'asc' } })
  const handlers = async () => (await rows()).map((row) => JSON.parse(row.handler) as { name: string; args: unknown[] })

  /** The app's JobManager, whose jobs index exports the classes, and a worker that works everything off. */
  function manager() {
    const registry = { SendWelcomeEmailJob, ProductBackorderJob, InventoryReportGenJob, AnnualReportGenerationJob, HookedClassJob, EmailJob: undefined as unknown }
    const jobs = new JobManager({
      adapters: { adapter },
      queues: ['default', 'email', 'reports'] as const,
      logger,
      workers: [{ adapter: 'adapter', queue: '*' }],
      jobs: () => registry,
    })
    return { jobs, registry }
  }
  async function workOff(jobs: ReturnType<typeof manager>['jobs'], workerAdapter = adapter, maxAttempts = 3) {
    const worker = workoffWorker({
      adapter: workerAdapter,
      loadJob: (name) => jobs.loadJob(name),
      logger: jobs.logger,
      hooks: jobs.hooks,
      maxAttempts,
    })
    return worker.run()
  }

  it('seed "Exporting jobs": instances in one `jobs` object, scheduled from a service, run by the worker', async () => {
    // api/src/lib/jobs.js
    const jobs = {
      sendWelcomeEmailJob: new SendWelcomeEmailJob(),
      productBackorderJob: new ProductBackorderJob(),
      inventoryReportGenJob: new InventoryReportGenJob(),
    }
    // api/src/services/products/products.js
    const updateProduct = async ({ id }: { id: number; input: object }) => {
      const product = { id }
      await jobs.productBackorderJob.performLater()
      return product
    }
    await updateProduct({ id: 1, input: {} })
    // "It is possible to skip this export altogether and import and schedule individual jobs manually"
    await ProductBackorderJob.performLater()

    const [row] = await rows()
    expect(row).toMatchObject({ queue: 'default', priority: 50, attempts: 0 })
    expect(await handlers()).toEqual([
      { name: 'ProductBackorderJob', path: 'ProductBackorderJob/ProductBackorderJob', args: [] },
      { name: 'ProductBackorderJob', path: 'ProductBackorderJob/ProductBackorderJob', args: [] },
    ])
    expect(await workOff(manager().jobs)).toBe('done')
    expect(done).toEqual(['backorder', 'backorder'])
    expect(await rows()).toEqual([])
  })

  it('seed per-job "Job Configuration": static adapter, logger, queue and priority override RedwoodJob.config', async () => {
    const other = await createTestDatabase(provider)
    try {
      const jobLogger = emailLogger()
      // The seed writes `export const class …`, `static priority = '1'` and `perform(userId) => {`: fixed to valid code.
      class EmailJob extends RedwoodJob {
        static adapter = new PrismaAdapter({ db: other.db })
        static logger = jobLogger
        static queue = 'email'
        static priority = 1

        perform(userId: number) {
          this.logger.info(`sending to ${userId}`)
        }
      }
      const id = await EmailJob.performLater(7)
      expect(await rows()).toEqual([])
      const [row] = await other.db.backgroundJob.findMany()
      expect(row).toMatchObject({ id, queue: 'email', priority: 1 })
      expect(new EmailJob().adapter).toBe(EmailJob.adapter)
      expect(new EmailJob().logger).toBe(jobLogger)
      expect(new SendWelcomeEmailJob().adapter).toBe(adapter)
      expect(new SendWelcomeEmailJob().logger).toBe(logger)

      const { jobs, registry } = manager()
      registry.EmailJob = EmailJob
      expect(await workOff(jobs, EmailJob.adapter)).toBe('done')
      expect(jobLogger.lines).toContain('info sending to 7')
      expect(await other.db.backgroundJob.count()).toBe(0)
    } finally {
      await other.drop()
    }
  })

  it('seed "Instance Invocation": new, set, options at creation, set merging, set apart from scheduling', async () => {
    const before = Date.now()
    {
      const job = new SendWelcomeEmailJob()
      await job.set({ wait: 300 }).performLater()
    }
    // api/src/lib/jobs.js + api/src/services/users/users.js
    const jobs = { sendWelcomeEmail: new SendWelcomeEmailJob({ wait: 300 }) }
    const createUser = async ({ input }: { input: { id: number } }) => {
      const user = input
      await jobs.sendWelcomeEmail.performLater(user.id)
      return user
    }
    await createUser({ input: { id: 1 } })
    // set() merges with the options given at creation: a one-off override.
    const createUserLater = async ({ input }: { input: { id: number } }) => {
      const user = input
      await jobs.sendWelcomeEmail.set({ wait: 3600 }).performLater(user.id) // 1 hour
      return user
    }
    await createUserLater({ input: { id: 2 } })
    {
      const job = new SendWelcomeEmailJob()
      job.set({ wait: 300 })
      // do something else...
      await job.performLater()
    }
    const waits = (await rows()).map((row) => Math.round((row.runAt!.getTime() - before) / 1000))
    expect(waits).toEqual([300, 300, 3600, 300])
    expect((await handlers()).map((handler) => handler.args)).toEqual([[], [1], [2], []])
  })

  it('seed "Instance Invocation" inspection: adapter, logger, queue, priority, wait, waitUntil, computed runAt; assignments refused', () => {
    const job = new SendWelcomeEmailJob()
    // set by RedwoodJob.config or static properties
    expect(job.adapter).toBe(adapter)
    expect(job.logger).toBe(logger)
    // set via `set()` or provided during job instantiation
    expect(job.queue).toBe('default')
    expect(job.priority).toBe(50)
    expect(job.wait).toBeUndefined()
    expect(job.waitUntil).toBeNull()
    job.set({ wait: 300 })
    expect(job.wait).toBe(300)
    // computed internally
    expect(Math.abs(job.runAt.getTime() - (Date.now() + 300_000))).toBeLessThan(1000)
    const when = new Date(3000, 0, 1)
    job.set({ waitUntil: when, queue: 'email', priority: 3 })
    expect([job.wait, job.waitUntil, job.runAt, job.queue, job.priority]).toEqual([undefined, when, when, 'email', 3])

    for (const property of ['adapter', 'logger', 'queue', 'priority', 'wait', 'waitUntil', 'runAt'] as const) {
      expect(() => {
        ;(job as unknown as Record<string, unknown>)[property] = 1
      }).toThrow(ReadOnlyJobPropertyError)
    }
    expect(() => ((job as unknown as { runAt: Date }).runAt = new Date())).toThrow(
      'SendWelcomeEmailJob: runAt cannot be set; it is computed from wait or waitUntil. Use job.set({ waitUntil: new Date(…) })',
    )
    expect(() => ((job as unknown as { queue: string }).queue = 'x')).toThrow("SendWelcomeEmailJob: queue cannot be set directly. Use job.set({ queue: … })")
    expect(() => job.set({ runAt: new Date() } as never)).toThrow(ReadOnlyJobPropertyError)
    expect(job.queue).toBe('email')
  })

  it('seed "Class Invocation": performLater and set({ waitUntil }).performLater on the class', async () => {
    await AnnualReportGenerationJob.performLater()
    await AnnualReportGenerationJob.set({
      waitUntil: new Date(2025, 0, 1),
    }).performLater()
    const stored = await rows()
    expect(stored.map((row) => row.queue)).toEqual(['reports', 'reports'])
    expect(stored[1]!.runAt).toEqual(new Date(2025, 0, 1))
    expect(await workOff(manager().jobs)).toBe('done')
    expect(done).toEqual(['annual report on AnnualReportGenerationJob attempt 1', 'annual report on AnnualReportGenerationJob attempt 1'])
  })

  it('"Scheduling Options": queue and priority in set() override the static ones', async () => {
    await AnnualReportGenerationJob.set({ queue: 'default', priority: 7 }).performLater()
    expect(await rows()).toMatchObject([{ queue: 'default', priority: 7 }])
  })

  it('performNow runs inline with the job logger and no row', async () => {
    await SendWelcomeEmailJob.performNow(5)
    await new SendWelcomeEmailJob().performNow(6)
    expect(done).toEqual(['welcome 5', 'welcome 6'])
    expect(logger.lines).toContain('info welcome 5')
    expect(await rows()).toEqual([])
  })

  it('hook methods run with one instance per attempt, around perform, with retries', async () => {
    await HookedClassJob.performLater(3)
    await HookedClassJob.performLater(-1)
    const { jobs } = manager()
    await workOff(jobs, adapter, 1)
    expect(done).toEqual([
      'success: before 3, perform 3, after 3 (3)',
      'failure: before -1, perform -1 (-1): negative id, retry false',
    ])
    expect((await rows())[0]).toMatchObject({ attempts: 1 })
    expect((await rows())[0]!.failedAt).toBeInstanceOf(Date)
  })

  it('refuses arguments that do not survive JSON, as later() does', async () => {
    await expect(HookedClassJob.performLater(new Map() as never)).rejects.toThrow(UnserializableArgumentError)
    await expect(SendWelcomeEmailJob.performLater(10n as never)).rejects.toThrow('Cannot schedule SendWelcomeEmailJob: args[0] is')
    await expect(new SendWelcomeEmailJob({ wait: -1 }).performLater(1)).rejects.toThrow(InvalidScheduleOptionsError)
    expect(await rows()).toEqual([])
  })

  it('with RedwoodJob.config({ jobs }), checks the registry and the queues like later()', async () => {
    const { jobs } = manager()
    RedwoodJob.config({ adapter, logger, jobs })
    class NotExportedJob extends RedwoodJob {
      perform() {}
    }
    class WrongQueueJob extends RedwoodJob {
      static queue = 'nope'
      perform() {}
    }
    await expect(NotExportedJob.performLater()).rejects.toThrow(JobNotRegisteredError)
    const strict = new JobManager({ adapters: { adapter }, queues: ['default'] as const, workers: [], jobs: () => ({ WrongQueueJob }) })
    RedwoodJob.config({ adapter, jobs: strict })
    await expect(WrongQueueJob.performLater()).rejects.toThrow(UnknownQueueError)
    expect(await rows()).toEqual([])
  })

  it('without an adapter anywhere, scheduling says how to configure one', async () => {
    RedwoodJob.config({})
    await expect(ProductBackorderJob.performLater()).rejects.toThrow(MissingAdapterError)
    await expect(ProductBackorderJob.performLater()).rejects.toThrow('Call RedwoodJob.config({ adapter, logger })')
  })
})
