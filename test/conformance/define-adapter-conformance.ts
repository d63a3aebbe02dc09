/**
 * The adapter conformance suite: what every jobs adapter must do for the
 * worker, the runner and `later()` to keep their promises, checked through
 * the `JobsAdapter` interface only, against a real store.
 *
 * ```ts
 * defineAdapterConformance({
 *   name: 'PrismaAdapter on postgresql',
 *   setup: async () => ({ createAdapter, child, readJob, transaction, teardown }),
 * })
 * ```
 *
 * `setup` gives an empty store of the test file's own (a fresh database, a
 * unique Redis key prefix, a vhost). The suite reads what the adapter
 * promises from its `capabilities` (types.ts, `AdapterCapabilities`) and
 * checks exactly that: a `per-queue` adapter is held to priority order within
 * a queue, a `periodic` stale recovery is given a bounded wait, and so on.
 * docs/adapters.md explains each capability and how to run the suite on an
 * adapter of your own.
 */
import { spawn } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { capabilitiesOf } from '../../src/runtime/adapters/capabilities.js'
import { JobManager } from '../../src/runtime/index.js'
import type { AdapterCapabilities, FindInput, JobsAdapter, Logger, QueueCounts, StoredJob } from '../../src/runtime/types.js'
import { workoffWorker } from '../support/workoff-worker.js'

/** What a conformance run needs from the adapter's side. */
export interface ConformanceTarget {
  /** A new adapter instance on the store (it may share the process's connections). The suite closes each one it asked for. */
  createAdapter(options?: { logger?: Logger }): JobsAdapter | Promise<JobsAdapter>
  /**
   * For the contention test, run in separate processes: a module exporting
   * `createAdapter(config)` that opens an adapter on the same store, and the
   * JSON `config` it is given.
   */
  child: { module: string; config: unknown }
  /**
   * Optional: the stored job by id, for what the interface cannot show
   * (`lastError`, `failedAt`). Required when the adapter declares `jobLookup`.
   */
  readJob?(id: number): Promise<ConformanceJobView | null>
  /**
   * Optional: runs `fn` in a transaction of the app's database and gives it
   * the transaction client. Required when the adapter declares `transactionalEnqueue`.
   */
  transaction?<T>(fn: (tx: unknown) => Promise<T>): Promise<T>
  /** Deletes the store and closes what `setup` opened. */
  teardown(): Promise<void>
}

/** A stored job as `readJob` shows it. */
export interface ConformanceJobView {
  attempts: number
  lastError: string | null
  failedAt: Date | null
  lockedBy: string | null
}

export interface AdapterConformanceOptions {
  /** Names the describe block, e.g. `BullMQAdapter on Redis`. */
  name: string
  setup(): Promise<ConformanceTarget>
}

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = resolve(here, '../..')
const tsxLoader = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href
const childScript = join(here, 'contention-child.ts')

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000)
const handler = (name = 'TestJob', args: unknown[] = []) => ({ name, path: `${name}/${name}`, args })
const silentLogger = (): Logger & { warnings: unknown[] } => {
  const warnings: unknown[] = []
  return { debug() {}, info() {}, error() {}, warn: (message: unknown) => void warnings.push(message), warnings }
}

/** Calls `poll` until it returns a non-empty list or `timeoutMs` passes (then the empty list). */
async function eventually<T>(poll: () => Promise<T[]>, timeoutMs: number, intervalMs = 100): Promise<T[]> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const found = await poll()
    if (found.length > 0 || Date.now() > until) return found
    await sleep(intervalMs)
  }
}

/** Counts with the queues that hold nothing left out, sorted by queue, `succeeded` only where reported. */
function nonEmpty(counts: QueueCounts[]): QueueCounts[] {
  return counts
    .filter((each) => each.waiting + each.scheduled + each.running + each.failed + (each.succeeded ?? 0) > 0)
    .map((each) => ({ ...each }))
    .sort((a, b) => a.queue.localeCompare(b.queue))
}

