/**
 * SQLite through Prisma 7's `@prisma/adapter-better-sqlite3`, which has ONE
 * connection: an interactive transaction is a `BEGIN` on it, and a statement
 * sent outside a transaction while one is open runs inside it. The runtime's
 * writes must not: a rollback of the app's (or a job's) transaction would
 * undo the worker's claims and reports, or a `later()` made meanwhile
 * (`sqlite-own-transactions.ts`). Real files, the real client and adapter.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { jobsModel, readJobs, sleep } from '../../../../test/support/jobs-table.js'
import { workoffWorker } from '../../../../test/support/workoff-worker.js'
import { JobManager } from '../../manager/job-manager.js'
import { SqliteConnectionBusyError } from '../../errors.js'
import type { Logger } from '../../types.js'
import { PrismaAdapter } from './prisma-adapter.js'

const handler = (name: string, args: unknown[] = []) => JSON.stringify({ name, path: `${name}/${name}`, args })

/** Resolves once the transaction's callback runs (its BEGIN is on the connection), then holds it `holdMs` and rolls it back. */
function rolledBackTransaction(database: TestDatabase, holdMs: number): { begun: Promise<void>; ended: Promise<unknown> } {
  let begun!: () => void
  const started = new Promise<void>((resolve) => (begun = resolve))
  const ended = database.db
    .$transaction(
      async (tx: any) => {
        await jobsModel(database, tx).create({ data: { handler: handler('AppRow'), queue: 'app', priority: 50, runAt: new Date(Date.now() + 3_600_000) } })
        begun()
        const until = Date.now() + holdMs
        // The app keeps working in its transaction (as a request would), so the event loop turns meanwhile.
        while (Date.now() < until) {
          await tx.$queryRawUnsafe('SELECT 1')
          await sleep(20)
        }
        throw new Error('the app rolls back')
      },
      { timeout: holdMs + 20_000 },
    )
    .then(
      () => 'committed',
      (error: Error) => error.message,
    )
  return { begun: started, ended }
}

