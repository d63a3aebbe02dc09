/**
 * The config's `hooks` given as an instance of a class (hook methods on its
 * prototype, as an error reporter or metrics object often is): the real
 * worker runs them, on SQLite, PostgreSQL and MariaDB.
 */
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { JobManager, PrismaAdapter } from '../index.js'
import type { JobContext, JobFailure, Logger } from '../types.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const seen: string[] = []

class ErrorReporter {
  beforePerform(this: JobContext) {
    seen.push(`before ${this.name}`)
  }
  afterFailure(this: JobContext, failure: JobFailure) {
    seen.push(`reported ${this.name}: ${failure.error.message} (retry ${failure.willRetry})`)
  }
}

describe.each(TEST_PROVIDERS)('Config hooks from a class instance on %s', (provider) => {
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
    adapter = new PrismaAdapter({ db: database.db })
    seen.length = 0
  })

  it('runs the hook methods of the instance', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { adapter },
      queues: ['default'] as const,
      logger: quiet,
      hooks: new ErrorReporter(),
      workers: [{ adapter: 'adapter', queue: '*' }],
      jobs: () => registry,
    })
    registry.FailingJob = jobs.createJob({
      queue: 'default',
      perform() {
        throw new Error('card declined')
      },
    })
    await jobs.createScheduler({ adapter: 'adapter' })(registry.FailingJob as never)
    await workoffWorker({
      adapter,
      loadJob: (name) => jobs.loadJob(name),
      logger: quiet,
      hooks: jobs.hooks,
      maxAttempts: 1,
    }).run()
    expect(seen).toEqual(['before FailingJob', 'reported FailingJob: card declined (retry false)'])
  })
})
