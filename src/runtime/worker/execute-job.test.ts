/**
 * executeJob against an in-memory adapter: the attempt's signal, which is
 * made only when a job reads it (see `AttemptRun`), must behave as if it had
 * been there from the start: aborted at maxRuntime or on a stop at once,
 * with the same reason, whenever it is read, and never by a stop that comes
 * after the attempt ended.
 */
import { describe, expect, it } from 'vitest'
import { JobTimeoutError } from '../errors.js'
import { JobManager } from '../index.js'
import { currentJob } from '../manager/current-job.js'
import type { JobContext, JobsAdapter, Logger, StoredJob } from '../types.js'
import { executeJob, type ExecuteJobOptions } from './execute-job.js'
import { guardLogger, logsAt } from './guard-logger.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function memoryAdapter(): JobsAdapter & { outcomes: string[] } {
  const outcomes: string[] = []
  return {
    outcomes,
    schedule: async () => 0,
    find: async () => [],
    success: async ({ job }: { job: StoredJob }) => void outcomes.push(`success ${job.id}`),
    error: async ({ job }: { job: StoredJob }) => void outcomes.push(`error ${job.id}`),
    failure: async ({ job }: { job: StoredJob }) => void outcomes.push(`failure ${job.id}`),
    clear: async () => 0,
  } as unknown as JobsAdapter & { outcomes: string[] }
}

function storedJob(id: number, name: string): StoredJob {
  const now = new Date()
  return {
    id,
    handler: JSON.stringify({ name, path: name, args: [] }),
    queue: 'default',
    priority: 50,
    runAt: now,
    attempts: 1,
    lockedAt: now,
    lockedBy: 'test',
    lastError: null,
    failedAt: null,
    createdAt: now,
    updatedAt: now,
  }
}

function setUp(registry: Record<string, unknown>, overrides: Partial<ExecuteJobOptions> = {}) {
  const adapter = memoryAdapter()
  const jobs = new JobManager({
    adapters: { memory: adapter },
    queues: ['default'] as const,
    logger: quiet,
    workers: [{ adapter: 'memory', queue: '*' }],
    jobs: () => registry,
  })
  const stop = new AbortController()
  const options: ExecuteJobOptions = {
    adapter,
    loadJob: (name) => jobs.loadJob(name),
    logger: quiet,
    hooks: undefined,
    maxAttempts: 5,
    maxRuntimeSeconds: 60,
    deleteFailedJobs: false,
    deleteSuccessfulJobs: true,
    stopSignal: stop.signal,
    ...overrides,
  }
  return { adapter, jobs, stop, options }
}

describe('executeJob: the attempt signal', () => {
  it('read only after a timeout, by afterFailure, is already aborted with the JobTimeoutError', async () => {
    const registry: Record<string, unknown> = {}
    const { jobs, options, adapter } = setUp(registry, { maxRuntimeSeconds: 0.1 })
    const seen: Array<{ aborted: boolean; reason: unknown; same: boolean }> = []
    registry.IgnoresSignalJob = jobs.createJob({
      queue: 'default',
      name: 'IgnoresSignalJob',
      // Never reads this.signal, returns after its maxRuntime.
      perform: () => delay(150),
      afterFailure(this: JobContext) {
        seen.push({ aborted: this.signal.aborted, reason: this.signal.reason, same: currentJob()?.signal === this.signal })
      },
    })
    expect(await executeJob(storedJob(1, 'IgnoresSignalJob'), options)).toBe('failed')
    expect(adapter.outcomes).toEqual(['error 1'])
    expect(seen).toHaveLength(1)
    expect(seen[0].aborted).toBe(true)
    expect(seen[0].reason).toBeInstanceOf(JobTimeoutError)
    expect(seen[0].same).toBe(true)
  })

  it('a stop at once aborts every attempt in hand with its reason, whether or not it read its signal yet', async () => {
    const registry: Record<string, unknown> = {}
    const { jobs, options, stop, adapter } = setUp(registry)
    const contexts: JobContext[] = []
    let readerAbortedWith: unknown
    registry.ReaderJob = jobs.createJob({
      queue: 'default',
      name: 'ReaderJob',
      perform(this: JobContext) {
        contexts.push(this)
        return new Promise<void>((resolve) => this.signal.addEventListener('abort', () => {
          readerAbortedWith = this.signal.reason
          resolve()
        }))
      },
    })
    registry.BlindJob = jobs.createJob({
      queue: 'default',
      name: 'BlindJob',
      perform(this: JobContext) {
        contexts.push(this)
        return new Promise<void>(() => {})
      },
    })
    const reader = executeJob(storedJob(1, 'ReaderJob'), options)
    const blind = executeJob(storedJob(2, 'BlindJob'), options)
    await delay(20)
    const reason = new Error('stopped at once')
    stop.abort(reason)
    expect(await reader).toBe('interrupted')
    expect(await blind).toBe('interrupted')
    expect(readerAbortedWith).toBe(reason)
    expect(contexts.map((context) => [context.signal.aborted, context.signal.reason])).toEqual([
      [true, reason],
      [true, reason],
    ])
    expect(adapter.outcomes).toEqual([])
  })

  it('a stop after the attempt ended does not abort its signal; a job may set this.signal', async () => {
    const registry: Record<string, unknown> = {}
    const { jobs, options, stop } = setUp(registry)
    const contexts: JobContext[] = []
    const own = new AbortController().signal
    registry.DoneJob = jobs.createJob({
      queue: 'default',
      name: 'DoneJob',
      async perform(this: JobContext) {
        contexts.push(this)
      },
    })
    registry.SetsSignalJob = jobs.createJob({
      queue: 'default',
      name: 'SetsSignalJob',
      async perform(this: JobContext) {
        this.signal = own
        contexts.push(this)
      },
    })
    expect(await executeJob(storedJob(1, 'DoneJob'), options)).toBe('succeeded')
    expect(await executeJob(storedJob(2, 'SetsSignalJob'), options)).toBe('succeeded')
    stop.abort(new Error('stopped at once'))
    expect(contexts[0].signal.aborted).toBe(false)
    expect(contexts[1].signal).toBe(own)
    expect(Object.keys(contexts[0])).toEqual(['id', 'name', 'attempt', 'signal', 'logger'])
  })
})