describe('PrismaAdapter on SQLite through a driver adapter with one shared connection', () => {
  let database: TestDatabase | undefined
  const adapters: PrismaAdapter[] = []
  afterEach(async () => {
    for (const adapter of adapters.splice(0)) await adapter.close()
    await database?.drop()
    database = undefined
  })

  function setUp(options: { betterSqlite3?: boolean; concurrency?: number; logger?: Logger } = {}) {
    const logger = options.logger ?? { debug() {}, info() {}, warn() {}, error() {} }
    const adapter = new PrismaAdapter({ db: database!.db, betterSqlite3: options.betterSqlite3, watchSqliteFile: false, logger })
    adapters.push(adapter)
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
    const ran = new Map<number, number>()
    const CountedJob = jobs.createJob({
      queue: 'default',
      perform: async (n: number) => {
        await sleep(2)
        ran.set(n, (ran.get(n) ?? 0) + 1)
      },
    })
    registry.CountedJob = CountedJob
    const worker = () => workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger, concurrency: options.concurrency ?? 1 })
    return { adapter, jobs, registry, ran, CountedJob, worker }
  }

  async function insertCounted(count: number): Promise<void> {
    await jobsModel(database!).createMany({
      data: Array.from({ length: count }, (_, i) => ({ handler: handler('CountedJob', [i]), queue: 'default', priority: 50, runAt: new Date(Date.now() - 60_000 + i) })),
    })
  }

  it.each([
    { concurrency: 1, betterSqlite3: false },
    { concurrency: 4, betterSqlite3: false },
    { concurrency: 1, betterSqlite3: true },
    { concurrency: 4, betterSqlite3: true },
  ])(
    'an app transaction held open and rolled back while the worker runs (concurrency $concurrency, betterSqlite3 $betterSqlite3): every job runs once, none is lost',
    async ({ concurrency, betterSqlite3 }) => {
      database = await createTestDatabase('sqlite')
      const { ran, worker } = setUp({ concurrency, betterSqlite3 })
      const count = 120
      await insertCounted(count)
      const first = worker().run()
      const deadline = Date.now() + 20_000
      while (ran.size < 5 && Date.now() < deadline) await sleep(2)
      const transaction = rolledBackTransaction(database, 1_000)
      expect(await transaction.ended).toBe('the app rolls back')
      expect(await first).toBe('done')
      // Whatever the rollback gave back would run again here.
      expect(await worker().run()).toBe('done')
      expect(ran.size).toBe(count)
      expect([...ran.entries()].filter(([, times]) => times !== 1)).toEqual([])
      expect(await readJobs(database)).toEqual([])
    },
    60_000,
  )

  it('a job whose own $transaction throws, at concurrency 4: every other job runs once', async () => {
    database = await createTestDatabase('sqlite')
    const { ran, registry, jobs, worker } = setUp({ concurrency: 4 })
    const db = database.db
    let rolledBack = 0
    registry.TxJob = jobs.createJob({
      queue: 'default',
      perform: async () => {
        await db
          .$transaction(async (tx: any) => {
            await tx.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS app_rows (v)`)
            await tx.$executeRawUnsafe(`INSERT INTO app_rows (v) VALUES (1)`)
            await sleep(300)
            throw new Error('validation failed: roll back')
          })
          .catch(() => rolledBack++)
      },
    })
    await jobsModel(database).createMany({
      data: [0, 1, 2].map((i) => ({ handler: handler('TxJob'), queue: 'default', priority: 10, runAt: new Date(Date.now() - 120_000 + i * 1000) })),
    })
    await insertCounted(200)
    expect(await worker().run()).toBe('done')
    expect(await worker().run()).toBe('done')
    expect(rolledBack).toBe(3)
    expect(ran.size).toBe(200)
    expect([...ran.entries()].filter(([, times]) => times !== 1)).toEqual([])
    expect(await readJobs(database)).toEqual([])
  }, 60_000)

  it.each([false, true])(
    'later() and later.many() outside a transaction while another one is open and rolls back: the jobs exist afterwards (betterSqlite3 %s)',
    async (betterSqlite3) => {
      database = await createTestDatabase('sqlite')
      const { adapter, jobs, CountedJob } = setUp({ betterSqlite3 })
      const later = jobs.createScheduler({ adapter: 'prisma' })
      // The direct connection is opened (and the date format read) before the app's transaction.
      await adapter.find({ processName: 'host:nobody', queues: ['none'], limit: 1, staleAfterSeconds: 60 })
      const transaction = rolledBackTransaction(database, 300)
      await transaction.begun
      const id = await later(CountedJob, [1])
      const ids = await later.many(CountedJob, [[2], [3]])
      expect(await transaction.ended).toBe('the app rolls back')
      const rows = await readJobs(database)
      expect(rows.map((row) => row.id)).toEqual([id, ...ids])
      expect(rows.map((row) => JSON.parse(row.handler).args)).toEqual([[1], [2], [3]])
    },
    30_000,
  )

  it('a failure report and clear() outside a transaction that rolls back stay done', async () => {
    database = await createTestDatabase('sqlite')
    const { adapter } = setUp()
    await insertCounted(1)
    await jobsModel(database).createMany({ data: [1, 2].map((i) => ({ handler: handler('CountedJob', [i]), queue: 'old', priority: 50, runAt: new Date() })) })
    const [job] = await adapter.find({ processName: 'host:a', queues: ['default'], limit: 1, staleAfterSeconds: 60 })
    const transaction = rolledBackTransaction(database, 300)
    await transaction.begun
    await adapter.failure({ job: job!, error: new Error('given up'), deleteJob: false })
    expect(await adapter.clear({ queues: ['old'] })).toBe(2)
    expect(await transaction.ended).toBe('the app rolls back')
    const rows = await readJobs(database)
    expect(rows.map((row) => ({ id: row.id, lockedBy: row.lockedBy, failed: row.failedAt !== null }))).toEqual([{ id: job!.id, lockedBy: null, failed: true }])
  }, 30_000)

  it('later() inside db.$transaction without { db: tx } fails with what to do, and the transaction rolls back', async () => {
    database = await createTestDatabase('sqlite')
    const { jobs, CountedJob } = setUp()
    const later = jobs.createScheduler({ adapter: 'prisma' })
    const outcome = await database.db
      .$transaction(async (tx: any) => {
        await jobsModel(database!, tx).create({ data: { handler: handler('AppRow'), queue: 'app', priority: 50, runAt: new Date() } })
        await later(CountedJob, [1])
      })
      .then(
        () => 'committed',
        (error: unknown) => error,
      )
    expect(outcome).toBeInstanceOf(SqliteConnectionBusyError)
    expect((outcome as Error).message).toContain('pass { db: tx }')
    expect(await readJobs(database)).toEqual([])
  }, 30_000)
})
