import { afterEach, describe, expect, it } from 'vitest'
import { InvalidBulkEntryError } from '../errors.js'
import { MemoryAdapter } from '../testing/memory-adapter.js'
import { clearScheduled, expectScheduled, scheduledJobs } from '../testing/scheduled.js'
import type { JobsAdapter, Logger } from '../types.js'
import { JobManager } from './job-manager.js'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

function setup(adapters: Record<string, JobsAdapter> = { memory: new MemoryAdapter() }, logger = silent) {
  const registry: Record<string, unknown> = {}
  const jobs = new JobManager({
    adapters,
    queues: ['default', 'email'] as const,
    logger,
    workers: [{ adapter: Object.keys(adapters)[0]!, queue: '*' }],
    jobs: () => registry,
  })
  const SignupJob = jobs.createJob({ queue: 'default', perform: (userId: number) => void userId })
  const OtherStoreJob = jobs.createJob({ queue: 'default', adapter: Object.keys(adapters).at(-1)!, perform: () => {} })
  const UnexportedJob = jobs.createJob({ queue: 'default', perform: () => {} })
  Object.assign(registry, { SignupJob, OtherStoreJob })
  return { later: jobs.createScheduler({ adapter: Object.keys(adapters)[0]! }), SignupJob, OtherStoreJob, UnexportedJob }
}

describe('later.many() through an adapter without scheduleMany', () => {
  afterEach(() => clearScheduled())

  it('stores the jobs one schedule() each, in order, and returns their ids in order', async () => {
    const adapter = new MemoryAdapter()
    const { later, SignupJob } = setup({ memory: adapter })
    const ids = await later.many(SignupJob, [[10], [11], [12]], { priority: 3 })
    expect(ids).toEqual([1, 2, 3])
    expect(adapter.rows().map((row) => [row.id, JSON.parse(row.handler).args, row.priority])).toEqual([
      [1, [10], 3],
      [2, [11], 3],
      [3, [12], 3],
    ])
  })

  it('tells the testing helpers about every job, as later() does', async () => {
    const { later, SignupJob } = setup()
    clearScheduled()
    await later.many(SignupJob, [[1], [2]])
    expectScheduled(SignupJob, [1])
    expectScheduled(SignupJob, [2])
    expect(scheduledJobs()).toHaveLength(2)
  })

  it('logs one debug line for the call, not one per job', async () => {
    const lines: unknown[][] = []
    const { later, SignupJob } = setup({ memory: new MemoryAdapter() }, { ...silent, debug: (...args) => lines.push(args) })
    await later.many(SignupJob, Array.from({ length: 20 }, (_, i) => [i] as [number]))
    expect(lines).toEqual([['[jobs-kit] scheduled 20 jobs (SignupJob), ids 1…20']])
  })
})

describe('later.many() refuses, before storing anything', () => {
  it('entries whose jobs are stored by different adapters: one call commits through one adapter', async () => {
    const first = new MemoryAdapter()
    const second = new MemoryAdapter()
    const { later, SignupJob, OtherStoreJob } = setup({ first, second })
    await expect(later.many([{ job: SignupJob, args: [1] }, { job: OtherStoreJob }])).rejects.toThrow(
      /entry 1 .*stored by adapter "second", entry 0's by "first".*Call later\.many\(\) once per adapter/,
    )
    expect([...first.rows(), ...second.rows()]).toEqual([])
  })

  it('db through an adapter that cannot store jobs in the caller\'s transaction, as later() refuses it', async () => {
    const adapter = new MemoryAdapter()
    Object.defineProperty(adapter, 'capabilities', { value: { ...adapter.capabilities, transactionalEnqueue: false } })
    const { later, SignupJob } = setup({ memory: adapter })
    await expect(later.many(SignupJob, [[1], [2]], { db: {} })).rejects.toThrow(/entry 0 .*cannot store a job inside your database transaction/)
    expect(adapter.rows()).toEqual([])
  })

  it('an entry that is not a job, a job missing from the jobs index, an item that is neither args nor { args, options }', async () => {
    const adapter = new MemoryAdapter()
    const { later, SignupJob, UnexportedJob } = setup({ memory: adapter })
    await expect(later.many([{ job: SignupJob, args: [1] }, { job: {} as never }])).rejects.toThrow(/entry 1 .*is not a job made by jobs\.createJob/)
    class LegacyJob {
      static performLater() {}
    }
    await expect(later.many([{ job: LegacyJob as never }])).rejects.toThrow(/entry 0 .*class-style \(RedwoodJob\), which later\.many\(\) does not take: schedule it with performLater\(\)/)
    const missing = await later.many([{ job: SignupJob, args: [1] }, { job: UnexportedJob }]).catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(InvalidBulkEntryError)
    expect((missing as InvalidBulkEntryError).index).toBe(1)
    await expect(later.many(SignupJob, [[1], 2 as never])).rejects.toThrow(/entry 1 .*the job's args \(\[1, 'x'\]\) or \{ args, options \}, got 2/)
    await expect(later.many(SignupJob, [{ args: [1], wait: 5 } as never])).rejects.toThrow(/entry 0 .*It has "wait"/)
    await expect(later.many(SignupJob, [[1]], { dbb: 1 } as never)).rejects.toThrow(/unknown option "dbb" in the call's options/)
    await expect(later.many(SignupJob, 'x' as never)).rejects.toThrow(/give a job and a list of its args/)
    expect(adapter.rows()).toEqual([])
  })
})
