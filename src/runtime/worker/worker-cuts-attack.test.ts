/**
 * Attacks on the worker's per-job CPU cuts (lazy attempt signal, one stop
 * listener per worker, one promise per race, options made once, one shared
 * "a job finished" promise, `logsAt`, no await of absent hooks, findJob
 * without load() once loaded), with the real worker and PrismaAdapter on real
 * SQLite, PostgreSQL and MariaDB databases.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { JobManager, JobTimeoutError, PrismaAdapter, RedwoodJob } from '../index.js'
import { currentJob } from '../manager/current-job.js'
import type { JobContext, JobFailure, LifecycleHooks, Logger } from '../types.js'
import { guardLogger } from './guard-logger.js'
import { Worker, type WorkerOptions } from './worker.js'

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await delay(10)
  }
}

interface LogCall {
  level: keyof Logger
  message: string
}

describe.each(TEST_PROVIDERS)('worker cuts under attack on %s', (provider) => {
  let database: TestDatabase
  let adapter: PrismaAdapter
  const logs: LogCall[] = []
  const events: string[] = []
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => void unhandled.push(reason)
  const userLogger: Logger = {
    debug: (message: unknown) => void logs.push({ level: 'debug', message: String(message) }),
    info: (message: unknown) => void logs.push({ level: 'info', message: String(message) }),
    warn: (message: unknown) => void logs.push({ level: 'warn', message: String(message) }),
    error: (message: unknown) => void logs.push({ level: 'error', message: String(message) }),
  }

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    process.on('unhandledRejection', onUnhandled)
  })
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled)
    await database?.drop()
  })
  beforeEach(async () => {
    await database.db.backgroundJob.deleteMany({})
    adapter = new PrismaAdapter({ db: database.db })
    logs.length = 0
    events.length = 0
    unhandled.length = 0
  })
  afterEach(async () => {
    // Give a late rejection a chance to surface as unhandled.
    await delay(30)
    expect(unhandled).toEqual([])
  })

  const rows = () => database.db.backgroundJob.findMany({ orderBy: { id: 'asc' } })

  function manager(registry: Record<string, unknown>, hooks?: LifecycleHooks, loader?: () => unknown) {
    return new JobManager({
      adapters: { prisma: adapter },
      queues: ['default'] as const,
      logger: userLogger,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: loader ?? (() => registry),
      ...(hooks && { hooks }),
    })
  }

  function worker(jobs: ReturnType<typeof manager>, overrides: Partial<WorkerOptions> & { level?: 'debug' | 'info' | 'warn' | 'error' } = {}): Worker {
    const { level, ...rest } = overrides
    return new Worker({
      adapter,
      loadJob: (name) => jobs.loadJob(name),
      hooks: jobs.hooks,
      processName: `attack-host:jobs-kit-worker.all.0`,
      queues: '*',
      maxAttempts: 3,
      maxRuntimeSeconds: 30,
      sleepDelaySeconds: 0.05,
      deleteFailedJobs: false,
      deleteSuccessfulJobs: true,
      concurrency: 1,
      mode: 'workoff',
      statusWriteRetryDelaysSeconds: [],
      ...rest,
      logger: guardLogger(userLogger, level ?? 'debug'),
    })
  }

  function schedule(name: string, args: unknown[] = []): Promise<number> {
    return adapter.schedule({ handler: { name, path: `${name}/${name}`, args }, queue: 'default', priority: 50, runAt: new Date() })
  }

  it('a job that reads its signal only after maxRuntime sees it aborted by the timeout, and the attempt is one timeout failure', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = manager(registry)
    const seen: Array<{ aborted: boolean; reason: unknown; same: boolean; lateListenerFired: boolean }> = []
    registry.LateReaderJob = jobs.createJob({
      queue: 'default',
      name: 'LateReaderJob',
      async perform(this: JobContext) {
        await delay(400)
        const signal = this.signal
        let lateListenerFired = false
        signal.addEventListener('abort', () => (lateListenerFired = true))
        await delay(10)
        seen.push({ aborted: signal.aborted, reason: signal.reason, same: currentJob()?.signal === signal, lateListenerFired })
      },
    })
    const id = await schedule('LateReaderJob')
    expect(await worker(jobs, { maxRuntimeSeconds: 0.15 }).run()).toBe('done')
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ aborted: true, same: true, lateListenerFired: false })
    expect(seen[0].reason).toBeInstanceOf(JobTimeoutError)
    const [row] = await rows()
    expect(row).toMatchObject({ id, attempts: 1, lockedBy: null, failedAt: null })
    expect(row.lastError).toContain('JobTimeoutError')
  })

  it('a signal stored at the start and listened to fires once, at the timeout, and the timeout (not the AbortError) is recorded', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = manager(registry)
    const fired: unknown[] = []
    registry.ListenerJob = jobs.createJob({
      queue: 'default',
      name: 'ListenerJob',
      perform(this: JobContext) {
        const stored = this.signal
        stored.addEventListener('abort', () => fired.push(stored.reason))
        return new Promise<void>((_, reject) => stored.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
      },
    })
    await schedule('ListenerJob')
    expect(await worker(jobs, { maxRuntimeSeconds: 0.15 }).run()).toBe('done')
    expect(fired).toHaveLength(1)
    expect(fired[0]).toBeInstanceOf(JobTimeoutError)
    const [row] = await rows()
    expect(row.lastError).toContain('JobTimeoutError')
    expect(row.lastError).not.toContain('AbortError')
  })

  it('records each non-Error throw and late rejection once, with no unhandled rejection, at concurrency 10', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = manager(registry)
    const values: Record<string, () => unknown> = {
      string: () => 'a string',
      undefined: () => undefined,
      null: () => null,
      number: () => 42,
      object: () => ({ code: 'E_OBJ' }),
      symbol: () => Symbol('sym'),
      error: () => new Error('an error'),
    }
    registry.ThrowsJob = jobs.createJob({
      queue: 'default',
      name: 'ThrowsJob',
      perform(kind: string, how: 'sync' | 'late') {
        events.push(`${kind} ${how}`)
        if (how === 'sync') throw values[kind]()
        return new Promise((_, reject) => setTimeout(() => reject(values[kind]()), 80))
      },
    })
    // Ignores its signal and rejects well after its maxRuntime: the timeout is recorded, the late rejection observed.
    registry.RejectsAfterTimeoutJob = jobs.createJob({
      queue: 'default',
      name: 'RejectsAfterTimeoutJob',
      perform: () => new Promise((_, reject) => setTimeout(() => reject('late string'), 500)),
    })
    for (const kind of Object.keys(values)) for (const how of ['sync', 'late']) await schedule('ThrowsJob', [kind, how])
    await schedule('RejectsAfterTimeoutJob')
    expect(await worker(jobs, { concurrency: 10, maxRuntimeSeconds: 0.3 }).run()).toBe('done')
    expect(events).toHaveLength(14)
    const stored = await rows()
    expect(stored).toHaveLength(15)
    for (const row of stored) {
      expect(row).toMatchObject({ attempts: 1, lockedBy: null, lockedAt: null, failedAt: null })
      expect(row.lastError).toBeTruthy()
    }
    expect(stored[14].lastError).toContain('JobTimeoutError')
    expect(logs.filter((call) => call.level === 'warn' && call.message.includes('failed on attempt 1'))).toHaveLength(15)
  })

  it('config, job and class-style hooks each run once, in order, with the right args', async () => {
    const registry: Record<string, unknown> = {}
    const hook = (label: string) =>
      function (this: JobContext | RedwoodJob, ...args: unknown[]) {
        const context = this instanceof RedwoodJob ? this.context! : this
        const shown = label.endsWith('afterFailure') ? [(args[0] as JobFailure).error.message, (args[0] as JobFailure).willRetry, ...args.slice(1)] : args
        events.push(`${label} ${context.name}#${context.id} ${JSON.stringify(shown)}`)
      }
    const jobs = manager(registry, {
      beforePerform: hook('config.before'),
      afterPerform: hook('config.after'),
      afterSuccess: hook('config.afterSuccess'),
      afterFailure: hook('config.afterFailure'),
    })
    registry.FnJob = jobs.createJob({
      queue: 'default',
      name: 'FnJob',
      beforePerform: hook('job.before'),
      afterPerform: hook('job.after'),
      afterSuccess: hook('job.afterSuccess'),
      afterFailure: hook('job.afterFailure'),
      perform(this: JobContext, ok: boolean) {
        events.push(`perform ${this.name}#${this.id} ${JSON.stringify([ok])}`)
        if (!ok) throw new Error('no')
      },
    })
    class ClassJob extends RedwoodJob {
      static queue = 'default'
      async beforePerform(...args: unknown[]) {
        hook('class.before').apply(this, args)
      }
      async perform(ok: boolean) {
        events.push(`perform ${this.context!.name}#${this.context!.id} ${JSON.stringify([ok])}`)
        if (!ok) throw 'class no'
      }
      afterPerform(...args: unknown[]) {
        hook('class.after').apply(this, args)
      }
      afterSuccess(...args: unknown[]) {
        hook('class.afterSuccess').apply(this, args)
      }
      async afterFailure(...args: unknown[]) {
        await delay(5)
        hook('class.afterFailure').apply(this, args)
      }
    }
    registry.ClassJob = ClassJob
    const a = await schedule('FnJob', [true])
    const b = await schedule('ClassJob', [true])
    const c = await schedule('FnJob', [false])
    const d = await schedule('ClassJob', [false])
    expect(await worker(jobs).run()).toBe('done')
    const expectedFor = (name: string, id: number, ok: boolean, prefix: string, error: string) => [
      `config.before ${name}#${id} [${ok}]`,
      `${prefix}.before ${name}#${id} [${ok}]`,
      `perform ${name}#${id} [${ok}]`,
      ...(ok
        ? [`${prefix}.after ${name}#${id} [${ok}]`, `config.after ${name}#${id} [${ok}]`, `${prefix}.afterSuccess ${name}#${id} [${ok}]`, `config.afterSuccess ${name}#${id} [${ok}]`]
        : [`${prefix}.afterFailure ${name}#${id} [${JSON.stringify(error)},true,${ok}]`, `config.afterFailure ${name}#${id} [${JSON.stringify(error)},true,${ok}]`]),
    ]
    expect(events).toEqual([
      ...expectedFor('FnJob', a, true, 'job', ''),
      ...expectedFor('ClassJob', b, true, 'class', ''),
      ...expectedFor('FnJob', c, false, 'job', 'no'),
      ...expectedFor('ClassJob', d, false, 'class', 'a non-error was thrown: class no'),
    ])
  })

  it('a logger set to warn drops debug and info but prints every warning and error', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = manager(registry)
    registry.OkJob = jobs.createJob({ queue: 'default', name: 'OkJob', perform: async () => {} })
    registry.BadJob = jobs.createJob({ queue: 'default', name: 'BadJob', perform: async () => { throw new Error('bad') } })
    registry.SlowJob = jobs.createJob({ queue: 'default', name: 'SlowJob', perform: () => delay(300) })
    await schedule('OkJob')
    const bad = await schedule('BadJob')
    await schedule('SlowJob')
    await schedule('MissingJob')
    await database.db.backgroundJob.update({ where: { id: bad }, data: { attempts: 2 } })
    expect(await worker(jobs, { level: 'warn', maxRuntimeSeconds: 0.1 }).run()).toBe('done')
    expect(logs.filter((call) => call.level === 'debug' || call.level === 'info')).toEqual([])
    const text = logs.map((call) => `${call.level}: ${call.message}`)
    expect(text.some((line) => line.startsWith('error:') && line.includes('BadJob') && line.includes('given up'))).toBe(true)
    expect(text.some((line) => line.startsWith('error:') && line.includes('SlowJob') && line.includes('ignores its aborted signal'))).toBe(true)
    expect(text.some((line) => line.startsWith('warn:') && line.includes('SlowJob') && line.includes('failed on attempt 1'))).toBe(true)
    expect(text.some((line) => line.startsWith('warn:') && line.includes('MissingJob') && line.includes('failed on attempt 1'))).toBe(true)
    // The same run at the default level logs the success.
    await schedule('OkJob')
    expect(await worker(jobs).run()).toBe('done')
    expect(logs.some((call) => call.level === 'info' && call.message.includes('OkJob') && call.message.includes('succeeded'))).toBe(true)
  })

  it('a jobs index that fails to load the first time (a CommonJS index runs again): loaded again at once, the jobs in hand run, none charged', async () => {
    const registry: Record<string, unknown> = {}
    let loads = 0
    const jobs = manager(registry, undefined, async () => {
      loads += 1
      await delay(20)
      // A new error each time, as a CommonJS index that Node runs again throws.
      if (loads === 1) throw new Error('SyntaxError in jobs/index.ts')
      return registry
    })
    registry.OkJob = jobs.createJob({ queue: 'default', name: 'OkJob', perform: async (n: number) => void events.push(`ran ${n}`) })
    for (let n = 0; n < 5; n++) await schedule('OkJob', [n])
    expect(await worker(jobs, { concurrency: 5 }).run()).toBe('done')
    // Five jobs in hand retried the failed load at once: one load for them all, not one each.
    expect(loads).toBe(2)
    expect(events.sort()).toEqual(['ran 0', 'ran 1', 'ran 2', 'ran 3', 'ran 4'])
    expect(await rows()).toEqual([])
    // Loaded: later runs never call the loader again.
    await schedule('OkJob', [5])
    expect(await worker(jobs).run()).toBe('done')
    expect(loads).toBe(2)
  })

  it('concurrency 10, stop() mid-run: finishes the 10 in hand, takes nothing new, loses nothing', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = manager(registry)
    let inFlight = 0
    let maxInFlight = 0
    const started: number[] = []
    const finished: number[] = []
    registry.WorkJob = jobs.createJob({
      queue: 'default',
      name: 'WorkJob',
      async perform(this: JobContext, n: number, readsSignal: boolean) {
        inFlight += 1
        maxInFlight = Math.max(maxInFlight, inFlight)
        started.push(n)
        try {
          await delay(150 + (n % 3) * 50)
          if (readsSignal && this.signal.aborted) throw new Error('aborted by a graceful stop')
          finished.push(n)
        } finally {
          inFlight -= 1
        }
      },
    })
    for (let n = 0; n < 40; n++) await schedule('WorkJob', [n, n % 2 === 0])
    const w = worker(jobs, { concurrency: 10, mode: 'work' })
    const running = w.run()
    await waitUntil('10 jobs in hand', () => started.length >= 10)
    w.stop()
    expect(await running).toBe('stopped')
    expect(maxInFlight).toBeLessThanOrEqual(10)
    expect(finished.sort((x, y) => x - y)).toEqual(started.sort((x, y) => x - y))
    const left = await rows()
    expect(left).toHaveLength(40 - finished.length)
    for (const row of left) expect(row).toMatchObject({ attempts: 0, lockedBy: null, lastError: null })
    // A second worker takes the rest.
    const again = worker(jobs, { concurrency: 10 })
    expect(await again.run()).toBe('done')
    expect(await rows()).toEqual([])
    expect(new Set(finished).size).toBe(40)
    expect(finished).toHaveLength(40)
  })

  it('stop() then stop({ atOnce }) with jobs that never settle: returns at once, jobs that read their signal late see the stop reason, rows stay locked', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = manager(registry)
    const contexts: JobContext[] = []
    const listened: unknown[] = []
    registry.NeverJob = jobs.createJob({
      queue: 'default',
      name: 'NeverJob',
      perform(this: JobContext, kind: string) {
        contexts.push(this)
        if (kind === 'listens') this.signal.addEventListener('abort', () => listened.push(currentJob()?.id ?? 'outside'))
        return new Promise(() => {})
      },
    })
    for (let n = 0; n < 6; n++) await schedule('NeverJob', [n % 2 === 0 ? 'listens' : 'blind'])
    const w = worker(jobs, { concurrency: 10, mode: 'work', maxRuntimeSeconds: 60 })
    const running = w.run()
    await waitUntil('6 jobs in hand', () => contexts.length === 6)
    w.stop()
    await delay(200)
    // No spin while waiting for jobs that never settle.
    const cpuBefore = process.cpuUsage()
    await delay(500)
    const cpu = process.cpuUsage(cpuBefore)
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(150)
    const startedWaiting = Date.now()
    w.stop({ atOnce: true })
    expect(await running).toBe('stopped-at-once')
    expect(Date.now() - startedWaiting).toBeLessThan(1000)
    expect(listened).toHaveLength(3)
    for (const context of contexts) {
      expect(context.signal.aborted).toBe(true)
      expect(String((context.signal.reason as Error).message)).toContain('stopped at once')
    }
    const locked = await rows()
    expect(locked).toHaveLength(6)
    for (const row of locked) expect(row).toMatchObject({ attempts: 1, lastError: null, failedAt: null })
    for (const row of locked) expect(row.lockedBy).toBeTruthy()
  })

  it('a perform that never settles and ignores its signal keeps its slot past maxRuntime; stop({ atOnce }) ends it without recording anything', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = manager(registry)
    let startedCount = 0
    registry.StuckJob = jobs.createJob({
      queue: 'default',
      name: 'StuckJob',
      perform: () => {
        startedCount += 1
        return new Promise(() => {})
      },
    })
    registry.OkJob = jobs.createJob({ queue: 'default', name: 'OkJob', perform: async () => void events.push('ok') })
    await schedule('StuckJob')
    await schedule('OkJob')
    const w = worker(jobs, { concurrency: 1, mode: 'work', maxRuntimeSeconds: 0.1 })
    const running = w.run()
    await waitUntil('the timeout to be logged', () => logs.some((call) => call.message.includes('ignores its aborted signal')))
    await delay(300)
    expect(events).toEqual([])
    expect(startedCount).toBe(1)
    w.stop()
    await delay(100)
    w.stop({ atOnce: true })
    expect(await running).toBe('stopped-at-once')
    const [stuck, ok] = await rows()
    expect(stuck).toMatchObject({ attempts: 1, lastError: null })
    expect(stuck.lockedBy).toBeTruthy()
    expect(ok).toMatchObject({ attempts: 0, lockedBy: null })
  })

  it('two workers in one process: stopping one at once aborts only its own jobs; the other finishes its jobs with signals never aborted', async () => {
    const registry: Record<string, unknown> = {}
    const jobs = manager(registry)
    const byWorker = new Map<string, JobContext[]>()
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    registry.HoldJob = jobs.createJob({
      queue: 'default',
      name: 'HoldJob',
      async perform(this: JobContext) {
        const row = await database.db.backgroundJob.findUnique({ where: { id: this.id } })
        const owner = String(row?.lockedBy)
        byWorker.set(owner, [...(byWorker.get(owner) ?? []), this])
        const signal = this.signal
        await Promise.race([released, new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))])
      },
    })
    for (let n = 0; n < 6; n++) await schedule('HoldJob')
    const a = worker(jobs, { concurrency: 3, mode: 'work', processName: 'attack-host:jobs-kit-worker.a.0' })
    const b = worker(jobs, { concurrency: 3, mode: 'work', processName: 'attack-host:jobs-kit-worker.b.0' })
    const runningA = a.run()
    const runningB = b.run()
    await waitUntil('both workers to hold 3 jobs', () => [...byWorker.values()].flat().length === 6)
    expect([...byWorker.values()].map((contexts) => contexts.length).sort()).toEqual([3, 3])
    a.stop({ atOnce: true })
    expect(await runningA).toBe('stopped-at-once')
    await delay(50)
    const contextsOf = (name: string) => [...byWorker.entries()].find(([owner]) => owner.includes(name))![1]
    for (const context of contextsOf('worker.a.0')) expect(context.signal.aborted).toBe(true)
    for (const context of contextsOf('worker.b.0')) expect(context.signal.aborted).toBe(false)
    release()
    b.stop()
    expect(await runningB).toBe('stopped')
    for (const context of contextsOf('worker.b.0')) expect(context.signal.aborted).toBe(false)
    const left = await rows()
    expect(left).toHaveLength(3)
    for (const row of left) expect(row).toMatchObject({ attempts: 1, lockedBy: 'attack-host:jobs-kit-worker.a.0', lastError: null })
  })
})
