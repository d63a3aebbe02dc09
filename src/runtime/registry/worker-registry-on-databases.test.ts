/**
 * The worker registry on real SQLite, PostgreSQL and MariaDB: a worker's row
 * appears, beats, carries the jobs in hand and goes on a clean stop; the
 * per-minute counts survive deleted jobs and a restart; a registry that
 * fails or is missing never stops the jobs. (A SIGKILLed worker shown as
 * dead is in test/runtime-processes/, with real processes.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { readJobs, sleep } from '../../../test/support/jobs-table.js'
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { PrismaAdapter } from '../adapters/prisma/prisma-adapter.js'
import { JobManager } from '../manager/job-manager.js'
import { getStatusReport } from '../runner/commands/status.js'
import type { JobContext, Logger } from '../types.js'
import { readRegisteredWorkers } from './read-workers.js'
import { WorkerRegistration } from './worker-registration.js'
import { WorkerRegistry, type WorkerRow } from './worker-registry.js'
import type { Worker } from '../worker/worker.js'

function recordingLogger() {
  const lines: string[] = []
  const logger: Logger = {
    debug: () => {},
    info: (message: unknown) => lines.push(`info ${String(message)}`),
    warn: (message: unknown) => lines.push(`warn ${String(message)}`),
    error: (message: unknown) => lines.push(`error ${String(message)}`),
  }
  return { lines, logger }
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

const NAME = 'test-host:jobs-kit-worker.all.0'

describe.each(TEST_PROVIDERS)('worker registry on %s', (provider) => {
  let database: TestDatabase
  let adapter: PrismaAdapter
  let registry: WorkerRegistry
  let releaseHeld: () => void = () => {}

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await database.db.backgroundJob.deleteMany({})
    await database.db.backgroundJobWorker.deleteMany({})
    await database.db.backgroundJobCount.deleteMany({})
    adapter = new PrismaAdapter({ db: database.db })
    registry = new WorkerRegistry(database.db)
  })

  function makeJobs(logger: Logger) {
    const jobsIndex: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default', 'email'] as const,
      logger,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => jobsIndex,
    })
    Object.assign(jobsIndex, {
      RecordJob: jobs.createJob({ queue: 'default', perform: async () => {} }),
      FailingJob: jobs.createJob({ queue: 'email', perform: async () => { throw new Error('smtp down') } }),
      HeldJob: jobs.createJob({
        queue: 'default',
        perform: async function (this: JobContext) {
          await new Promise<void>((resolve) => {
            releaseHeld = resolve
          })
        },
      }),
    })
    return jobs
  }

  /** A worker with its registration beating every 100 ms, as run-worker wires them. */
  function registeredWorker(jobs: ReturnType<typeof makeJobs>, logger: Logger, options: Partial<Parameters<typeof workoffWorker>[0]> = {}, store: WorkerRegistry = registry) {
    let registration: WorkerRegistration | undefined
    const worker: Worker = workoffWorker({
      adapter,
      loadJob: (name) => jobs.loadJob(name),
      logger,
      maxAttempts: 1,
      deleteFailedJobs: true,
      onJobDone: (job, outcome) => registration?.recordOutcome(job.queue, outcome),
      ...options,
    })
    registration = new WorkerRegistration({
      registry: store,
      name: NAME,
      host: 'test-host',
      pid: 4242,
      queues: ['default', 'email'],
      concurrency: 1,
      jobIdsInHand: () => worker.jobIdsInHand(),
      logger,
      intervalSeconds: 0.1,
    })
    return { worker, registration }
  }

  const rowOf = async (): Promise<WorkerRow | undefined> => (await registry.readWorkers()).find((row) => row.name === NAME)

  it('a worker\'s row appears when it starts, beats, carries the job in hand, and disappears on a clean stop', async () => {
    const { logger, lines } = recordingLogger()
    const jobs = makeJobs(logger)
    const { worker, registration } = registeredWorker(jobs, logger, { mode: 'work' })
    registration.start()
    const run = worker.run()
    await waitFor('the row', async () => (await rowOf()) !== undefined)
    const first = (await rowOf())!
    expect(first).toMatchObject({ host: 'test-host', pid: 4242, queues: 'default,email', concurrency: 1, jobIds: [] })

    const later = jobs.createScheduler({ adapter: 'prisma' })
    const id = await later((await jobs.loadJob('HeldJob'))! as never, [] as never)
    await waitFor('the row to carry the job', async () => ((await rowOf())?.jobIds ?? []).includes(Number(id)))
    const beating = (await rowOf())!
    expect(beating.heartbeatAt.getTime()).toBeGreaterThan(first.heartbeatAt.getTime())
    const read = await readRegisteredWorkers(registry, new Date())
    expect(read).toMatchObject({ kind: 'workers', workers: [{ name: NAME, alive: true }] })

    releaseHeld()
    await waitFor('the job to finish', async () => (await readJobs(database)).length === 0)
    await waitFor('the row to show it done', async () => (await rowOf())?.done === 1 && (await rowOf())?.jobIds.length === 0)
    worker.stop()
    await run
    await registration.stop()
    expect(await rowOf()).toBeUndefined()
    expect(lines.filter((line) => line.startsWith('warn'))).toEqual([])
  })

  it('counts jobs done and given up per queue, and the counts outlive the deleted jobs and a restart under the same name', async () => {
    const { logger } = recordingLogger()
    const jobs = makeJobs(logger)
    const later = jobs.createScheduler({ adapter: 'prisma' })
    const load = async (name: string) => (await jobs.loadJob(name))! as never
    await later(await load('RecordJob'), [] as never)
    await later(await load('RecordJob'), [] as never)
    await later(await load('FailingJob'), [] as never)

    const first = registeredWorker(jobs, logger)
    first.registration.start()
    expect(await first.worker.run()).toBe('done')
    await first.registration.stop()
    // deleteSuccessfulJobs and deleteFailedJobs: no row tells of these jobs any more.
    expect(await readJobs(database)).toEqual([])
    const hourAgo = new Date(Date.now() - 3_600_000)
    expect(Object.fromEntries(await registry.readCountsSince(hourAgo))).toEqual({ default: { done: 2, failed: 0 }, email: { done: 0, failed: 1 } })

    // A restart under the same name adds to the counts of its previous run (same minute rows), not replaces them.
    await later(await load('RecordJob'), [] as never)
    const second = registeredWorker(jobs, logger)
    second.registration.start()
    expect(await second.worker.run()).toBe('done')
    await second.registration.stop()
    expect(Object.fromEntries(await registry.readCountsSince(hourAgo))).toEqual({ default: { done: 3, failed: 0 }, email: { done: 0, failed: 1 } })
    // Counts older than the window are not counted.
    expect(Object.fromEntries(await registry.readCountsSince(new Date(Date.now() + 60_000)))).toEqual({})
  })

  it('a registry whose writes fail logs once and retries at the next beat, while jobs run as usual', async () => {
    const { logger, lines } = recordingLogger()
    const jobs = makeJobs(logger)
    let failures = 5
    const flaky = new WorkerRegistry(database.db)
    const fail = <T>(write: () => Promise<T>) => (failures-- > 0 ? Promise.reject(new Error('connection refused (test)')) : write())
    flaky.register = (row) => fail(() => WorkerRegistry.prototype.register.call(flaky, row))
    flaky.beat = (name, data) => fail(() => WorkerRegistry.prototype.beat.call(flaky, name, data))
    const later = jobs.createScheduler({ adapter: 'prisma' })
    await later((await jobs.loadJob('RecordJob'))! as never, [] as never)
    const { worker, registration } = registeredWorker(jobs, logger, { mode: 'work' }, flaky)
    registration.start()
    const run = worker.run()
    await waitFor('the job to run', async () => (await readJobs(database)).length === 0)
    await waitFor('the row, once the database is back', async () => (await rowOf()) !== undefined)
    worker.stop()
    await run
    await registration.stop()
    const warnings = lines.filter((line) => line.includes('could not write to the worker registry'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('jobs run as usual; trying again at the next heartbeat')
    expect(lines.some((line) => line.includes('writing to the worker registry again'))).toBe(true)
  })

  it('an app whose database lacks the registry\'s tables runs its jobs, says once what to run, and status says it too', async () => {
    const { logger, lines } = recordingLogger()
    const jobs = makeJobs(logger)
    const quote = (name: string) => (provider === 'mysql' ? `\`${name}\`` : `"${name}"`)
    const other = await createTestDatabase(provider)
    try {
      await other.db.$executeRawUnsafe(`DROP TABLE ${quote('BackgroundJobWorker')}`)
      const missing = new WorkerRegistry(other.db)
      const later = jobs.createScheduler({ adapter: 'prisma' })
      await later((await jobs.loadJob('RecordJob'))! as never, [] as never)
      const { worker, registration } = registeredWorker(jobs, logger, { mode: 'work' }, missing)
      registration.start()
      const run = worker.run()
      await waitFor('the job to run', async () => (await readJobs(database)).length === 0)
      await sleep(400) // a few beats
      worker.stop()
      await run
      await registration.stop()
      const warnings = lines.filter((line) => line.startsWith('warn'))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain('npx jobs-kit setup --migration')

      const status = await getStatusReport({ ...jobs, adapters: { prisma: new PrismaAdapter({ db: other.db }) }, workers: jobs.workers, queues: jobs.queues, loadJob: (name) => jobs.loadJob(name), logger }, '/nonexistent-app-root')
      expect(status).toContain('Workers on all hosts: unknown, because this app\'s database has no worker registry. Run `npx jobs-kit setup --migration`')
    } finally {
      await other.drop()
    }
  })

  it('a registry table that goes away while the worker runs (prisma migrate reset, db push --force-reset) and comes back is written again, with no advice to run setup', async () => {
    const { logger, lines } = recordingLogger()
    const jobs = makeJobs(logger)
    const quote = (name: string) => (provider === 'mysql' ? `\`${name}\`` : `"${name}"`)
    const other = await createTestDatabase(provider)
    try {
      const elsewhere = new WorkerRegistry(other.db)
      const { worker, registration } = registeredWorker(jobs, logger, { mode: 'work' }, elsewhere)
      const rowThere = async () => (await elsewhere.readWorkers()).some((row) => row.name === NAME)
      registration.start()
      const run = worker.run()
      await waitFor('the row', rowThere)
      // The table is gone for a few beats (renamed away: to Prisma, as if dropped), then back, empty.
      await other.db.$executeRawUnsafe(`ALTER TABLE ${quote('BackgroundJobWorker')} RENAME TO ${quote('BackgroundJobWorkerAside')}`)
      await sleep(500)
      await other.db.$executeRawUnsafe(`DELETE FROM ${quote('BackgroundJobWorkerAside')}`)
      await other.db.$executeRawUnsafe(`ALTER TABLE ${quote('BackgroundJobWorkerAside')} RENAME TO ${quote('BackgroundJobWorker')}`)
      await waitFor('the row, once the table is back', rowThere, 5_000)
      worker.stop()
      await run
      await registration.stop()
      expect(lines.filter((line) => line.includes('setup --migration'))).toEqual([])
      expect(lines.filter((line) => line.includes('could not write to the worker registry'))).toHaveLength(1)
      expect(lines.some((line) => line.includes('writing to the worker registry again'))).toBe(true)
    } finally {
      await other.drop()
    }
  })

  it('readers show a worker whose heartbeat stopped as dead, and forget it after an hour', async () => {
    const now = Date.now()
    const row = (name: string, heartbeatAgoMs: number): WorkerRow => ({
      name, host: 'h', pid: 1, queues: '*', concurrency: 1, startedAt: new Date(now - 7_200_000), heartbeatAt: new Date(now - heartbeatAgoMs), jobIds: [], done: 0, failed: 0,
    })
    await registry.register(row('h:alive', 10_000))
    await registry.register(row('h:dead', 61_000))
    await registry.register(row('h:long-dead', 3_700_000))
    const read = await readRegisteredWorkers(registry, new Date(now))
    expect(read.kind === 'workers' && read.workers.map((worker) => `${worker.name} ${worker.alive}`)).toEqual(['h:alive true', 'h:dead false', 'h:long-dead false'])
    await registry.forget({ deadBefore: new Date(now - 3_600_000), countsBefore: new Date(now - 7_200_000) })
    expect((await registry.readWorkers()).map((worker) => worker.name)).toEqual(['h:alive', 'h:dead'])
  })
})