describe('executeJob: a context the job froze or sealed', () => {
  it('still gives the signal, the same one on each read, aborted at maxRuntime', async () => {
    const registry: Record<string, unknown> = {}
    const { jobs, options, adapter } = setUp(registry, { maxRuntimeSeconds: 0.1 })
    const seen: Array<{ aborted: boolean; reason: unknown; same: boolean }> = []
    for (const [name, lock] of [['FreezesJob', (value: object) => Object.freeze(value)], ['SealsJob', (value: object) => Object.seal(value)]] as const) {
      registry[name] = jobs.createJob({
        queue: 'default',
        name,
        async perform(this: JobContext) {
          lock(this)
          await delay(150)
          seen.push({ aborted: this.signal.aborted, reason: this.signal.reason, same: this.signal === currentJob()?.signal })
        },
      })
    }
    expect(await executeJob(storedJob(1, 'FreezesJob'), options)).toBe('failed')
    expect(await executeJob(storedJob(2, 'SealsJob'), options)).toBe('failed')
    expect(adapter.outcomes).toEqual(['error 1', 'error 2'])
    expect(seen).toHaveLength(2)
    for (const each of seen) {
      expect(each).toMatchObject({ aborted: true, same: true })
      expect(each.reason).toBeInstanceOf(JobTimeoutError)
    }
  })
})

describe('executeJob: a perform that ignores its aborted signal', () => {
  it('is reminded about at most once a second, even with a maxRuntime far below that', async () => {
    const registry: Record<string, unknown> = {}
    const errors: string[] = []
    const logger: Logger = { ...quiet, error: (message: unknown) => void errors.push(String(message)) }
    const { jobs, options, adapter } = setUp(registry, { maxRuntimeSeconds: 0.01, logger })
    registry.DeafJob = jobs.createJob({
      queue: 'default',
      name: 'DeafJob',
      // Never reads this.signal: returns 2.5 s after its 10 ms maxRuntime.
      perform: () => delay(2_500),
    })
    expect(await executeJob(storedJob(1, 'DeafJob'), options)).toBe('failed')
    expect(adapter.outcomes).toEqual(['error 1'])
    const reminders = errors.filter((message) => message.includes('ignores its aborted signal'))
    // One when the wait starts, then one a second: 3 in 2.5 s (fewer if timers run late, never more).
    // A reminder every maxRuntime logged about 240 lines here.
    expect(reminders.length).toBeGreaterThanOrEqual(1)
    expect(reminders.length).toBeLessThanOrEqual(3)
  })
})

describe('logsAt', () => {
  it('is false only below the level of a guarded logger', () => {
    const guarded = guardLogger(quiet, 'warn')
    expect([logsAt(guarded, 'debug'), logsAt(guarded, 'info'), logsAt(guarded, 'warn'), logsAt(guarded, 'error')]).toEqual([false, false, true, true])
    expect(logsAt(quiet, 'debug')).toBe(true)
  })
})