export function defineAdapterConformance(options: AdapterConformanceOptions): void {
  describe(`adapter conformance: ${options.name}`, () => {
    let target: ConformanceTarget
    let adapter: JobsAdapter
    let capabilities: AdapterCapabilities
    const opened: JobsAdapter[] = []
    const newAdapter = async (logger?: Logger) => {
      const created = await target.createAdapter({ logger: logger ?? silentLogger() })
      opened.push(created)
      return created
    }

    beforeAll(async () => {
      target = await options.setup()
    })
    afterAll(async () => {
      await target?.teardown()
    })
    beforeEach(async () => {
      adapter = await newAdapter()
      capabilities = capabilitiesOf(adapter)
      await adapter.clear()
    })
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((each) => each.close?.()))
    })

    const schedule = (input: { queue?: string; priority?: number; runAt?: Date; name?: string; args?: unknown[] } = {}, through = adapter) =>
      through.schedule({
        handler: handler(input.name, input.args),
        queue: input.queue ?? 'default',
        priority: input.priority ?? 50,
        runAt: input.runAt ?? new Date(),
      })
    const find = (processName = 'host:worker.0', input: Partial<FindInput> = {}, through = adapter) =>
      through.find({ processName, staleAfterSeconds: 60, queues: '*', ...input })
    const ids = (jobs: StoredJob[]) => jobs.map((job) => job.id)

    it('declares every capability the runtime and docs read', () => {
      expect(adapter.capabilities, 'an adapter ships a capabilities object (types.ts, AdapterCapabilities)').toBeDefined()
      expect(typeof capabilities.transactionalEnqueue).toBe('boolean')
      expect(['global', 'per-queue']).toContain(capabilities.order)
      expect(['immediate', 'periodic', 'on-disconnect']).toContain(capabilities.staleRecovery)
      expect(['exact', 'approximate', 'no-running']).toContain(capabilities.statusCounts)
      expect(typeof capabilities.jobLookup).toBe('boolean')
      if (capabilities.jobLookup) expect(target.readJob, 'jobLookup: the target gives readJob').toBeDefined()
      if (capabilities.transactionalEnqueue) expect(target.transaction, 'transactionalEnqueue: the target gives transaction').toBeDefined()
    })

    it('stores a job and hands it out once due: handler, queue, priority, the attempt counted, locked for the process', async () => {
      const id = await adapter.schedule({ handler: handler('SendEmailJob', [1, { to: 'a@b.c' }]), queue: 'email', priority: 7, runAt: new Date() })
      expect(Number.isInteger(id)).toBe(true)
      const other = await schedule()
      expect(other).not.toBe(id)
      const before = Date.now()
      const [job, ...rest] = await find('host:worker.0', { queues: ['email'], limit: 5 })
      expect(rest).toEqual([])
      expect(job).toMatchObject({ id, queue: 'email', priority: 7, attempts: 1, lockedBy: 'host:worker.0', failedAt: null })
      expect(JSON.parse(job.handler)).toEqual({ name: 'SendEmailJob', path: 'SendEmailJob/SendEmailJob', args: [1, { to: 'a@b.c' }] })
      expect(job.lockedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000)
    })

    it('hands out nothing when nothing is due, and a job scheduled ahead never before its runAt', async () => {
      expect(await find()).toEqual([])
      await schedule({ runAt: secondsFromNow(3600) })
      expect(await find()).toEqual([])
      const runAt = secondsFromNow(1.5).getTime()
      const id = await schedule({ runAt: new Date(runAt) })
      expect(await find()).toEqual([])
      const found = await eventually(() => find(), 15_000, 50)
      expect(Date.now()).toBeGreaterThanOrEqual(runAt)
      expect(ids(found)).toEqual([id])
    })

    it('hands out jobs by priority, lower first', async () => {
      const relaxed = await schedule({ priority: 90 })
      const urgent = await schedule({ priority: 1 })
      const normal = await schedule({ priority: 50 })
      const soon = await schedule({ priority: 10 })
      const order: number[] = []
      for (let i = 0; i < 4; i++) order.push(...ids(await find('host:worker.0', { limit: 1 })))
      expect(order).toEqual([urgent, soon, normal, relaxed])
    })

    it('within a priority, hands out by runAt when the order is global, else first come first served', async () => {
      const late = await schedule({ priority: 10, runAt: secondsFromNow(-10) })
      const early = await schedule({ priority: 10, runAt: secondsFromNow(-20) })
      const order: number[] = []
      for (let i = 0; i < 2; i++) order.push(...ids(await find('host:worker.0', { limit: 1 })))
      expect(order).toEqual(capabilities.order === 'global' ? [early, late] : [late, early])
    })

    it('orders across queues when the order is global', async () => {
      if (capabilities.order !== 'global') return
      const b = await schedule({ queue: 'b', priority: 5 })
      const a = await schedule({ queue: 'a', priority: 9 })
      expect(ids(await find('host:worker.0', { queues: ['a', 'b'], limit: 1 }))).toEqual([b])
      expect(ids(await find('host:worker.0', { queues: ['a', 'b'], limit: 1 }))).toEqual([a])
    })

    it('returns up to `limit` jobs, and the rest to the next find', async () => {
      const scheduled = []
      for (let i = 0; i < 5; i++) scheduled.push(await schedule({ runAt: secondsFromNow(-10 + i) }))
      const first = await find('host:worker.0', { limit: 3 })
      expect(first).toHaveLength(3)
      const second = await find('host:worker.1', { limit: 10 })
      // Ids are unique, not necessarily increasing (the RabbitMQ adapter's are random).
      expect([...ids(first), ...ids(second)].sort((x, y) => x - y)).toEqual([...scheduled].sort((x, y) => x - y))
      expect(await find('host:worker.2', { limit: 10 })).toEqual([])
    })

    it('only hands out jobs of the queues asked for', async () => {
      const email = await schedule({ queue: 'email' })
      const reports = await schedule({ queue: 'reports' })
      await schedule({ queue: 'other' })
      expect(await find('host:w', { queues: [] })).toEqual([])
      expect(ids(await find('host:w', { queues: ['email', 'reports'], limit: 10 })).sort()).toEqual([email, reports].sort())
      expect((await find('host:w', { queues: '*', limit: 10 })).map((job) => job.queue)).toEqual(['other'])
    })

    it('never hands a freshly locked job to another worker, through any adapter instance', async () => {
      await schedule()
      expect(await find('host:worker.0')).toHaveLength(1)
      expect(await find('host:worker.1')).toEqual([])
      expect(await find('other-host:worker.0', {}, await newAdapter())).toEqual([])
    })

    it('hands the job of a worker whose connection closed to another worker at once, counting another attempt (on-disconnect)', async () => {
      if (capabilities.staleRecovery !== 'on-disconnect') return
      const id = await schedule()
      const holder = await newAdapter()
      const [job] = await find('dead-host:worker.0', { staleAfterSeconds: 1 }, holder)
      expect(job.id).toBe(id)
      // Alive, it keeps the job past any threshold…
      await sleep(1500)
      expect(await find('host:worker.1', { staleAfterSeconds: 1 })).toEqual([])
      // …and once its connection is gone (the worker died), the job goes to another.
      await holder.close?.()
      const taken = await eventually(() => find('host:worker.1', { staleAfterSeconds: 1 }), 20_000)
      expect(ids(taken)).toEqual([id])
      expect(taken[0]).toMatchObject({ attempts: 2, lockedBy: 'host:worker.1' })
    })

    it('hands a job whose lock went stale to another worker, counting another attempt, never before staleAfterSeconds', async () => {
      if (capabilities.staleRecovery === 'on-disconnect') return
      const id = await schedule()
      const lockedAt = Date.now()
      const [job] = await find('dead-host:worker.0', { staleAfterSeconds: 1 })
      expect(job.id).toBe(id)
      const other = await newAdapter()
      const taken = await eventually(() => find('host:worker.1', { staleAfterSeconds: 1 }, other), 20_000)
      expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(1000)
      expect(ids(taken)).toEqual([id])
      expect(taken[0]).toMatchObject({ attempts: 2, lockedBy: 'host:worker.1' })
    })

    it('keeps a job whose worker renews its lock (heartbeat) from other workers', async () => {
      if (!adapter.heartbeat) return
      await schedule()
      const [job] = await find('host:worker.0', { staleAfterSeconds: 1 })
      const other = await newAdapter()
      const until = Date.now() + 4000
      while (Date.now() < until) {
        await adapter.heartbeat({ jobs: [job], processName: 'host:worker.0' })
        expect(await find('host:worker.1', { staleAfterSeconds: 1 }, other)).toEqual([])
        await sleep(250)
      }
      await adapter.success({ job, deleteJob: true })
    })

    it('gives a restarted worker the jobs it held under the same name before it started, and only to it', async () => {
      // on-disconnect: a restarted worker's old connection is gone, so its jobs are already back for anyone (test above).
      if (capabilities.staleRecovery === 'on-disconnect') return
      const id = await schedule()
      await find('host:worker.0', { workerStartedAt: secondsFromNow(-60) })
      await sleep(20)
      expect(await find('host:worker.1')).toEqual([])
      const restarted = await newAdapter()
      // Without its start time, a worker never takes its own fresh locks back.
      expect(await find('host:worker.0', {}, restarted)).toEqual([])
      const jobs = await find('host:worker.0', { workerStartedAt: new Date() }, restarted)
      expect(ids(jobs)).toEqual([id])
      expect(jobs[0]).toMatchObject({ attempts: 2, lockedBy: 'host:worker.0' })
    })

    it('never hands a worker a job it locked since it started, even through another adapter instance', async () => {
      const workerStartedAt = secondsFromNow(-10)
      const first = await schedule({ priority: 1 })
      const second = await schedule({ priority: 2 })
      const asWorker = async (through: JobsAdapter) => ids(await find('host:worker.0', { workerStartedAt }, through))
      expect(await asWorker(adapter)).toEqual([first])
      expect(await asWorker(await newAdapter())).toEqual([second])
      expect(await asWorker(await newAdapter())).toEqual([])
      expect(await asWorker(adapter)).toEqual([])
    })

    it('records a failed attempt: unlocked, its error kept, handed out again at retryAt and not before', async () => {
      const id = await schedule()
      const [job] = await find()
      const retryAt = secondsFromNow(1.5)
      await adapter.error({ job, error: new TypeError('mailer is down'), retryAt })
      if (target.readJob) {
        const stored = await target.readJob(id)
        expect(stored).toMatchObject({ lockedBy: null, failedAt: null, attempts: 1 })
        expect(stored!.lastError).toContain('TypeError: mailer is down')
        expect(stored!.lastError).toContain('define-adapter-conformance.ts')
      }
      expect(await find('host:worker.1', { staleAfterSeconds: 0.001 })).toEqual([])
      const again = await eventually(() => find('host:worker.1'), 15_000, 50)
      expect(Date.now()).toBeGreaterThanOrEqual(retryAt.getTime())
      expect(ids(again)).toEqual([id])
      expect(again[0].attempts).toBe(2)
    })

    it('records a job given up: never handed out again, counted failed, or deleted with deleteJob', async () => {
      const kept = await schedule({ queue: 'kept' })
      const deleted = await schedule({ queue: 'deleted' })
      const [first, second] = await find('host:worker.0', { limit: 2 })
      const byId = new Map([first, second].map((job) => [job.id, job]))
      await adapter.failure({ job: byId.get(kept)!, error: new Error('gave up'), deleteJob: false })
      await adapter.failure({ job: byId.get(deleted)!, error: new Error('gave up'), deleteJob: true })
      expect(await find('host:worker.1', { limit: 10 })).toEqual([])
      await sleep(1100)
      expect(await find('host:worker.1', { limit: 10, staleAfterSeconds: 1 })).toEqual([])
      if (adapter.status) {
        const counts = await adapter.status()
        expect(nonEmpty(counts)).toEqual([{ queue: 'kept', waiting: 0, scheduled: 0, running: 0, failed: 1, succeeded: 0 }].map(withoutUnreported(counts)))
      }
      if (target.readJob) {
        const stored = await target.readJob(kept)
        expect(stored!.failedAt).toBeInstanceOf(Date)
        expect(stored!.lastError).toContain('Error: gave up')
        expect(await target.readJob(deleted)).toBeNull()
      }
    })

    it('deletes a job that succeeded, or keeps it as done, never handed out again, with deleteJob false', async () => {
      const deleted = await schedule({ queue: 'deleted' })
      const kept = await schedule({ queue: 'kept' })
      const jobs = await find('host:worker.0', { limit: 2 })
      const byId = new Map(jobs.map((job) => [job.id, job]))
      await adapter.success({ job: byId.get(deleted)!, deleteJob: true })
      await adapter.success({ job: byId.get(kept)!, deleteJob: false })
      expect(await find('host:worker.0', { limit: 10 })).toEqual([])
      await sleep(1100)
      expect(await find('host:worker.1', { limit: 10, staleAfterSeconds: 1 })).toEqual([])
      if (target.readJob) {
        expect(await target.readJob(deleted)).toBeNull()
        expect(await target.readJob(kept)).toMatchObject({ lockedBy: null, failedAt: null })
      }
      if (adapter.status) {
        const counts = nonEmpty(await adapter.status())
        if (counts.some((each) => each.succeeded !== undefined)) {
          expect(counts).toEqual([{ queue: 'kept', waiting: 0, scheduled: 0, running: 0, failed: 0, succeeded: 1 }])
        }
      }
    })

    it('changes nothing when a worker that lost its job reports late', async () => {
      const id = await schedule()
      const slowLog = silentLogger()
      const slow = await newAdapter(slowLog)
      const [lost] = await find('slow-host:worker.0', { staleAfterSeconds: 1 }, slow)
      // on-disconnect: the worker loses its job when its connection closes (it lives on and reports late).
      if (capabilities.staleRecovery === 'on-disconnect') await slow.close?.()
      const [taken] = await eventually(() => find('host:worker.1', { staleAfterSeconds: 1 }), 20_000)
      expect(taken.id).toBe(id)
      await slow.error({ job: lost, error: new Error('late'), retryAt: new Date() })
      await slow.failure({ job: lost, error: new Error('late'), deleteJob: false })
      await slow.success({ job: lost, deleteJob: false })
      await slow.failure({ job: lost, error: new Error('late'), deleteJob: true })
      // Not \`success({ deleteJob: true })\`: a job that ran to success may be
      // deleted whoever holds it now (its work is done; types.ts, \`success\`).
      // host:worker.1 still holds it: nobody else gets it, and its own report goes through.
      expect(await find('host:worker.2', { staleAfterSeconds: 60 })).toEqual([])
      if (target.readJob) expect(await target.readJob(id)).toMatchObject({ lockedBy: 'host:worker.1', lastError: null, failedAt: null })
      await adapter.error({ job: taken, error: new Error('second try failed'), retryAt: new Date() })
      const [again] = await eventually(() => find('host:worker.2'), 10_000)
      expect(again).toMatchObject({ id, attempts: 3 })
      expect(slowLog.warnings.length).toBeGreaterThan(0)
    })

    it('clears every job, or only the given queues, and says how many', async () => {
      await schedule({ queue: 'a' })
      await schedule({ queue: 'a', runAt: secondsFromNow(600) })
      await schedule({ queue: 'b' })
      await schedule({ queue: 'c' })
      await find('host:worker.0', { queues: ['b'] })
      expect(await adapter.clear({ queues: ['a', 'b'] })).toBe(3)
      expect((await find('host:worker.0', { limit: 10 })).map((job) => job.queue)).toEqual(['c'])
      expect(await adapter.clear()).toBe(1)
      expect(await find('host:worker.1', { limit: 10, staleAfterSeconds: 0.001 })).toEqual([])
    })

    it('counts waiting, scheduled, running and failed jobs per queue', async () => {
      if (!adapter.status) return
      await schedule({ queue: 'email' })
      await schedule({ queue: 'email' })
      await schedule({ queue: 'email', runAt: secondsFromNow(600) })
      await schedule({ queue: 'reports' })
      const [running] = await find('host:worker.0', { queues: ['email'] })
      const [failed] = await find('host:worker.0', { queues: ['reports'] })
      await adapter.failure({ job: failed, error: new Error('gave up'), deleteJob: false })
      const counts = await adapter.status()
      expect(nonEmpty(counts)).toEqual(
        [
          { queue: 'email', waiting: 1, scheduled: 1, running: capabilities.statusCounts === 'no-running' ? 0 : 1, failed: 0, succeeded: 0 },
          { queue: 'reports', waiting: 0, scheduled: 0, running: 0, failed: 1, succeeded: 0 },
        ].map(withoutUnreported(counts)),
      )
      await adapter.success({ job: running, deleteJob: true })
    })

    it('stores a job in the caller\'s transaction when it declares transactionalEnqueue: gone on rollback, kept on commit', async () => {
      if (!capabilities.transactionalEnqueue) return
      const rollback = new Error('rollback')
      await expect(
        target.transaction!(async (tx) => {
          await adapter.schedule({ handler: handler('RolledBack'), queue: 'default', priority: 50, runAt: new Date(), db: tx })
          throw rollback
        }),
      ).rejects.toBe(rollback)
      expect(await find('host:worker.0', { limit: 10 })).toEqual([])
      const id = await target.transaction!((tx) => adapter.schedule({ handler: handler('Committed'), queue: 'default', priority: 50, runAt: new Date(), db: tx }))
      expect(ids(await find('host:worker.0', { limit: 10 }))).toEqual([id])
    })

    it('refuses later(…, { db: tx }) with a clear error when it cannot enqueue in a transaction', async () => {
      if (capabilities.transactionalEnqueue) return
      const registry: Record<string, unknown> = {}
      const jobs = new JobManager({ adapters: { main: adapter }, queues: ['default'] as const, logger: silentLogger(), workers: [], jobs: () => registry })
      const NoopJob = jobs.createJob({ queue: 'default', perform: async () => {} })
      registry.NoopJob = NoopJob
      const later = jobs.createScheduler({ adapter: 'main' })
      await expect(later(NoopJob, [], { db: {} })).rejects.toThrow(/cannot store a job inside your database transaction.*after the transaction commits/s)
      expect(await find('host:worker.0', { limit: 10 })).toEqual([])
    })

    it('runs a failing job through the worker: a⁴ backoff between attempts, given up at maxAttempts', async () => {
      const registry: Record<string, unknown> = {}
      const attempts: number[] = []
      const startedAt: number[] = []
      const jobs = new JobManager({ adapters: { main: adapter }, queues: ['default'] as const, logger: silentLogger(), workers: [], jobs: () => registry })
      registry.FlakyJob = jobs.createJob({
        queue: 'default',
        perform: async function () {
          attempts.push(this.attempt)
          startedAt.push(Date.now())
          throw new Error(`attempt ${this.attempt} failed`)
        },
      })
      const later = jobs.createScheduler({ adapter: 'main' })
      const id = await later(registry.FlakyJob as never, [])
      const worker = () => workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger: silentLogger(), maxAttempts: 2 })
      await worker().run()
      expect(attempts).toEqual([1])
      // Retried 1⁴ = 1 s after it failed, so not within 1 s of the first attempt's start.
      await worker().run()
      if (Date.now() - startedAt[0] < 1000) expect(attempts).toEqual([1])
      const until = Date.now() + 15_000
      while (attempts.length < 2 && Date.now() < until) {
        await sleep(200)
        await worker().run()
      }
      expect(attempts).toEqual([1, 2])
      expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(1000)
      if (target.readJob) expect((await target.readJob(id))!.failedAt).toBeInstanceOf(Date)
      if (adapter.status) expect(nonEmpty(await adapter.status()).map((each) => [each.queue, each.failed])).toEqual([['default', 1]])
      await worker().run()
      expect(attempts).toEqual([1, 2])
    })

    it('hands each job to exactly one of several worker processes racing for them', async () => {
      const JOBS = 240
      const PROCESSES = 3
      const scheduled = new Set<number>()
      for (let i = 0; i < JOBS; i++) scheduled.add(await schedule({ queue: i % 2 ? 'a' : 'b', priority: i % 5, runAt: secondsFromNow(-1), args: [i] }))
      const results = await runContention(target.child, PROCESSES)
      const all = results.flat()
      expect(all).toHaveLength(JOBS)
      expect(new Set(all)).toEqual(scheduled)
      // More than one process got work: the test really raced.
      expect(results.filter((each) => each.length > 0).length).toBeGreaterThan(1)
    })
  })
}

