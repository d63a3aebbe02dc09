import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js'
import { readJobs } from '../../../test/support/jobs-table.js'
import { PrismaAdapter } from '../adapters/prisma/prisma-adapter.js'
import {
  InvalidConfigError,
  InvalidScheduleOptionsError,
  JobNotRegisteredError,
  RegistryLoadError,
  UnknownAdapterError,
  UnknownQueueError,
  UnserializableArgumentError,
} from '../errors.js'
import type { JobContext, Logger } from '../types.js'
import { currentJob } from './current-job.js'
import { JobManager } from './job-manager.js'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

describe('JobManager (on SQLite)', () => {
  let database: TestDatabase
  let adapter: PrismaAdapter

  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
    adapter = new PrismaAdapter({ db: database.db })
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await adapter.clear()
  })

  /** A manager whose registry is `registry` (filled in after the jobs are created, as an index would be). */
  function setup(options: { loader?: () => unknown } = {}) {
    const registry: Record<string, unknown> = {}
    let loads = 0
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default', 'email'] as const,
      logger: silent,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: options.loader ?? (() => {
        loads++
        return registry
      }),
    })
    const later = jobs.createScheduler({ adapter: 'prisma' })
    return { jobs, later, registry, loads: () => loads }
  }

  it('exposes adapters, queues, the logger and workers with defaults filled in', () => {
    const { jobs } = setup()
    expect(jobs.adapters.prisma).toBe(adapter)
    expect(jobs.queues).toEqual(['default', 'email'])
    expect(jobs.logger).toBe(silent)
    expect(jobs.workers[0]).toMatchObject({ adapter: 'prisma', queue: '*', maxAttempts: 24, maxRuntime: 14_400, sleepDelay: 5 })
    const withConsole = new JobManager({ adapters: { prisma: adapter }, queues: ['default'], workers: [], jobs: () => ({}) })
    expect(withConsole.logger).toBe(console)
  })

  it('rejects configs it cannot use, saying what to write', () => {
    const base = { adapters: { prisma: adapter }, queues: ['default'], workers: [], jobs: () => ({}) }
    expect(() => new JobManager({ ...base, queues: [] })).toThrow(InvalidConfigError)
    expect(() => new JobManager({ ...base, queues: ['*'] })).toThrow("'*' is not a queue")
    // 'all': worker names call '*' that, so an ['all'] worker would share a '*' worker's title and lockedBy.
    for (const bad of ['a/b', 'a b', 'a+b', '', ' ', '-x', 'q'.repeat(65), 'é', 'all']) {
      expect(() => new JobManager({ ...base, queues: [bad] })).toThrow(`Queue name ${JSON.stringify(bad)} in your jobs config is not allowed`)
    }
    expect(() => new JobManager({ ...base, queues: ['default', 'high-priority', 'mail.v2', 'q_1', 'q'.repeat(64)] })).not.toThrow()
    expect(() => new JobManager({ ...base, queues: ['a', 'a'] })).toThrow('lists a queue twice')
    expect(() => new JobManager({ ...base, adapters: {} })).toThrow('must name at least one adapter')
    expect(() => new JobManager({ ...base, adapters: { prisma: {} as PrismaAdapter } })).toThrow('adapters.prisma in your jobs config is not a jobs adapter')
    expect(() => new JobManager({ ...base, jobs: undefined as never })).toThrow("jobs: () => import('../jobs/index.js')")
    expect(() => new JobManager({ ...base, workers: [{ adapter: 'redis' as 'prisma', queue: '*' }] })).toThrow(UnknownAdapterError)
    expect(() => setup().jobs.createScheduler({ adapter: 'redis' as 'prisma' })).toThrow('createScheduler: adapter "redis" is not configured')
  })

  it('rejects a job on a queue that is not configured, and a definition without perform', () => {
    const { jobs } = setup()
    expect(() => jobs.createJob({ queue: 'nope' as 'email', perform: () => {} })).toThrow(UnknownQueueError)
    expect(() => jobs.createJob({ queue: 'nope' as 'email', perform: () => {} })).toThrow('createJob: queue "nope" is not configured. Use one of "default", "email"')
    expect(() => jobs.createJob({ queue: 'email' } as never)).toThrow('`perform` must be a function')
    expect(() => jobs.createJob({ queue: 'email', priority: 1.5, perform: () => {} })).toThrow('priority must be a whole number')
  })

  it('stores a job under its registry name, found by identity, with args in the handler', async () => {
    const { jobs, later, registry, loads } = setup()
    const SendWelcomeEmailJob = jobs.createJob({ queue: 'email', priority: 10, perform: async (userId: number, note: string) => void [userId, note] })
    registry.SendWelcomeEmailJob = SendWelcomeEmailJob

    const before = Date.now()
    const id = await later(SendWelcomeEmailJob, [42, 'hi'])
    await later(SendWelcomeEmailJob, [43, 'again'])
    const [row] = await readJobs(database)
    expect(row.id).toBe(id)
    expect(JSON.parse(row.handler)).toEqual({ name: 'SendWelcomeEmailJob', path: 'SendWelcomeEmailJob/SendWelcomeEmailJob', args: [42, 'hi'] })
    expect(row).toMatchObject({ queue: 'email', priority: 10, attempts: 0 })
    expect(row.runAt.getTime()).toBeGreaterThanOrEqual(before)
    expect(row.runAt.getTime()).toBeLessThanOrEqual(Date.now())
    // The name is remembered: the registry was read once for two calls.
    expect(loads()).toBe(1)
  })

  it('uses the name given to createJob, after checking once that the registry exports a job under it', async () => {
    const { jobs, later, registry, loads } = setup()
    const Named = jobs.createJob({ name: 'NamedJob', queue: 'default', perform: () => {} })
    const Typo = jobs.createJob({ name: 'NamedJbo', queue: 'default', perform: () => {} })
    registry.NamedJob = Named
    await later(Named)
    await later(Named)
    expect((await readJobs(database)).map((row) => JSON.parse(row.handler).name)).toEqual(['NamedJob', 'NamedJob'])
    expect(loads()).toBe(1)
    await expect(later(Typo)).rejects.toThrow(JobNotRegisteredError)
    await expect(later(Typo)).rejects.toThrow('The job named "NamedJbo" is not exported by the jobs index')
  })

  it('applies wait, waitUntil, queue and priority', async () => {
    const { jobs, later, registry } = setup()
    registry.Job = jobs.createJob({ queue: 'default', perform: () => {} })
    const Job = registry.Job as ReturnType<typeof jobs.createJob<[]>>
    const before = Date.now()
    await later(Job, [], { wait: 120, queue: 'email', priority: 3 })
    const at = new Date('2031-01-01T00:00:00.000Z')
    await later(Job, [], { waitUntil: at })
    const [waited, until] = await readJobs(database)
    expect(waited).toMatchObject({ queue: 'email', priority: 3 })
    expect(waited.runAt.getTime()).toBeGreaterThanOrEqual(before + 120_000)
    expect(waited.runAt.getTime()).toBeLessThanOrEqual(Date.now() + 120_000)
    expect(until.runAt.toISOString()).toBe(at.toISOString())
  })

  it('stores Dates in args as ISO strings', async () => {
    const { jobs, later, registry } = setup()
    const ReportJob = jobs.createJob({ queue: 'default', perform: (range: { from: Date; to: Date }) => void range })
    registry.ReportJob = ReportJob
    const from = new Date('2030-01-01T00:00:00.000Z')
    await later(ReportJob, [{ from, to: new Date('2030-02-01T12:00:00.000Z') }])
    expect(JSON.parse((await readJobs(database))[0].handler).args).toEqual([{ from: '2030-01-01T00:00:00.000Z', to: '2030-02-01T12:00:00.000Z' }])
  })

  it('rejects bad arguments and options before storing anything, naming the job', async () => {
    const { jobs, later, registry } = setup()
    const TagJob = jobs.createJob({ queue: 'default', perform: (input: { tags: unknown }) => void input })
    registry.TagJob = TagJob
    await expect(later(TagJob, [{ tags: new Set(['a']) }])).rejects.toThrow(UnserializableArgumentError)
    await expect(later(TagJob, [{ tags: new Set(['a']) }])).rejects.toThrow('Cannot schedule TagJob: args[0].tags is a Set')
    await expect(later(TagJob, [{ tags: 1 }], { wait: 1, waitUntil: new Date() })).rejects.toThrow(InvalidScheduleOptionsError)
    await expect(later(TagJob, [{ tags: 1 }], { wait: -5 })).rejects.toThrow('Cannot schedule TagJob: wait must be a number of seconds')
    await expect(later(TagJob, [{ tags: 1 }], { waitUntil: new Date('x') })).rejects.toThrow('waitUntil must be a valid Date')
    await expect(later(TagJob, [{ tags: 1 }], { queue: 'nope' as 'email' })).rejects.toThrow(UnknownQueueError)
    await expect(later(TagJob, 5 as never)).rejects.toThrow('args must be an array of perform\'s arguments, e.g. later(TagJob, [user.id])')
    expect(await readJobs(database)).toEqual([])
  })

  it('refuses to schedule a job that the registry does not export, saying where to add it', async () => {
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default'],
      logger: silent,
      workers: [],
      jobs: () => import('../../../test/support/fixtures/empty-jobs-index.js'),
    })
    const later = jobs.createScheduler({ adapter: 'prisma' })
    const Orphan = jobs.createJob({ queue: 'default', perform: async function sendReport() {} })
    const promise = later(Orphan)
    await expect(promise).rejects.toThrow(JobNotRegisteredError)
    await expect(later(Orphan)).rejects.toThrow(
      "The job created with createJob({ queue: 'default', perform: sendReport }) is not exported by the jobs index (",
    )
    await expect(later(Orphan)).rejects.toThrow(/jobs index \([^)]*fixtures\/empty-jobs-index/)
    await expect(later(Orphan)).rejects.toThrow('npx jobs-kit g job <Name>')
    expect(await readJobs(database)).toEqual([])
  })

  it('loads jobs by name for workers, from an ES module index or a synchronous (CommonJS-style) one', async () => {
    const esm = new JobManager({ adapters: { prisma: adapter }, queues: ['default'], logger: silent, workers: [], jobs: () => import('../../../test/support/fixtures/jobs-index.js') })
    const fixture = await import('../../../test/support/fixtures/jobs-index.js')
    expect(await esm.loadJob('EchoJob')).toBe(fixture.EchoJob)
    expect(await esm.loadJob('NotAJob')).toBeUndefined()
    expect(await esm.loadJob('Missing')).toBeUndefined()
    expect(await esm.loadJob('toString')).toBeUndefined()

    const { jobs, registry } = setup()
    const Sync = jobs.createJob({ queue: 'default', perform: () => {} })
    registry.SyncJob = Sync
    expect(await jobs.loadJob('SyncJob')).toBe(Sync)
    // A CommonJS index imported from ESM: the jobs sit on the default export.
    const cjs = setup({ loader: () => ({ default: { SyncJob: Sync } }) })
    expect(await cjs.jobs.loadJob('SyncJob')).toBe(Sync)
  })

  it('reports a failing registry loader with context, and tries again next time', async () => {
    let calls = 0
    const { jobs } = setup({
      loader: () => {
        calls++
        if (calls === 1) throw new SyntaxError('Unexpected token in SendJob.ts')
        return {}
      },
    })
    const error = await jobs.loadJob('SendJob').catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(RegistryLoadError)
    expect((error as Error).message).toContain('Loading your jobs index')
    expect((error as Error).message).toContain('Unexpected token in SendJob.ts')
    expect((error as Error).cause).toBeInstanceOf(SyntaxError)
    expect(await jobs.loadJob('SendJob')).toBeUndefined()
    const notAModule = setup({ loader: () => 42 })
    await expect(notAModule.jobs.loadJob('X')).rejects.toThrow('returned number, not a module')
  })

  it('performLater and set().performLater store through the first scheduler\'s adapter', async () => {
    const { jobs, registry } = setup()
    const PingJob = jobs.createJob({ queue: 'default', perform: (host: string) => void host })
    registry.PingJob = PingJob
    const first = await PingJob.performLater('a.example')
    const second = await PingJob.set({ wait: 60, priority: 1, queue: 'email' }).performLater('b.example')
    const [a, b] = await readJobs(database)
    expect([a.id, b.id]).toEqual([first, second])
    expect(JSON.parse(a.handler).args).toEqual(['a.example'])
    expect(b).toMatchObject({ queue: 'email', priority: 1 })
    expect(b.runAt.getTime()).toBeGreaterThan(Date.now() + 50_000)
  })

  it('asks for a scheduler when performLater cannot tell which adapter to use', async () => {
    const jobs = new JobManager({
      adapters: { one: adapter, two: adapter },
      queues: ['default'],
      logger: silent,
      workers: [],
      jobs: () => ({}),
    })
    const Job = jobs.createJob({ name: 'Job', queue: 'default', perform: () => {} })
    await expect(Job.performLater()).rejects.toThrow("Create a scheduler first, e.g. export const later = jobs.createScheduler({ adapter: 'one' })")
  })

  it('runs a job inline with a context and currentJob(), storing nothing', async () => {
    const { jobs, registry } = setup()
    const seen: Array<{ self: JobContext; current: JobContext | undefined; sum: number }> = []
    const AddJob = jobs.createJob({
      queue: 'default',
      perform: async function (this: JobContext, a: number, b: number) {
        await Promise.resolve()
        seen.push({ self: this, current: currentJob(), sum: a + b })
      },
    })
    registry.AddJob = AddJob
    await AddJob.perform(2, 3)
    expect(seen).toHaveLength(1)
    expect(seen[0].sum).toBe(5)
    expect(seen[0].current).toBe(seen[0].self)
    expect(seen[0].self).toMatchObject({ id: 0, attempt: 1, logger: silent })
    expect(seen[0].self.signal.aborted).toBe(false)
    expect(await readJobs(database)).toEqual([])
    await expect(jobs.createJob({ queue: 'default', perform: () => { throw new Error('inline boom') } }).perform()).rejects.toThrow('inline boom')
  })
})
