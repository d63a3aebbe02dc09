import mariadb, { type Pool as MariadbPool } from 'mariadb'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase, type TestProvider } from '../../../../test/support/databases.js'
import { insertJob, jobsModel, readJob, readJobs, sleep } from '../../../../test/support/jobs-table.js'
import type { StoredJob } from '../../types.js'
import { PrismaAdapter, type PrismaAdapterOptions } from './prisma-adapter.js'

// A time zone far from UTC, so any local-time slip in how dates are written
// or compared shows up as a 14-hour error.
process.env.TZ = 'Pacific/Kiritimati'

// `queries`: how the adapter runs its finding queries. `prisma` by default;
// on PostgreSQL also through a `pg` pool (the `pg` option), either the app's
// own pool or one the adapter opens from a connection string; on MySQL/MariaDB
// likewise through a `mariadb` pool (the `mariadb` option).
type Queries = 'prisma' | 'pg pool' | 'pg connectionString' | 'mariadb pool' | 'mariadb connectionString'
const cases: Array<{ provider: TestProvider; variant: 'default' | 'mapped' | 'multi-schema'; queries: Queries }> = [
  { provider: 'sqlite', variant: 'default', queries: 'prisma' },
  { provider: 'postgresql', variant: 'default', queries: 'prisma' },
  { provider: 'mysql', variant: 'default', queries: 'prisma' },
  { provider: 'sqlite', variant: 'mapped', queries: 'prisma' },
  { provider: 'postgresql', variant: 'mapped', queries: 'prisma' },
  { provider: 'mysql', variant: 'mapped', queries: 'prisma' },
  { provider: 'postgresql', variant: 'multi-schema', queries: 'prisma' },
  { provider: 'postgresql', variant: 'default', queries: 'pg pool' },
  { provider: 'postgresql', variant: 'mapped', queries: 'pg connectionString' },
  { provider: 'postgresql', variant: 'multi-schema', queries: 'pg pool' },
  { provider: 'postgresql', variant: 'multi-schema', queries: 'pg connectionString' },
  { provider: 'mysql', variant: 'default', queries: 'mariadb pool' },
  { provider: 'mysql', variant: 'mapped', queries: 'mariadb connectionString' },
]

/** An app's own `mariadb` pool, with the driver's defaults (local time zone, REPEATABLE READ sessions). */
function mariadbPoolOf(url: string): MariadbPool {
  const server = new URL(url)
  return mariadb.createPool({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
    database: server.pathname.slice(1),
    connectionLimit: 2,
  })
}

const handler = (name = 'TestJob', args: unknown[] = []) => ({ name, path: `${name}/${name}`, args })
const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000)

