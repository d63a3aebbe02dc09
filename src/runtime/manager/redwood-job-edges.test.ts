/**
 * Class-style jobs at their edges, on real SQLite, PostgreSQL and MariaDB
 * databases: subclasses, hooks written as arrow-function fields, a class
 * without `perform`, bad `set()` options. Each case once went wrong (see the
 * commit that added it).
 */
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { JobManager, PrismaAdapter, RedwoodJob } from '../index.js'
import type { Logger } from '../types.js'

const done: string[] = []
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

describe.each(TEST_PROVIDERS)('RedwoodJob edges on %s', (provider) => {
  let database: TestDatabase
  let adapter: PrismaAdapter

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await database.db.backgroundJob.deleteMany({})
    done.length = 0
    adapter = new PrismaAdapter({ db: database.db })
    RedwoodJob.config({ adapter, logger: quiet })
  })
  afterEach(() => {
    RedwoodJob.config({})
  })

  const handlers = async () => {
    const rows: Array<{ handler: string }> = await database.db.backgroundJob.findMany({ orderBy: { id: 'asc' } })
    return rows.map((row) => JSON.parse(row.handler) as { name: string })
  }

  /** Works off every due job with the real worker, the jobs index being `registry`. */
  async function workOff(registry: Record<string, unknown>) {
    const jobs = new JobManager({
      adapters: { adapter },
      queues: ['default'] as const,
      logger: quiet,
      workers: [{ adapter: 'adapter', queue: '*' }],
      jobs: () => registry,
    })
    await workoffWorker({
      adapter,
      loadJob: (name) => jobs.loadJob(name),
      logger: quiet,
      hooks: jobs.hooks,
    }).run()
    return jobs
  }

  it('a subclass of a job with static jobName is stored and run under its own name, not its parent\'s', async () => {
    class ParentJob extends RedwoodJob {
      static jobName = 'ParentJob'
      perform() {
        done.push('parent')
      }
    }
    class ChildJob extends ParentJob {
      perform() {
        done.push('child')
      }
    }
    await ChildJob.performLater()
    expect(await handlers()).toMatchObject([{ name: 'ChildJob' }])
    const jobs = await workOff({ ParentJob, ChildJob })
    expect(done).toEqual(['child'])

    // later() of a JobManager names it the same way.
    await jobs.createScheduler({ adapter: 'adapter' })(ChildJob as never)
    await workOff({ ParentJob, ChildJob })
    expect(done).toEqual(['child', 'child'])
  })

  it('a class without perform (or with a perform that is not a function) is refused when scheduled, not in every worker attempt', async () => {
    class NoPerformJob extends RedwoodJob {}
    class NotAFunctionJob extends RedwoodJob {
      // @ts-expect-error: perform must be a method
      perform = 'send the email'
    }
    await expect(NoPerformJob.performLater()).rejects.toThrow(/NoPerformJob has no perform method/)
    await expect((new NotAFunctionJob() as unknown as RedwoodJob).set({ wait: 5 }).performLater()).rejects.toThrow(/NotAFunctionJob has no perform method/)
    expect(await handlers()).toEqual([])
  })

  it('hooks written as arrow-function fields run like hook methods, with this.context', async () => {
    class ArrowHooksJob extends RedwoodJob {
      beforePerform = (id: number) => void done.push(`before ${id} (job ${this.context?.id})`)
      afterSuccess = async (id: number) => void done.push(`success ${id} (attempt ${this.context?.attempt})`)
      perform(id: number) {
        done.push(`perform ${id}`)
      }
    }
    const id = await ArrowHooksJob.performLater(7)
    await workOff({ ArrowHooksJob })
    expect(done).toEqual([`before 7 (job ${id})`, 'perform 7', 'success 7 (attempt 1)'])
  })

  it('a static adapter or logger that is not one is refused with what to write, not a TypeError from inside', async () => {
    class NamedAdapterJob extends RedwoodJob {
      // The createJob style names an adapter; a class sets the adapter itself.
      static override adapter = 'audit' as never
      perform() {}
    }
    class LevelLoggerJob extends RedwoodJob {
      static override logger = 'debug' as never
      perform() {}
    }
    await expect(NamedAdapterJob.performLater()).rejects.toThrow(/NamedAdapterJob: static adapter is not a jobs adapter/)
    await expect(LevelLoggerJob.performLater()).rejects.toThrow(/LevelLoggerJob: static logger must have debug, info, warn and error methods/)
    expect(await handlers()).toEqual([])
  })

  it('RedwoodJob.config({ jobs }) given the seed\'s `jobs` object of instances (not a JobManager) is refused at once, naming the difference', async () => {
    class WelcomeJob extends RedwoodJob {
      perform() {}
    }
    const seedJobs = { welcomeJob: new WelcomeJob() }
    expect(() => RedwoodJob.config({ adapter, jobs: seedJobs as never })).toThrow(/RedwoodJob.config: jobs must be your JobManager/)
    // The config in place is still the one from beforeEach: scheduling works.
    await WelcomeJob.performLater()
    expect(await handlers()).toMatchObject([{ name: 'WelcomeJob' }])
  })

  it('a queue that is not a name (a number, an empty string) is refused when scheduled, not by the database', async () => {
    class NumberQueueJob extends RedwoodJob {
      static override queue = 5 as never
      perform() {}
    }
    class AnyJob extends RedwoodJob {
      perform() {}
    }
    await expect(NumberQueueJob.performLater()).rejects.toThrow(/Cannot schedule NumberQueueJob: queue must be a queue name \(a non-empty string\), got 5/)
    await expect(AnyJob.set({ queue: '' }).performLater()).rejects.toThrow(/queue must be a queue name/)
    expect(await handlers()).toEqual([])
  })
})