/** Drops `succeeded` from the expected counts when the adapter does not report it. */
function withoutUnreported(actual: QueueCounts[]) {
  const reports = actual.some((each) => each.succeeded !== undefined)
  return (expected: QueueCounts): QueueCounts => {
    if (reports) return expected
    const { succeeded: _, ...rest } = expected
    return rest
  }
}

/**
 * Starts `count` processes that each open an adapter through `child.module`,
 * wait until all are ready, then find (5 at a time) and finish jobs until
 * none is left. Resolves to the job ids each process was handed.
 */
async function runContention(child: ConformanceTarget['child'], count: number): Promise<number[][]> {
  const processes = Array.from({ length: count }, (_, index) => {
    const process_ = spawn(process.execPath, ['--import', tsxLoader, childScript], {
      cwd: repoRoot,
      env: { ...process.env, JOBS_KIT_CONFORMANCE_CHILD: JSON.stringify({ module: child.module, config: child.config, processName: `host-${index}:jobs-kit-worker.${index}` }) },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    process_.stdout.on('data', (chunk) => (stdout += chunk))
    process_.stderr.on('data', (chunk) => (stderr += chunk))
    const ready = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (stdout.includes('ready\n')) resolve()
      }
      process_.stdout.on('data', check)
      process_.on('exit', (code) => reject(new Error(`contention child ${index} exited (${code}) before it was ready:\n${stderr}`)))
    })
    const done = new Promise<number[]>((resolve, reject) => {
      process_.on('exit', (code) => {
        const line = stdout.split('\n').find((each) => each.startsWith('ids '))
        if (code !== 0 || !line) reject(new Error(`contention child ${index} exited with ${code}:\n${stderr}\n${stdout}`))
        else resolve(JSON.parse(line.slice(4)) as number[])
      })
    })
    // Awaited below once every process is ready; this only keeps an early failure from going unhandled.
    done.catch(() => {})
    return { process_, ready, done }
  })
  try {
    await Promise.all(processes.map((each) => each.ready))
    for (const each of processes) each.process_.stdin.end('go\n')
    return await Promise.all(processes.map((each) => each.done))
  } finally {
    for (const each of processes) if (each.process_.exitCode === null) each.process_.kill('SIGKILL')
  }
}
