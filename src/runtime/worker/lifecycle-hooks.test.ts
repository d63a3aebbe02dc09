/**
 * Lifecycle hooks (beforePerform, afterPerform, afterSuccess, afterFailure),
 * on a job and on the JobManager config, run by the real worker against the
 * real PrismaAdapter on SQLite, PostgreSQL and MariaDB: their order, what the
 * outcome hooks see in the table, and what a throw in each one does.
 */
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { JobManager, JobTimeoutError, PrismaAdapter } from '../index.js'
import type { JobContext, JobFailure, LifecycleHooks, Logger } from '../types.js'
import { Worker, type WorkerOptions } from './worker.js'

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    })
  })
}

describe.each(TEST_PROVIDERS)('Lifecycle hooks on %s', (provider) => {
  let database: TestDatabase
  let adapter: PrismaAdapter
  const events: string[] = []
  const errors: string[] = []
  /** What each hook saw, by label. */
  const seen: Record<string, { context: JobContext; args: unknown[]; failure?: JobFailure; row?: unknown }> = {}
  /** Which steps throw in the current test, e.g. `job.beforePerform`. */
  let throwIn = new Set<string>()
  /** Which steps sleep past maxRuntime (honouring their signal). */
  let slowIn = new Set<string>()

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await database.db.backgroundJob.deleteMany({})
    adapter = new PrismaAdapter({ db: database.db })
    events.length = 0
    errors.length = 0
    for (const key of Object.keys(seen)) delete seen[key]
    throwIn = new Set()
    slowIn = new Set()
  })

  const rowOf = (id: number) => database.db.backgroundJob.findUnique({ where: { id } })

  /** A hook that records itself, and the row as stored at that moment, then throws or sleeps when told to. */
  function step(label: string) {
    return async function (this: JobContext, ...rest: unknown[]) {
      events.push(label)
      const failure = label.endsWith('afterFailure') ? (rest.shift() as JobFailure) : undefined
      // Recorded before any await: after a timeout the worker calls afterFailure without waiting for it.
      const record: (typeof seen)[string] = { context: this, args: rest, failure }
      seen[label] = record
      if (label.includes('after') && !label.endsWith('Perform') && !this.signal.aborted) record.row = await rowOf(this.id)
      if (slowIn.has(label)) await sleepUnlessAborted(5_000, this.signal)
      if (throwIn.has(label)) throw new Error(`${label} threw`)
    }
  }

  function makeJobs() {
    const registry: Record<string, unknown> = {}
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (message: unknown) => void errors.push(String(message)) }
    const hooks: LifecycleHooks = {
      beforePerform: step('config.beforePerform'),
      afterPerform: step('config.afterPerform'),
      afterSuccess: step('config.afterSuccess'),
      afterFailure: step('config.afterFailure'),
    }
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default'] as const,
      logger,
      hooks,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
    })
    registry.HookedJob = jobs.createJob({
      queue: 'default',
      beforePerform: step('job.beforePerform'),
      perform: step('perform'),
      afterPerform: step('job.afterPerform'),
      afterSuccess: step('job.afterSuccess'),
      afterFailure: step('job.afterFailure'),
    })
    return jobs
  }

  function worker(overrides: Partial<WorkerOptions> = {}): Worker {
    const jobs = makeJobs()
    return workoffWorker({
      adapter,
      loadJob: (name) => jobs.loadJob(name),
      logger: jobs.logger,
      hooks: jobs.hooks,
      ...overrides,
    })
  }

  const schedule = () =>
    adapter.schedule({ handler: { name: 'HookedJob', path: 'HookedJob/HookedJob', args: [42, 'hi'] }, queue: 'default', priority: 50, runAt: new Date() })

  const inAttempt = ['config.beforePerform', 'job.beforePerform', 'perform', 'job.afterPerform', 'config.afterPerform']

  it('on success: config before, job before, perform, job after, config after; then afterSuccess (job, config) once the row is gone', async () => {
    const id = await schedule()
    expect(await worker().run()).toBe('done')
    expect(events).toEqual([...inAttempt, 'job.afterSuccess', 'config.afterSuccess'])
    for (const label of events) {
      expect(seen[label]!.args).toEqual([42, 'hi'])
      expect(seen[label]!.context).toMatchObject({ id, name: 'HookedJob', attempt: 1 })
      // One context, one signal, for every step of the attempt.
      expect(seen[label]!.context).toBe(seen.perform!.context)
    }
    expect(seen['job.afterSuccess']!.row).toBeNull()
    expect(seen['config.afterSuccess']!.row).toBeNull()
    expect(errors).toEqual([])
  })

  it('on a failed attempt that will be retried: afterFailure (job, config) after the error is stored, with the error and willRetry', async () => {
    const id = await schedule()
    throwIn = new Set(['perform'])
    expect(await worker().run()).toBe('done')
    expect(events).toEqual(['config.beforePerform', 'job.beforePerform', 'perform', 'job.afterFailure', 'config.afterFailure'])
    for (const label of ['job.afterFailure', 'config.afterFailure']) {
      const { failure, row, args } = seen[label]!
      expect(failure!.error.message).toBe('perform threw')
      expect(failure!.willRetry).toBe(true)
      expect(args).toEqual([42, 'hi'])
      expect(row).toMatchObject({ id, attempts: 1, lockedBy: null, failedAt: null })
      expect((row as { lastError: string }).lastError).toContain('perform threw')
    }

    // The retry succeeds and runs the success hooks.
    events.length = 0
    throwIn = new Set()
    await database.db.backgroundJob.updateMany({ where: { id }, data: { runAt: new Date() } })
    expect(await worker().run()).toBe('done')
    expect(events).toEqual([...inAttempt, 'job.afterSuccess', 'config.afterSuccess'])
    expect(seen.perform!.context.attempt).toBe(2)
  })

  it('on the final failure: afterFailure with willRetry false, once failedAt is stored', async () => {
    const id = await schedule()
    throwIn = new Set(['perform'])
    expect(await worker({ maxAttempts: 1 }).run()).toBe('done')
    expect(events).toEqual(['config.beforePerform', 'job.beforePerform', 'perform', 'job.afterFailure', 'config.afterFailure'])
    expect(seen['job.afterFailure']!.failure!.willRetry).toBe(false)
    expect(seen['config.afterFailure']!.failure!.willRetry).toBe(false)
    expect((seen['job.afterFailure']!.row as { failedAt: Date | null }).failedAt).toBeInstanceOf(Date)
    expect((await rowOf(id))!.failedAt).toBeInstanceOf(Date)
  })

  it('a job given up without running (claimed past maxAttempts, e.g. after crashing its worker each time): afterFailure with willRetry false', async () => {
    const id = await schedule()
    // Three claims already counted, as after three workers died running it.
    await database.db.backgroundJob.updateMany({ where: { id }, data: { attempts: 3 } })
    expect(await worker({ maxAttempts: 3 }).run()).toBe('done')
    expect(events).toEqual(['job.afterFailure', 'config.afterFailure'])
    for (const label of ['job.afterFailure', 'config.afterFailure']) {
      const { failure, args, context, row } = seen[label]!
      expect(failure!.error.message).toContain('was given up without running attempt 4')
      expect(failure!.willRetry).toBe(false)
      expect(args).toEqual([42, 'hi'])
      expect(context).toMatchObject({ id, name: 'HookedJob', attempt: 4 })
      expect((row as { failedAt: Date | null }).failedAt).toBeInstanceOf(Date)
    }
  })

  it('concurrency 1 holds for the hooks too: the next job starts only once the afterSuccess hooks of the one before returned', async () => {
    await schedule()
    await schedule()
    slowIn = new Set()
    const spans: Array<[string, number]> = []
    const mark = (label: string) => spans.push([label, Date.now()])
    const jobs = makeJobs()
    const registry = { HookedJob: undefined as unknown }
    registry.HookedJob = jobs.createJob({
      queue: 'default',
      perform() {
        mark('perform')
      },
      async afterSuccess() {
        mark('afterSuccess start')
        await delay(300)
        mark('afterSuccess end')
      },
    })
    expect(await worker({ loadJob: async (name) => (name === 'HookedJob' ? (registry.HookedJob as never) : undefined) }).run()).toBe('done')
    expect(spans.map(([label]) => label)).toEqual(['perform', 'afterSuccess start', 'afterSuccess end', 'perform', 'afterSuccess start', 'afterSuccess end'])
  })

  it('on a timeout: perform is aborted and afterFailure gets the JobTimeoutError with the signal already aborted', async () => {
    await schedule()
    slowIn = new Set(['perform'])
    expect(await worker({ maxRuntimeSeconds: 0.3 }).run()).toBe('done')
    expect(events).toEqual(['config.beforePerform', 'job.beforePerform', 'perform', 'job.afterFailure', 'config.afterFailure'])
    const failure = seen['job.afterFailure']!.failure!
    expect(failure.error).toBeInstanceOf(JobTimeoutError)
    expect(failure.willRetry).toBe(true)
    expect(seen['job.afterFailure']!.context.signal.aborted).toBe(true)
  })

  it('hooks count against maxRuntime: a slow beforePerform times the attempt out and perform never runs', async () => {
    const id = await schedule()
    slowIn = new Set(['job.beforePerform'])
    const started = Date.now()
    expect(await worker({ maxRuntimeSeconds: 0.3 }).run()).toBe('done')
    expect(Date.now() - started).toBeLessThan(4_000)
    expect(events).toEqual(['config.beforePerform', 'job.beforePerform', 'job.afterFailure', 'config.afterFailure'])
    expect((await rowOf(id))!.lastError).toContain('maxRuntime')
  })

  it('a slow afterSuccess is cut short at maxRuntime and logged; the success stands', async () => {
    const id = await schedule()
    slowIn = new Set(['job.afterSuccess'])
    const started = Date.now()
    expect(await worker({ maxRuntimeSeconds: 0.5 }).run()).toBe('done')
    expect(Date.now() - started).toBeLessThan(4_000)
    expect(events).toEqual([...inAttempt, 'job.afterSuccess', 'config.afterSuccess'])
    expect(await rowOf(id)).toBeNull()
    expect(errors.some((line) => line.includes(`HookedJob (id ${id}`) && line.includes('afterSuccess hook of the job was cut short'))).toBe(true)
  })

  it('a throwing config beforePerform fails the attempt before the job\'s own hooks and perform', async () => {
    const id = await schedule()
    throwIn = new Set(['config.beforePerform'])
    await worker().run()
    expect(events).toEqual(['config.beforePerform', 'job.afterFailure', 'config.afterFailure'])
    expect((await rowOf(id))!.lastError).toContain('config.beforePerform threw')
  })

  it('a throwing job beforePerform fails the attempt like perform would; perform does not run', async () => {
    const id = await schedule()
    throwIn = new Set(['job.beforePerform'])
    await worker().run()
    expect(events).toEqual(['config.beforePerform', 'job.beforePerform', 'job.afterFailure', 'config.afterFailure'])
    const row = (await rowOf(id))!
    expect(row.lastError).toContain('job.beforePerform threw')
    expect(row).toMatchObject({ attempts: 1, failedAt: null, lockedBy: null })
    expect(seen['job.afterFailure']!.failure!.error.message).toBe('job.beforePerform threw')
  })

  it('a throwing job afterPerform fails the attempt; the config afterPerform does not run', async () => {
    const id = await schedule()
    throwIn = new Set(['job.afterPerform'])
    await worker().run()
    expect(events).toEqual(['config.beforePerform', 'job.beforePerform', 'perform', 'job.afterPerform', 'job.afterFailure', 'config.afterFailure'])
    expect((await rowOf(id))!.lastError).toContain('job.afterPerform threw')
  })

  it('a throwing config afterPerform fails the attempt too', async () => {
    const id = await schedule()
    throwIn = new Set(['config.afterPerform'])
    await worker().run()
    expect(events).toEqual([...inAttempt, 'job.afterFailure', 'config.afterFailure'])
    expect((await rowOf(id))!.lastError).toContain('config.afterPerform threw')
  })

  it('a throwing afterSuccess is logged with the job name and id; the row stays deleted and the config hook still runs', async () => {
    const id = await schedule()
    throwIn = new Set(['job.afterSuccess', 'config.afterSuccess'])
    expect(await worker().run()).toBe('done')
    expect(events).toEqual([...inAttempt, 'job.afterSuccess', 'config.afterSuccess'])
    expect(await rowOf(id)).toBeNull()
    expect(errors).toEqual([
      expect.stringContaining(`HookedJob (id ${id}, queue default): the afterSuccess hook of the job threw; the job's stored outcome stands: Error: job.afterSuccess threw`),
      expect.stringContaining(`HookedJob (id ${id}, queue default): the afterSuccess hook of the jobs config threw; the job's stored outcome stands: Error: config.afterSuccess threw`),
    ])
  })

  it('a throwing afterFailure is logged; the stored failed attempt stands as it was', async () => {
    const id = await schedule()
    throwIn = new Set(['perform', 'job.afterFailure'])
    await worker().run()
    expect(events).toEqual(['config.beforePerform', 'job.beforePerform', 'perform', 'job.afterFailure', 'config.afterFailure'])
    const row = (await rowOf(id))!
    expect(row).toMatchObject({ attempts: 1, failedAt: null, lockedBy: null })
    expect(row.lastError).toContain('perform threw')
    expect(row.lastError).not.toContain('afterFailure')
    expect(errors.filter((line) => line.includes('afterFailure hook'))).toEqual([
      expect.stringContaining(`HookedJob (id ${id}, queue default): the afterFailure hook of the job threw`),
    ])
  })

  it('a hook that throws synchronously is caught like one that rejects', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default'] as const,
      logger: { debug() {}, info() {}, warn() {}, error: (message: unknown) => void errors.push(String(message)) },
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
    })
    registry.HookedJob = jobs.createJob({
      queue: 'default',
      perform: () => void events.push('perform'),
      afterSuccess: () => {
        throw new Error('sync throw')
      },
    })
    const id = await schedule()
    await worker({ loadJob: (name) => jobs.loadJob(name), hooks: jobs.hooks }).run()
    await delay(10)
    expect(events).toEqual(['perform'])
    expect(await rowOf(id)).toBeNull()
    expect(errors).toEqual([expect.stringContaining('the afterSuccess hook of the job threw; the job\'s stored outcome stands: Error: sync throw')])
  })
})
