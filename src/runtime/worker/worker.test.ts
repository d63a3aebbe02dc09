/**
 * The worker loop in this process, against the real PrismaAdapter on real
 * SQLite, PostgreSQL and MariaDB databases. The process-level behaviour
 * (signals, pid files, several processes) is in test/runtime-processes/.
 */
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { currentJob } from '../manager/current-job.js'
import { JobManager, PrismaAdapter } from '../index.js'
import type { JobContext, Logger } from '../types.js'
import { Worker, type WorkerOptions } from './worker.js'

interface LogCall {
  level: keyof Logger
  args: unknown[]
}

function recordingLogger(): { logger: Logger; calls: LogCall[] } {
  const calls: LogCall[] = []
  const make = (level: keyof Logger) => (...args: unknown[]) => void calls.push({ level, args })
  return { logger: { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') }, calls }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(TEST_PROVIDERS)('Worker on %s', (provider) => {
  let database: TestDatabase
  let adapter: PrismaAdapter
  let log: ReturnType<typeof recordingLogger>
  const ran: string[] = []
  const contexts: JobContext[] = []
  let inFlight = 0
  let maxInFlight = 0

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await database.db.backgroundJob.deleteMany({})
    adapter = new PrismaAdapter({ db: database.db })
    log = recordingLogger()
    ran.length = 0
    contexts.length = 0
    inFlight = 0
    maxInFlight = 0
  })

  function makeJobs() {
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default'] as const,
      logger: log.logger,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
    })
    Object.assign(registry, {
      RecordJob: jobs.createJob({
        queue: 'default',
        perform: async function (this: JobContext, key: string) {
          contexts.push(this)
          expect(currentJob()).toBe(this)
          ran.push(key)
        },
      }),
      SlowJob: jobs.createJob({
        queue: 'default',
        perform: async function (this: JobContext, key: string, ms: number) {
          inFlight += 1
          maxInFlight = Math.max(maxInFlight, inFlight)
          try {
            await new Promise<void>((resolve, reject) => {
              const timer = setTimeout(resolve, ms)
              this.signal.addEventListener('abort', () => {
                clearTimeout(timer)
                reject(this.signal.reason)
              })
            })
            ran.push(key)
          } finally {
            inFlight -= 1
          }
        },
      }),
      StuckJob: jobs.createJob({
        queue: 'default',
        perform: async () => {
          ran.push('stuck started')
          await new Promise(() => {})
        },
      }),
      IgnoresSignalJob: jobs.createJob({
        queue: 'default',
        // Does its work whatever its signal says, as code that never reads it does.
        perform: async (key: string, ms: number) => {
          inFlight += 1
          maxInFlight = Math.max(maxInFlight, inFlight)
          ran.push(key)
          try {
            await delay(ms)
          } finally {
            inFlight -= 1
          }
        },
      }),
      ThrowStringJob: jobs.createJob({
        queue: 'default',
        perform: async () => {
          throw 'oops'
        },
      }),
      FailOnceJob: jobs.createJob({
        queue: 'default',
        perform: async (key: string) => {
          ran.push(key)
          if (ran.filter((each) => each === key).length === 1) throw new Error(`${key} fails its first attempt`)
        },
      }),
      ThrowUnstorableJob: jobs.createJob({
        queue: 'default',
        perform: async (kind: string) => {
          ran.push(kind)
          throw new Error(kind === 'nul' ? 'a NUL \u0000 in the message' : 'y'.repeat(70_000))
        },
      }),
    })
    return jobs
  }

  async function schedule(name: string, args: unknown[], options: { priority?: number } = {}): Promise<number> {
    return adapter.schedule({ handler: { name, path: `${name}/${name}`, args }, queue: 'default', priority: options.priority ?? 50, runAt: new Date() })
  }

  function worker(overrides: Partial<WorkerOptions> = {}): Worker {
    const jobs = makeJobs()
    return workoffWorker({
      adapter,
      loadJob: (name) => jobs.loadJob(name),
      logger: log.logger,
      ...overrides,
    })
  }

  const rows = () => database.db.backgroundJob.findMany({ orderBy: { id: 'asc' } })

  it('works off due jobs in priority order, passes the job context, deletes them, and logs single strings', async () => {
    const lowId = await schedule('RecordJob', ['low'], { priority: 90 })
    await schedule('RecordJob', ['high'], { priority: 10 })
    expect(await worker().run()).toBe('done')
    expect(ran).toEqual(['high', 'low'])
    expect(contexts[1]).toMatchObject({ id: lowId, name: 'RecordJob', attempt: 1 })
    expect(contexts[1].signal).toBeInstanceOf(AbortSignal)
    expect(await rows()).toEqual([])
    expect(log.calls.length).toBeGreaterThan(0)
    expect(log.calls.every((call) => call.args.length === 1 && typeof call.args[0] === 'string')).toBe(true)
    expect(log.calls.some((call) => call.level === 'info' && String(call.args[0]).includes('RecordJob') && String(call.args[0]).includes('succeeded'))).toBe(true)
  })

  it('fails a job missing from the registry with a clear lastError and retries it', async () => {
    await schedule('GoneJob', [])
    const ranAfter = Date.now()
    await worker().run()
    const [row] = await rows()
    expect(row.lastError).toContain('job GoneJob is not in the registry (export it from your jobs index')
    expect(row).toMatchObject({ attempts: 1, lockedBy: null, failedAt: null })
    // Retried after the first backoff (1 s from when it failed), however long the write of that took on a loaded machine.
    expect(row.runAt.getTime()).toBeGreaterThanOrEqual(ranAfter + 1000)
  })

  it('gives up a row whose handler is not JSON at once, without crashing', async () => {
    await database.db.backgroundJob.create({ data: { handler: 'not json', queue: 'default', priority: 50, runAt: new Date() } })
    await schedule('RecordJob', ['after'])
    expect(await worker().run()).toBe('done')
    const [row] = await rows()
    expect(row.lastError).toContain('has an unreadable handler (not JSON')
    expect(row.failedAt).toBeInstanceOf(Date)
    expect(ran).toEqual(['after'])
  })

  it('wraps a thrown non-error, and gives the job up at maxAttempts', async () => {
    const id = await schedule('ThrowStringJob', [])
    for (let attempt = 1; attempt <= 3; attempt++) {
      await worker().run()
      await database.db.backgroundJob.updateMany({ where: { id }, data: { runAt: new Date() } })
    }
    const [row] = await rows()
    expect(row.attempts).toBe(3)
    expect(row.lastError).toContain('a non-error was thrown: oops')
    expect(row.failedAt).toBeInstanceOf(Date)
    expect(log.calls.some((call) => call.level === 'error' && String(call.args[0]).includes('given up'))).toBe(true)
  })

  it('runs a job once with deleteSuccessfulJobs false, keeping its row as done', async () => {
    const id = await schedule('RecordJob', ['kept'])
    // work mode, not workoff: the worker keeps polling, so a row the due rule
    // still took for due would run again within a few sleepDelays.
    const running = worker({ deleteSuccessfulJobs: false, mode: 'work' })
    const exit = running.run()
    const deadline = Date.now() + 10_000
    while (ran.length === 0 && Date.now() < deadline) await delay(20)
    await delay(500)
    running.stop()
    expect(await exit).toBe('stopped')
    expect(ran).toEqual(['kept'])
    const [row] = await rows()
    expect(row).toMatchObject({ id, attempts: 1, lockedBy: null, lockedAt: null, failedAt: null, runAt: null })
    expect(await adapter.status()).toEqual([{ queue: 'default', waiting: 0, scheduled: 0, running: 0, failed: 0, succeeded: 1 }])
  })

  it('deletes a given-up job with deleteFailedJobs', async () => {
    await schedule('ThrowStringJob', [])
    await worker({ maxAttempts: 1, deleteFailedJobs: true }).run()
    expect(await rows()).toEqual([])
  })

  it('aborts a job that overruns maxRuntime and records the timeout; one that ignores its signal keeps its slot and lock', async () => {
    const stuck = await schedule('StuckJob', [], { priority: 1 })
    const aborted = await schedule('SlowJob', ['aborted', 10_000], { priority: 2 })
    await schedule('RecordJob', ['after'], { priority: 3 })
    const w = worker({ maxRuntimeSeconds: 0.3, concurrency: 2, mode: 'work' })
    const running = w.run()
    const deadline = Date.now() + 10_000
    while (!ran.includes('after') && Date.now() < deadline) await delay(50)
    await delay(300)
    // The stuck perform never returns: only a stop at once ends the worker.
    w.stop({ atOnce: true })
    expect(await running).toBe('stopped-at-once')
    expect(ran).toEqual(['stuck started', 'after'])
    const byId = new Map<number, any>((await rows()).map((row: { id: number }) => [row.id, row]))
    expect(byId.get(aborted)).toMatchObject({ lockedBy: null })
    expect(byId.get(aborted).lastError).toContain('ran longer than maxRuntime (0.3 s) and was aborted')
    // Not failed and retried beside a run that may still be going: still held, no error recorded.
    expect(byId.get(stuck)).toMatchObject({ lockedBy: 'test-host:jobs-kit-worker.all.0', lastError: null, attempts: 1 })
    expect(log.calls.some((call) => call.level === 'error' && String(call.args[0]).includes('ignores its aborted signal'))).toBe(true)
  })

  it('runs up to `concurrency` jobs at once', async () => {
    for (let index = 0; index < 6; index++) await schedule('SlowJob', [`s${index}`, 200])
    await worker({ concurrency: 3 }).run()
    expect(maxInFlight).toBe(3)
    expect(ran.sort()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5'])
    expect(await rows()).toEqual([])
  })

  it('renews the lock while a job runs, so another worker does not take it as stale', async () => {
    // Stale after 2 s, heartbeat every 0.5 s.
    const id = await schedule('SlowJob', ['long', 1800])
    const running = worker({ lockTiming: { staleAfterSeconds: 2, heartbeatIntervalSeconds: 0.5 } }).run()
    await delay(300)
    const [before] = await rows()
    expect(before.lockedBy).toBe('test-host:jobs-kit-worker.all.0')
    await delay(1300)
    const [after] = await rows()
    expect(after.lockedAt.getTime()).toBeGreaterThan(before.lockedAt.getTime())
    // Locked 1.6 s ago, so stale for a 1 s threshold unless renewed meanwhile.
    const other = new PrismaAdapter({ db: database.db })
    expect(await other.find({ processName: 'other:jobs-kit-worker.all.1', staleAfterSeconds: 1, queues: '*' })).toEqual([])
    expect(await running).toBe('done')
    expect(ran).toEqual(['long'])
    expect((await rows()).find((row: { id: number }) => row.id === id)).toBeUndefined()
  })

  it('on stop() finishes the job in hand and takes no new one', async () => {
    await schedule('SlowJob', ['in hand', 500], { priority: 1 })
    await schedule('RecordJob', ['not taken'], { priority: 2 })
    const w = worker({ mode: 'work' })
    const running = w.run()
    await delay(200)
    w.stop()
    expect(await running).toBe('stopped')
    expect(ran).toEqual(['in hand'])
    expect((await rows()).map((row: { handler: string }) => JSON.parse(row.handler).name)).toEqual(['RecordJob'])
  })

  it('on stop({ atOnce }) aborts the job and returns at once, leaving the row locked for a restart', async () => {
    await schedule('StuckJob', [])
    const w = worker({ mode: 'work' })
    const running = w.run()
    await delay(300)
    w.stop({ atOnce: true })
    expect(await running).toBe('stopped-at-once')
    const [row] = await rows()
    expect(row).toMatchObject({ lockedBy: 'test-host:jobs-kit-worker.all.0', lastError: null, attempts: 1 })
  })

  it('keeps working when the logger throws', async () => {
    const throwing: Logger = {
      debug: () => {
        throw new Error('broken logger')
      },
      info: () => {
        throw new Error('broken logger')
      },
      warn: () => {
        throw new Error('broken logger')
      },
      error: () => {
        throw new Error('broken logger')
      },
    }
    await schedule('RecordJob', ['logged'])
    await schedule('ThrowStringJob', [])
    expect(await worker({ logger: throwing }).run()).toBe('done')
    expect(ran).toEqual(['logged'])
  })

  it('clears the jobs of its queues in clear mode', async () => {
    await schedule('RecordJob', ['a'])
    await schedule('RecordJob', ['b'])
    expect(await worker({ mode: 'clear' }).run()).toBe('done')
    expect(await rows()).toEqual([])
    expect(ran).toEqual([])
  })

  it('runs every job of a retry storm: no job is stranded by a retry racing a find (concurrency 4)', async () => {
    // 200 jobs failing their first attempt, one worker running 4 at a time:
    // each failed attempt's write raced the worker's other finds, and a few
    // jobs were left due but never run again.
    const keys = Array.from({ length: 200 }, (_, index) => `retry-${index}`)
    for (const key of keys) await schedule('FailOnceJob', [key])
    const w = worker({ mode: 'work', concurrency: 4, sleepDelaySeconds: 0.2 })
    const running = w.run()
    const deadline = Date.now() + 40_000
    while ((await database.db.backgroundJob.count()) > 0 && Date.now() < deadline) await delay(200)
    w.stop()
    expect(await running).toBe('stopped')
    expect(await rows()).toEqual([])
    for (const key of keys) expect(ran.filter((each) => each === key)).toHaveLength(2)
  }, 60_000)

  it.each(['nul', 'huge'])('retries a job whose error the database would refuse (%s) on the backoff, never in a loop', async (kind) => {
    const id = await schedule('ThrowUnstorableJob', [kind])
    const w = worker({ mode: 'work', sleepDelaySeconds: 0.05, maxAttempts: 3 })
    const running = w.run()
    await delay(2500)
    w.stop()
    await running
    // Attempt 1 at once, attempt 2 after 1 s, attempt 3 only after 16 s more.
    expect(ran).toEqual([kind, kind])
    const [row] = await rows()
    expect(row).toMatchObject({ id, attempts: 2, lockedBy: null, failedAt: null })
    expect(row.lastError).toContain(kind === 'nul' ? 'a NUL \\0 in the message' : 'y'.repeat(1000))
  })

  it('keeps a job whose failure cannot be recorded, without running it again, until its lock is stale', async () => {
    const id = await schedule('ThrowUnstorableJob', ['refused'])
    const refusing = Object.assign(Object.create(adapter) as PrismaAdapter, {
      error: async () => {
        throw new Error('the database is down')
      },
    })
    const w = worker({ adapter: refusing, mode: 'work', sleepDelaySeconds: 0.05, statusWriteRetryDelaysSeconds: [0.1, 0.1] })
    const running = w.run()
    await delay(1500)
    w.stop()
    await running
    expect(ran).toEqual(['refused'])
    const [row] = await rows()
    expect(row).toMatchObject({ id, attempts: 1, lockedBy: 'test-host:jobs-kit-worker.all.0' })
    const tries = log.calls.filter((call) => String(call.args[0]).includes('could not record a job'))
    expect(tries).toHaveLength(2)
    expect(log.calls.some((call) => call.level === 'error' && String(call.args[0]).includes('stays locked and runs again once its lock is stale'))).toBe(true)
  })

  it('gives up without running a job claimed for more runs than maxAttempts', async () => {
    // Three runs whose outcomes were never recorded: the row is locked, stale, at attempts 3.
    const id = await schedule('RecordJob', ['never'])
    await database.db.backgroundJob.updateMany({
      where: { id },
      data: { attempts: 3, lockedBy: 'test-host:jobs-kit-worker.all.0', lockedAt: new Date(Date.now() - 120_000) },
    })
    expect(await worker({ maxAttempts: 3 }).run()).toBe('done')
    expect(ran).toEqual([])
    const [row] = await rows()
    expect(row).toMatchObject({ id, attempts: 4, lockedBy: null })
    expect(row.failedAt).toBeInstanceOf(Date)
    expect(row.lastError).toContain('was given up without running attempt 4: maxAttempts is 3')
  })

  it('never runs more than `concurrency` jobs when a finishing job finds while the loop is finding too', async () => {
    // The loop's second find (for the one free slot) is slow; meanwhile the
    // running job succeeds and finds the next jobs in the same step. Both used
    // to count the same free slot: 3 jobs ran with concurrency 2.
    let finds = 0
    const slowSecondFind = Object.assign(Object.create(adapter) as PrismaAdapter, {
      find: async (input: Parameters<PrismaAdapter['find']>[0]) => {
        finds += 1
        if (finds === 2) await delay(700)
        return adapter.find(input)
      },
    })
    await schedule('SlowJob', ['first', 300])
    const w = worker({ adapter: slowSecondFind, mode: 'work', concurrency: 2, sleepDelaySeconds: 0.05 })
    const running = w.run()
    await delay(100)
    for (const key of ['b', 'c', 'd']) await schedule('SlowJob', [key, 400])
    const deadline = Date.now() + 10_000
    while (ran.length < 4 && Date.now() < deadline) await delay(50)
    w.stop()
    await running
    expect(ran.sort()).toEqual(['b', 'c', 'd', 'first'])
    expect(maxInFlight).toBe(2)
  })

  it('never runs a job beside its own overrun run that ignores its signal', async () => {
    // maxRuntime 1 s: the first run is failed at 1 s and retried at 2 s
    // (backoff 1⁴ s), but its perform goes on until 2.5 s. The retry must not
    // start while it does: that is one job running twice at once, and one
    // more job in flight than `concurrency`.
    await schedule('IgnoresSignalJob', ['overrun', 2500])
    const w = worker({ mode: 'work', maxRuntimeSeconds: 1, concurrency: 1 })
    const running = w.run()
    await delay(4000)
    w.stop()
    await running
    await delay(2600)
    expect(ran.length).toBeGreaterThanOrEqual(1)
    expect(maxInFlight).toBe(1)
  })

  it('does not spin re-claiming its own running job when the clock steps back while it runs', async () => {
    // The system clock steps back (NTP correcting a VM's clock soon after boot,
    // a restored snapshot) shortly after the worker started, while a job runs:
    // every lock this worker writes from then on (the heartbeat's, a claim's)
    // is earlier than its start, and the due rule takes such locks for an
    // earlier run's of this worker. It then claims its own running job on
    // every find (attempts + 1 each), skips it as already in hand, counts it
    // as started and finds again at once: measured 233 finds a second on
    // PostgreSQL (attempts 258 after 1.5 s), 115 on MariaDB, and on SQLite a
    // loop that starves the event loop.
    let finds = 0
    const counting = Object.assign(Object.create(adapter) as PrismaAdapter, {
      find: async (input: Parameters<PrismaAdapter['find']>[0]) => {
        finds += 1
        // Caps the spin so the test ends (a failed find makes the worker sleep).
        if (finds > 500) throw new Error('spinning: over 500 finds')
        return adapter.find(input)
      },
    })
    const id = await schedule('SlowJob', ['held', 2500])
    // Due for a few minutes already: the step back does not make it "not yet due".
    await database.db.backgroundJob.updateMany({ where: { id }, data: { runAt: new Date(Date.now() - 300_000) } })
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now(), shouldAdvanceTime: true })
    try {
      const w = worker({
        adapter: counting,
        mode: 'work',
        concurrency: 2,
        sleepDelaySeconds: 0.2,
        lockTiming: { staleAfterSeconds: 60, heartbeatIntervalSeconds: 0.2 },
      })
      const running = w.run()
      while (inFlight === 0) await delay(20)
      vi.setSystemTime(Date.now() - 30_000)
      await delay(1500)
      const findsAfterStep = finds
      w.stop()
      await running
      const takenAgain = log.calls.filter((call) => String(call.args[0]).includes('again while running it')).length
      // Polling every 0.2 s for 1.5 s: under 20 finds, and the running job claimed again at most once.
      expect({ spinning: findsAfterStep > 20, takenAgain }).toEqual({ spinning: false, takenAgain: expect.toSatisfy((n: number) => n <= 1) })
    } finally {
      vi.useRealTimers()
    }
  })

  it('starts no job a find returns after stop(), and gives it back unlocked', async () => {
    const id = await schedule('RecordJob', ['late'])
    let stopWorker = () => {}
    const slowFind = Object.assign(Object.create(adapter) as PrismaAdapter, {
      find: async (input: Parameters<PrismaAdapter['find']>[0]) => {
        const found = await adapter.find(input)
        stopWorker()
        return found
      },
    })
    const w = worker({ adapter: slowFind, mode: 'work' })
    stopWorker = () => w.stop()
    expect(await w.run()).toBe('stopped')
    expect(ran).toEqual([])
    const [row] = await rows()
    expect(row).toMatchObject({ id, attempts: 0, lockedBy: null, lockedAt: null })
  })

  it('does not call perform once stopped at once, even for a job already found', async () => {
    await schedule('RecordJob', ['abandoned'])
    let stopWorker = () => {}
    const jobs = makeJobs()
    const w = worker({
      mode: 'work',
      loadJob: async (name) => {
        stopWorker()
        return jobs.loadJob(name)
      },
    })
    stopWorker = () => w.stop({ atOnce: true })
    expect(await w.run()).toBe('stopped-at-once')
    await delay(200)
    expect(ran).toEqual([])
    expect(contexts).toEqual([])
  })
})