describe.each(cases)('PrismaAdapter on $provider ($variant schema, queries through $queries)', ({ provider, variant, queries }) => {
  let database: TestDatabase
  let adapter: PrismaAdapter
  let appPool: pg.Pool | undefined
  let appMariadbPool: MariadbPool | undefined
  const opened: PrismaAdapter[] = []

  /** An adapter on the test database, running its queries as this case says; closed after each test. */
  const newAdapter = (options: Partial<PrismaAdapterOptions> = {}) => {
    const pgOption =
      queries === 'pg pool' ? { pool: appPool } : queries === 'pg connectionString' ? { connectionString: database.url } : undefined
    const mariadbOption =
      queries === 'mariadb pool' ? { pool: appMariadbPool } : queries === 'mariadb connectionString' ? { connectionString: database.url } : undefined
    const created = new PrismaAdapter({ db: database.db, model: database.model, pg: pgOption, mariadb: mariadbOption, ...options })
    opened.push(created)
    return created
  }

  beforeAll(async () => {
    database = await createTestDatabase(provider, { variant })
    if (queries === 'pg pool') appPool = new pg.Pool({ connectionString: database.url, max: 2 })
    if (queries === 'mariadb pool') appMariadbPool = mariadbPoolOf(database.url)
    adapter = newAdapter()
  })
  afterAll(async () => {
    await appPool?.end()
    await appMariadbPool?.end()
    await database?.drop()
  })
  beforeEach(async () => {
    await adapter.clear()
    adapter = newAdapter()
  })
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((each) => each.close()))
  })

  const schedule = (options: { queue?: string; priority?: number; runAt?: Date; name?: string; args?: unknown[] } = {}) =>
    adapter.schedule({
      handler: handler(options.name, options.args),
      queue: options.queue ?? 'default',
      priority: options.priority ?? 50,
      runAt: options.runAt ?? new Date(),
    })
  const find = (processName = 'host:worker.0', options: { limit?: number; queues?: '*' | string[]; staleAfterSeconds?: number } = {}) =>
    adapter.find({ processName, staleAfterSeconds: options.staleAfterSeconds ?? 60, queues: options.queues ?? '*', limit: options.limit })

  it('detects the provider from the client', () => {
    expect(adapter.provider).toBe(provider)
  })

  it('says how to fix a model name the client does not have', async () => {
    const wrong = newAdapter({ model: 'Jobz' })
    await expect(wrong.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })).rejects.toThrow(
      // The default test schema also has the recurring jobs' schedule model and the worker registry's models, as setup writes them.
      `Your Prisma client has no model "Jobz" (it has ${database.variant === 'default' ? `${database.model}, BackgroundJobSchedule, BackgroundJobWorker, BackgroundJobCount` : database.model})`,
    )
    await expect(wrong.clear()).rejects.toThrow("pass the model's name: new PrismaAdapter({ db, model: 'YourModel' })")
  })

  it('stores a job with its handler as JSON and returns its id', async () => {
    const runAt = secondsFromNow(30)
    const id = await adapter.schedule({ handler: handler('SendEmailJob', [1, { to: 'a@b.c' }]), queue: 'email', priority: 7, runAt })
    const row = await readJob(database, id)
    expect(JSON.parse(row!.handler)).toEqual({ name: 'SendEmailJob', path: 'SendEmailJob/SendEmailJob', args: [1, { to: 'a@b.c' }] })
    expect(row).toMatchObject({ queue: 'email', priority: 7, attempts: 0, lockedAt: null, lockedBy: null, failedAt: null })
    expect(row!.runAt.getTime()).toBe(runAt.getTime())
  })

  it('finds a due job, locks it for the process and counts the attempt', async () => {
    const id = await schedule()
    const before = Date.now()
    const [job, ...rest] = await find('host:worker.0')
    expect(rest).toEqual([])
    expect(job).toMatchObject({ id, attempts: 1, lockedBy: 'host:worker.0', queue: 'default', priority: 50 })
    expect(job.lockedAt!.getTime()).toBeGreaterThanOrEqual(before - 5)
    expect(JSON.parse(job.handler).name).toBe('TestJob')
    const row = await readJob(database, id)
    expect(row).toMatchObject({ attempts: 1, lockedBy: 'host:worker.0' })
    expect(row!.lockedAt.getTime()).toBe(job.lockedAt!.getTime())
  })

  it('returns an empty list when nothing is due', async () => {
    expect(await find()).toEqual([])
    await schedule({ runAt: secondsFromNow(3600) })
    expect(await find()).toEqual([])
  })

  it('hands out jobs by priority (lower first), then by runAt', async () => {
    const late = await schedule({ priority: 10, runAt: secondsFromNow(-10) })
    const early = await schedule({ priority: 10, runAt: secondsFromNow(-20) })
    const urgent = await schedule({ priority: 1, runAt: secondsFromNow(-1) })
    const relaxed = await schedule({ priority: 90, runAt: secondsFromNow(-100) })
    const order: number[] = []
    for (let i = 0; i < 4; i++) order.push(...(await find('host:worker.0', { limit: 1 })).map((job) => job.id))
    expect(order).toEqual([urgent, early, late, relaxed])
  })

  it('returns up to `limit` jobs, in order', async () => {
    const ids = []
    for (let i = 0; i < 5; i++) ids.push(await schedule({ runAt: secondsFromNow(-10 + i) }))
    const jobs = await find('host:worker.0', { limit: 3 })
    expect(jobs.map((job) => job.id)).toEqual(ids.slice(0, 3))
    expect((await find('host:worker.1', { limit: 10 })).map((job) => job.id)).toEqual(ids.slice(3))
  })

  it('does not find a job scheduled 2 s ahead before 2 s have passed', async () => {
    const runAt = secondsFromNow(2).getTime()
    const id = await schedule({ runAt: new Date(runAt) })
    expect(await find()).toEqual([])
    await sleep(Math.max(0, runAt - 300 - Date.now()))
    expect(await find()).toEqual([])
    await sleep(Math.max(0, runAt + 50 - Date.now()))
    expect((await find()).map((job) => job.id)).toEqual([id])
  })

  it('never hands out a job without runAt (a finished job kept by deleteSuccessfulJobs: false)', async () => {
    await insertJob(database, { runAt: null })
    expect(await find()).toEqual([])
  })

  it('never hands out a job that was given up', async () => {
    await insertJob(database, { failedAt: new Date(), runAt: secondsFromNow(-5) })
    expect(await find()).toEqual([])
  })

  it('only hands out jobs of the queues asked for', async () => {
    const email = await schedule({ queue: 'email' })
    const reports = await schedule({ queue: 'reports' })
    await schedule({ queue: 'other' })
    expect(await find('host:w', { queues: [] })).toEqual([])
    expect((await find('host:w', { queues: ['email', 'reports'], limit: 10 })).map((job) => job.id).sort()).toEqual([email, reports].sort())
    expect((await find('host:w', { queues: '*', limit: 10 })).map((job) => job.queue)).toEqual(['other'])
  })

  it('does not hand a freshly locked job to another worker', async () => {
    await schedule()
    expect(await find('host:worker.0')).toHaveLength(1)
    expect(await find('host:worker.1')).toEqual([])
    expect(await newAdapter().find({ processName: 'other-host:worker.0', staleAfterSeconds: 60, queues: '*' })).toEqual([])
  })

  it('hands a job whose lock is older than staleAfterSeconds to another worker, counting another attempt', async () => {
    const id = await insertJob(database, { lockedAt: secondsFromNow(-70), lockedBy: 'dead-host:worker.0', attempts: 1, runAt: secondsFromNow(-70) })
    const fresh = await insertJob(database, { lockedAt: secondsFromNow(-45), lockedBy: 'busy-host:worker.0', attempts: 1, runAt: secondsFromNow(-70) })
    const jobs = await find('host:worker.1', { staleAfterSeconds: 60, limit: 10 })
    expect(jobs.map((job) => job.id)).toEqual([id])
    expect(jobs[0]).toMatchObject({ attempts: 2, lockedBy: 'host:worker.1' })
    expect(await readJob(database, fresh)).toMatchObject({ lockedBy: 'busy-host:worker.0', attempts: 1 })
  })

  it('gives a restarted worker the jobs it held under the same name before it started, and only to it', async () => {
    const id = await insertJob(database, { lockedAt: secondsFromNow(-1), lockedBy: 'host:worker.0', attempts: 1, runAt: secondsFromNow(-5) })
    expect(await find('host:worker.1')).toEqual([])
    const restarted = newAdapter()
    // Without its start time, a worker never takes its own fresh locks back.
    expect(await restarted.find({ processName: 'host:worker.0', staleAfterSeconds: 60, queues: '*' })).toEqual([])
    const jobs = await restarted.find({ processName: 'host:worker.0', staleAfterSeconds: 60, workerStartedAt: new Date(), queues: '*' })
    expect(jobs.map((job) => job.id)).toEqual([id])
    expect(jobs[0].attempts).toBe(2)
  })

  it('never hands a worker a job it locked since it started, even through another adapter instance', async () => {
    const workerStartedAt = secondsFromNow(-10)
    const first = await schedule({ runAt: secondsFromNow(-2) })
    const second = await schedule({ runAt: secondsFromNow(-1) })
    const findAsWorker = (through: PrismaAdapter) =>
      through.find({ processName: 'host:worker.0', staleAfterSeconds: 60, workerStartedAt, queues: '*' })
    expect((await findAsWorker(adapter)).map((job) => job.id)).toEqual([first])
    expect((await findAsWorker(newAdapter())).map((job) => job.id)).toEqual([second])
    // The adapter keeps no memory of what it handed out: the rows alone decide.
    expect(await findAsWorker(newAdapter())).toEqual([])
    expect(await findAsWorker(adapter)).toEqual([])
    expect((await readJob(database, first))!.attempts).toBe(1)
  })

  it('hands a job whose status write never went through back to its own worker only once the lock is stale', async () => {
    const workerStartedAt = secondsFromNow(-300)
    const id = await insertJob(database, { lockedAt: secondsFromNow(-30), lockedBy: 'host:worker.0', attempts: 1, runAt: secondsFromNow(-200) })
    const findAsWorker = () => adapter.find({ processName: 'host:worker.0', staleAfterSeconds: 60, workerStartedAt, queues: '*' })
    expect(await findAsWorker()).toEqual([])
    await insertJob(database, { lockedAt: secondsFromNow(-61), lockedBy: 'host:worker.0', attempts: 1, runAt: secondsFromNow(-200) })
    const [stale] = await findAsWorker()
    expect(stale.id).not.toBe(id)
    expect(stale.attempts).toBe(2)
  })

  it('records a failed attempt: unlocks, stores message and stack, and moves runAt to retryAt', async () => {
    const id = await schedule()
    const [job] = await find()
    const retryAt = secondsFromNow(3600)
    const error = new TypeError('mailer is down')
    await adapter.error({ job, error, retryAt })
    const row = await readJob(database, id)
    expect(row).toMatchObject({ lockedAt: null, lockedBy: null, failedAt: null, attempts: 1 })
    expect(row!.runAt.getTime()).toBe(retryAt.getTime())
    expect(row!.lastError).toContain('TypeError: mailer is down')
    expect(row!.lastError).toContain('prisma-adapter.test.ts')
    expect(await find()).toEqual([])
  })

  it.each([
    ['a NUL byte', 'bad\u0000byte', (stored: string) => expect(stored).toContain('Error: bad\\0byte')],
    ['a lone surrogate', 'half \uD83D pair', (stored: string) => expect(stored).toContain('Error: half \uFFFD pair')],
    [
      'a 70 KB message',
      'x'.repeat(70_000),
      (stored: string) => {
        expect(stored.length).toBeLessThanOrEqual(16_000)
        expect(stored).toMatch(/^Error: x{1000}/)
        expect(stored).toContain('[… cut: the error was too long to store …]')
      },
    ],
    ['multi-byte text beyond the column size', '€'.repeat(40_000), (stored: string) => expect(stored).toMatch(/^Error: €{1000}/)],
  ])('stores an error with %s, cleaned and capped, on a failed attempt and on give-up', async (_, message, check) => {
    const retried = await schedule()
    const givenUp = await schedule()
    const [first, second] = await find('host:worker.0', { limit: 2 })
    await adapter.error({ job: first, error: new Error(message), retryAt: secondsFromNow(60) })
    await adapter.failure({ job: second, error: new Error(message), deleteJob: false })
    const rows = [await readJob(database, retried), await readJob(database, givenUp)]
    for (const row of rows) {
      expect(row).toMatchObject({ lockedBy: null, lockedAt: null })
      check(row!.lastError as string)
    }
  })

  it('gives back jobs found but not run: unlocked, the attempt taken back, only where still held', async () => {
    const mine = await schedule()
    const takenOver = await schedule()
    const [job, other] = await find('host:worker.0', { limit: 2 })
    // Its lock went stale and another worker took it meanwhile.
    await jobsModel(database).updateMany({ where: { id: takenOver }, data: { lockedBy: 'host:worker.9', attempts: 2 } })
    await adapter.release({ jobs: [job, other] })
    expect(await readJob(database, mine)).toMatchObject({ lockedBy: null, lockedAt: null, attempts: 0 })
    expect(await readJob(database, takenOver)).toMatchObject({ lockedBy: 'host:worker.9', attempts: 2 })
    expect((await find('host:worker.1')).map((each) => each.id)).toEqual([mine])
  })

  it('records a job given up with failedAt and its error, and keeps it out of find', async () => {
    const id = await schedule()
    const [job] = await find()
    await adapter.failure({ job, error: new Error('gave up'), deleteJob: false })
    const row = await readJob(database, id)
    expect(row).toMatchObject({ lockedAt: null, lockedBy: null })
    expect(row!.failedAt).toBeInstanceOf(Date)
    expect(row!.lastError).toContain('Error: gave up')
    expect(await find()).toEqual([])
  })

  it('deletes a job given up when deleteJob is set', async () => {
    const id = await schedule()
    const [job] = await find()
    await adapter.failure({ job, error: new Error('gave up'), deleteJob: true })
    expect(await readJob(database, id)).toBeNull()
  })

  it('deletes a job that succeeded, or unlocks it when deleteJob is false', async () => {
    const deleted = await schedule()
    const kept = await schedule()
    const [first, second] = await find('host:worker.0', { limit: 2 })
    await adapter.success({ job: first, deleteJob: true })
    await adapter.error({ job: second, error: new Error('first try failed'), retryAt: new Date() })
    const [retried] = await find('host:worker.0')
    await adapter.success({ job: retried, deleteJob: false })
    expect(await readJob(database, deleted)).toBeNull()
    expect(await readJob(database, kept)).toMatchObject({ lockedAt: null, lockedBy: null, attempts: 2, failedAt: null, runAt: null, lastError: null })
  })

  it('never hands out again a job kept after success, even to the worker that ran it', async () => {
    const id = await schedule({ runAt: secondsFromNow(-5) })
    const [job] = await find('host:worker.0')
    await adapter.success({ job, deleteJob: false })
    expect(await find('host:worker.0', { limit: 10 })).toEqual([])
    expect(await find('host:worker.1', { limit: 10, staleAfterSeconds: 0 })).toEqual([])
    expect(await adapter.status()).toEqual([{ queue: 'default', waiting: 0, scheduled: 0, running: 0, failed: 0, succeeded: 1 }])
    expect((await readJob(database, id))!.attempts).toBe(1)
  })

  it('successAndFind deletes the finished job and locks the next due ones, in order, never the finished one', async () => {
    const finishedId = await schedule({ priority: 1 })
    const [finished] = await find('host:worker.0')
    expect(finished.id).toBe(finishedId)
    const held = await schedule({ priority: 2 })
    const [heldJob] = await find('host:worker.0')
    expect(heldJob.id).toBe(held)
    const later = await schedule({ priority: 9, runAt: secondsFromNow(-1) })
    const sooner = await schedule({ priority: 5, runAt: secondsFromNow(-1) })
    await schedule({ priority: 1, runAt: secondsFromNow(600) })
    const next = { processName: 'host:worker.0', staleAfterSeconds: 60, queues: '*' as const, limit: 1 }
    const found = await adapter.successAndFind({ jobs: [finished], deleteJob: true, next })
    expect(found.map((job) => job.id)).toEqual([sooner])
    expect(found[0]).toMatchObject({ attempts: 1, lockedBy: 'host:worker.0' })
    expect(await readJob(database, finishedId)).toBeNull()
    expect(await readJob(database, held)).toMatchObject({ lockedBy: 'host:worker.0' })
    const [rest, ...none] = await adapter.successAndFind({ jobs: [found[0]], deleteJob: true, next: { ...next, limit: 5 } })
    expect(rest.id).toBe(later)
    expect(none).toEqual([])
    expect(await adapter.successAndFind({ jobs: [rest], deleteJob: true, next })).toEqual([])
    expect((await readJobs(database)).map((row) => row.id)).not.toContain(later)
  })

  it('successAndFind with deleteJob false keeps the job as done and finds the next', async () => {
    const id = await schedule()
    const [job] = await find('host:worker.0')
    const other = await schedule()
    const found = await adapter.successAndFind({ jobs: [job], deleteJob: false, next: { processName: 'host:worker.0', staleAfterSeconds: 60, queues: '*' } })
    expect(found.map((next) => next.id)).toEqual([other])
    expect(await readJob(database, id)).toMatchObject({ lockedBy: null, runAt: null, failedAt: null })
  })

  it('does not touch a job another worker took over when the first one reports late', async () => {
    const id = await insertJob(database, { lockedAt: secondsFromNow(-120), lockedBy: 'slow-host:worker.0', attempts: 1, runAt: secondsFromNow(-200) })
    const slowJob = (await readJobs(database)).find((row) => row.id === id) as unknown as StoredJob
    const [taken] = await find('host:worker.1', { staleAfterSeconds: 60 })
    expect(taken.id).toBe(id)
    const warnings: unknown[] = []
    const slowAdapter = newAdapter({
      logger: { debug() {}, info() {}, error() {}, warn: (message: unknown) => warnings.push(message) },
    })
    await slowAdapter.error({ job: slowJob, error: new Error('late'), retryAt: secondsFromNow(10) })
    await slowAdapter.failure({ job: slowJob, error: new Error('late'), deleteJob: false })
    await slowAdapter.failure({ job: slowJob, error: new Error('late'), deleteJob: true })
    expect(await readJob(database, id)).toMatchObject({ lockedBy: 'host:worker.1', lastError: null, failedAt: null })
    expect(warnings).toHaveLength(3)
    expect(String(warnings[0])).toContain(`job ${id}: its failed attempt was not recorded because slow-host:worker.0 no longer holds it`)
  })

  it('clears every job, or only the given queues, and says how many', async () => {
    await schedule({ queue: 'a' })
    await schedule({ queue: 'a' })
    await schedule({ queue: 'b' })
    await schedule({ queue: 'c' })
    expect(await adapter.clear({ queues: ['a', 'b'] })).toBe(3)
    expect((await readJobs(database)).map((row) => row.queue)).toEqual(['c'])
    expect(await adapter.clear()).toBe(1)
    expect(await readJobs(database)).toEqual([])
  })

  it('renews the lock only of jobs still held by the process', async () => {
    const mine = await insertJob(database, { lockedAt: secondsFromNow(-50), lockedBy: 'host:worker.0', attempts: 1 })
    const theirs = await insertJob(database, { lockedAt: secondsFromNow(-50), lockedBy: 'host:worker.9', attempts: 1 })
    const rows = (await readJobs(database)) as unknown as StoredJob[]
    const before = Date.now()
    await adapter.heartbeat({ jobs: rows, processName: 'host:worker.0' })
    expect((await readJob(database, mine))!.lockedAt.getTime()).toBeGreaterThanOrEqual(before - 5)
    expect((await readJob(database, theirs))!.lockedAt.getTime()).toBeLessThan(before - 40_000)
    // Renewed, so no longer stale for a 60 s threshold; the other one is not renewed.
    expect((await find('host:worker.1', { staleAfterSeconds: 45, limit: 10 })).map((job) => job.id)).toEqual([theirs])
  })

  it('counts waiting, scheduled, running, failed and succeeded jobs per queue', async () => {
    await schedule({ queue: 'email' })
    await schedule({ queue: 'email' })
    await schedule({ queue: 'email', runAt: secondsFromNow(600) })
    await insertJob(database, { queue: 'email', lockedAt: secondsFromNow(-5), lockedBy: 'h:w', attempts: 1 })
    await insertJob(database, { queue: 'email', lockedAt: secondsFromNow(-7200), lockedBy: 'dead:w', attempts: 1, runAt: secondsFromNow(-7300) })
    await insertJob(database, { queue: 'reports', failedAt: new Date(), attempts: 24 })
    await insertJob(database, { queue: 'reports', runAt: null, attempts: 1 })
    // Without staleAfterSeconds, a lock is stale after DEFAULT_STALE_LOCK_SECONDS (60 s).
    await insertJob(database, { queue: 'reports', lockedAt: secondsFromNow(-90), lockedBy: 'quiet:w', attempts: 1, runAt: secondsFromNow(-100) })
    expect(await adapter.status()).toEqual([
      { queue: 'email', waiting: 3, scheduled: 1, running: 1, failed: 0, succeeded: 0 },
      { queue: 'reports', waiting: 1, scheduled: 0, running: 0, failed: 1, succeeded: 1 },
    ])
    expect(await adapter.status({ staleAfterSeconds: 3600 })).toEqual([
      { queue: 'email', waiting: 3, scheduled: 1, running: 1, failed: 0, succeeded: 0 },
      { queue: 'reports', waiting: 0, scheduled: 0, running: 1, failed: 1, succeeded: 1 },
    ])
  })

  it('stores a job in the caller\'s transaction: gone on rollback, kept on commit', async () => {
    const rollback = new Error('rollback')
    await expect(
      database.db.$transaction(async (tx) => {
        await adapter.schedule({ handler: handler('RolledBack'), queue: 'default', priority: 50, runAt: new Date(), db: tx })
        throw rollback
      }),
    ).rejects.toBe(rollback)
    expect(await readJobs(database)).toEqual([])
    const id = await database.db.$transaction(async (tx) =>
      adapter.schedule({ handler: handler('Committed'), queue: 'default', priority: 50, runAt: new Date(), db: tx }),
    )
    expect((await readJobs(database)).map((row) => row.id)).toEqual([id])
  })
})
