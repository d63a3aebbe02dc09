/**
 * Per-job `adapter` and `logger` on `createJob` jobs, and a scheduler's own
 * `logger` (`createScheduler({ adapter, logger })`), on real databases: the
 * job's settings win over the scheduler's, which win over the config's.
 */
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { InvalidConfigError, JobManager, PrismaAdapter, UnknownAdapterError } from '../index.js'
import type { JobContext, Logger } from '../types.js'

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const push = (level: string) => (...args: unknown[]) => void lines.push(`${level} ${args.map(String).join(' ')}`)
  return { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error'), lines }
}

describe.each(TEST_PROVIDERS)('per-job adapter and logger on %s', (provider) => {
  let main: TestDatabase
  let audit: TestDatabase

  beforeAll(async () => {
    ;[main, audit] = await Promise.all([createTestDatabase(provider), createTestDatabase(provider)])
  })
  afterAll(async () => {
    await Promise.all([main?.drop(), audit?.drop()])
  })
  beforeEach(async () => {
    await Promise.all([main.db.backgroundJob.deleteMany({}), audit.db.backgroundJob.deleteMany({})])
  })

  function setup() {
    const configLogger = recordingLogger()
    const schedulerLogger = recordingLogger()
    const jobLogger = recordingLogger()
    const adapters = { prisma: new PrismaAdapter({ db: main.db }), audit: new PrismaAdapter({ db: audit.db }) }
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters,
      queues: ['default'] as const,
      logger: configLogger,
      workers: [{ adapter: 'prisma', queue: '*' }, { adapter: 'audit', queue: '*' }],
      jobs: () => registry,
    })
    const later = jobs.createScheduler({ adapter: 'prisma', logger: schedulerLogger })
    const PlainJob = jobs.createJob({
      queue: 'default',
      perform: async function (this: JobContext, id: number) {
        this.logger.info(`plain ${id}`)
      },
    })
    const AuditJob = jobs.createJob({
      queue: 'default',
      adapter: 'audit',
      logger: jobLogger,
      perform: async function (this: JobContext, id: number) {
        this.logger.info(`audit ${id}`)
      },
    })
    Object.assign(registry, { PlainJob, AuditJob })
    return { jobs, later, adapters, PlainJob, AuditJob, configLogger, schedulerLogger, jobLogger }
  }

  function workOff(jobs: ReturnType<typeof setup>['jobs'], adapter: PrismaAdapter) {
    return workoffWorker({
      adapter,
      loadJob: (name) => jobs.loadJob(name),
      logger: jobs.logger,
    }).run()
  }

  it('a job with its own adapter is stored there by later() and performLater(), whatever the scheduler names', async () => {
    const { later, PlainJob, AuditJob } = setup()
    await later(PlainJob, [1])
    await later(AuditJob, [2])
    await AuditJob.performLater(3)
    await AuditJob.set({ wait: 1 }).performLater(4)
    const args = async (db: TestDatabase) =>
      (await db.db.backgroundJob.findMany({ orderBy: { id: 'asc' } })).map((row: { handler: string }) => JSON.parse(row.handler).args[0])
    expect(await args(main)).toEqual([1])
    expect(await args(audit)).toEqual([2, 3, 4])
  })

  it('the job sees its own logger as this.logger in a worker and inline; others see the config logger', async () => {
    const { jobs, later, adapters, PlainJob, AuditJob, configLogger, jobLogger } = setup()
    await later(PlainJob, [1])
    await later(AuditJob, [2])
    await workOff(jobs, adapters.prisma)
    await workOff(jobs, adapters.audit)
    await AuditJob.perform(3)
    expect(jobLogger.lines.filter((line) => line.startsWith('info'))).toEqual(['info audit 2', 'info audit 3'])
    expect(configLogger.lines).toContain('info plain 1')
    expect(configLogger.lines.some((line) => line.includes('audit 2'))).toBe(false)
  })

  it('a scheduler logs through its own logger; a job with a logger logs its scheduling there', async () => {
    const { later, PlainJob, AuditJob, configLogger, schedulerLogger, jobLogger } = setup()
    const id = await later(PlainJob, [1])
    await PlainJob.performLater(2)
    await later(AuditJob, [3])
    expect(schedulerLogger.lines).toEqual([
      expect.stringMatching(new RegExp(`^debug \\[jobs-kit\\] scheduled PlainJob \\(id ${id}\\) on queue default`)),
      expect.stringContaining('scheduled PlainJob'),
    ])
    expect(jobLogger.lines).toEqual([expect.stringContaining('scheduled AuditJob')])
    expect(configLogger.lines.filter((line) => line.includes('scheduled'))).toEqual([])
  })

  it('refuses an unknown per-job adapter, loggers that are not loggers and hooks that are not functions', () => {
    const { jobs } = setup()
    expect(() => jobs.createJob({ queue: 'default', adapter: 'redis' as 'prisma', perform: () => {} })).toThrow(UnknownAdapterError)
    expect(() => jobs.createJob({ queue: 'default', logger: 'debug' as unknown as Logger, perform: () => {} })).toThrow(
      'createJob: logger must have debug, info, warn and error methods',
    )
    expect(() => jobs.createScheduler({ adapter: 'prisma', logger: {} as Logger })).toThrow(InvalidConfigError)
    expect(() => jobs.createJob({ queue: 'default', afterSuccess: 'nope' as never, perform: () => {} })).toThrow(
      'createJob: `afterSuccess` must be a function (got string)',
    )
    const config = (hooks: unknown) => () =>
      new JobManager({ adapters: { prisma: new PrismaAdapter({ db: main.db }) }, queues: ['default'] as const, workers: [], jobs: () => ({}), hooks: hooks as never })
    expect(config({ afterFailure: 5 })).toThrow('`hooks` in your jobs config: `afterFailure` must be a function (got number)')
    expect(config('nope')).toThrow('`hooks` in your jobs config must be an object')
    expect(config({ beforePerform() {} })().hooks.beforePerform).toBeTypeOf('function')
  })
})
