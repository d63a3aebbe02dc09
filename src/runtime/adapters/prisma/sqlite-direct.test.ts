/**
 * PrismaAdapter's `betterSqlite3` option on real SQLite files: the worker's
 * statements run on the adapter's own better-sqlite3 connection
 * (`sqlite-direct.ts`) beside the app's Prisma client.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { jobsModel, readJobs } from '../../../../test/support/jobs-table.js'
import { loadPrismaClientClass, readMigrationSql } from '../../../../test/support/prisma-clients.js'
import Database from 'better-sqlite3'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { workoffWorker } from '../../../../test/support/workoff-worker.js'
import { JobManager } from '../../manager/job-manager.js'
import type { Logger, StoredJob } from '../../types.js'
import { PrismaAdapter } from './prisma-adapter.js'
import { SQLITE_DIRECT_FILE_CHECK_MS, SqliteDirect } from './sqlite-direct.js'

const handler = (name: string, args: unknown[] = []) => JSON.stringify({ name, path: `${name}/${name}`, args })
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const find = (adapter: PrismaAdapter, processName = 'host:direct') => adapter.find({ processName, queues: '*', limit: 5, staleAfterSeconds: 60 })

describe('PrismaAdapter betterSqlite3 on a SQLite file', () => {
  let database: TestDatabase | undefined
  const adapters: PrismaAdapter[] = []
  afterEach(async () => {
    for (const adapter of adapters.splice(0)) await adapter.close()
    await database?.drop()
    database = undefined
  })
  const direct = (db: unknown, logger: Logger = quiet) => {
    const adapter = new PrismaAdapter({ db, betterSqlite3: true, watchSqliteFile: false, logger })
    adapters.push(adapter)
    return adapter
  }

  it('waits for a write lock held by a Prisma transaction of the same process without blocking it, then finds its job', async () => {
    database = await createTestDatabase('sqlite')
    const adapter = direct(database.db)
    await find(adapter) // opens the connection
    let found: Promise<StoredJob[]> | undefined
    await database.db.$transaction(async (tx: any) => {
      await jobsModel(database!, tx).create({ data: { handler: handler('TestJob'), queue: 'default', priority: 50, runAt: new Date(Date.now() - 1000) } })
      // The transaction holds SQLite's write lock and awaits: a find that waited synchronously would block the
      // event loop, so the transaction could never commit, and the find would fail after its busy timeout.
      found = find(adapter)
      await new Promise((resolve) => setTimeout(resolve, 300))
    })
    const jobs = await found!
    expect(jobs.map((job) => job.handler)).toEqual([handler('TestJob')])
  }, 30_000)

  it.each(['iso8601', 'unixepoch-ms'] as const)('writes and compares dates as the driver adapter does (timestampFormat %s)', async (timestampFormat) => {
    database = await createTestDatabase('sqlite')
    const PrismaClient = await loadPrismaClientClass('sqlite')
    const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: database.url }, { timestampFormat }) })
    try {
      const model = (db as any).backgroundJob
      await model.create({ data: { handler: handler('Due'), queue: 'default', priority: 50, runAt: new Date(Date.now() - 1000) } })
      await model.create({ data: { handler: handler('Later'), queue: 'default', priority: 50, runAt: new Date(Date.now() + 60_000) } })
      const adapter = direct(db)
      const before = Date.now()
      const [job, ...rest] = await find(adapter)
      expect(rest).toEqual([])
      expect(job!.handler).toBe(handler('Due'))
      // Read back through Prisma's model API: the lock the direct connection wrote is a date Prisma reads.
      const row = await model.findUnique({ where: { id: job!.id } })
      expect(row.lockedBy).toBe('host:direct')
      expect(row.lockedAt.getTime()).toBeGreaterThanOrEqual(before - 5)
      await adapter.heartbeat({ jobs: [job!], processName: 'host:direct' })
      // A stale-lock rule on the dates written: with a zero stale threshold the lock is stale at once, for someone else.
      await new Promise((resolve) => setTimeout(resolve, 20))
      const taken = await adapter.find({ processName: 'host:other', queues: '*', limit: 5, staleAfterSeconds: 0 })
      expect(taken.map((each) => each.id)).toEqual([job!.id])
      await adapter.error({ job: taken[0]!, error: new Error('boom'), retryAt: new Date(Date.now() + 60_000) })
      const failed = await model.findUnique({ where: { id: job!.id } })
      expect(failed).toMatchObject({ lockedBy: null, lockedAt: null, attempts: 2 })
      expect(failed.lastError).toContain('boom')
      expect(failed.runAt.getTime()).toBeGreaterThan(Date.now() + 50_000)
      expect(await find(adapter)).toEqual([])
    } finally {
      await db.$disconnect()
    }
  }, 30_000)

  it('keeps a finished job whose holder is null (IS, not =), and counts a report on a job it no longer holds as nothing', async () => {
    database = await createTestDatabase('sqlite')
    const adapter = direct(database.db)
    const model = jobsModel(database)
    const { id } = await model.create({ data: { handler: handler('TestJob'), queue: 'default', priority: 50, runAt: new Date() } })
    const job = { id, lockedBy: null } as StoredJob
    await adapter.successAndFind({ jobs: [job], deleteJob: false })
    expect(await model.findUnique({ where: { id } })).toMatchObject({ runAt: null, lockedBy: null })
    const warnings: string[] = []
    const watched = direct(database.db, { ...quiet, warn: (m: string) => warnings.push(m) })
    await watched.error({ job: { ...job, lockedBy: 'host:gone' }, error: new Error('late'), retryAt: new Date() })
    expect(warnings).toHaveLength(1)
    expect(await model.findUnique({ where: { id } })).toMatchObject({ lastError: null })
  })

  it('runs every job exactly once with a direct and a Prisma-only adapter draining the same file at concurrency 5', async () => {
    database = await createTestDatabase('sqlite')
    await database.db.$queryRawUnsafe('PRAGMA journal_mode = WAL')
    const other = await database.newClient()
    const ran = new Map<number, number>()
    const make = (adapter: PrismaAdapter, processName: string) => {
      const registry: Record<string, unknown> = {}
      const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger: quiet, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
      registry.CountedJob = jobs.createJob({ queue: 'default', perform: async (n: number) => void ran.set(n, (ran.get(n) ?? 0) + 1) })
      return workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger: quiet, concurrency: 5, processName })
    }
    await jobsModel(database).createMany({
      data: Array.from({ length: 400 }, (_, i) => ({ handler: handler('CountedJob', [i]), queue: 'default', priority: 50, runAt: new Date(Date.now() - 60_000 + i) })),
    })
    const plain = new PrismaAdapter({ db: other, watchSqliteFile: false, logger: quiet })
    const results = await Promise.all([make(direct(database.db), 'host:a.0').run(), make(direct(await database.newClient()), 'host:b.0').run(), make(plain, 'host:c.0').run()])
    expect(results).toEqual(['done', 'done', 'done'])
    expect(ran.size).toBe(400)
    expect([...ran.values()].every((count) => count === 1)).toBe(true)
    expect(await readJobs(database)).toEqual([])
  }, 120_000)

  it('a refused success write (a trigger RAISE(ABORT)) loses nothing: the others are recorded once, the refused one stays held', async () => {
    database = await createTestDatabase('sqlite')
    const warnings: string[] = []
    const logger: Logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) }
    const adapter = direct(database.db, logger)
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default', 'refuse'] as const, logger: quiet, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
    const ran: number[] = []
    registry.CountedJob = jobs.createJob({ queue: 'default', perform: async (n: number) => { await new Promise((r) => setTimeout(r, 5)); ran.push(n) } })
    await jobsModel(database).createMany({
      data: Array.from({ length: 30 }, (_, i) => ({ handler: handler('CountedJob', [i]), queue: i === 4 ? 'refuse' : 'default', priority: 50, runAt: new Date(Date.now() - 60_000 + i) })),
    })
    await database.db.$executeRawUnsafe(`CREATE TRIGGER jk_refuse_d BEFORE DELETE ON "BackgroundJob" FOR EACH ROW WHEN OLD."queue" = 'refuse' BEGIN SELECT RAISE(ABORT, 'refused'); END`)
    const worker = workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger, concurrency: 10, statusWriteRetryDelaysSeconds: [] })
    expect(await worker.run()).toBe('done')
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i))
    const rows = await readJobs(database)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ queue: 'refuse', lockedBy: 'test-host:jobs-kit-worker.all.0', attempts: 1 })
    expect(warnings.filter((w) => /no longer holds it/.test(w))).toEqual([])
    expect(warnings.filter((w) => /could not be marked done/.test(w))).toHaveLength(1)
  }, 120_000)

  it.each(['replaced', 'deleted'] as const)('says so, at each poll, when the database file is %s while it runs (prisma migrate reset), instead of polling the old file in silence', async (how) => {
    database = await createTestDatabase('sqlite')
    const adapter = direct(database.db)
    expect(await find(adapter)).toEqual([]) // opens the connection
    const file = database.url.replace(/^file:/, '')
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true })
    if (how === 'replaced') {
      const fresh = new Database(file)
      fresh.exec(readMigrationSql('sqlite', 'default'))
      fresh.prepare(`INSERT INTO "BackgroundJob" ("handler", "queue", "priority", "runAt", "updatedAt") VALUES (?, 'default', 50, ?, ?)`).run(handler('New'), new Date(0).toISOString(), new Date().toISOString())
      fresh.close()
    }
    await new Promise((resolve) => setTimeout(resolve, SQLITE_DIRECT_FILE_CHECK_MS + 50))
    await expect(find(adapter)).rejects.toThrow(new RegExp(`${file}.*was ${how === 'replaced' ? 'replaced by another file' : 'deleted'}.*Restart the workers`))
    // Every poll after says it again (at most one stat a second between them), not only the first.
    await expect(find(adapter)).rejects.toThrow(/was (replaced|deleted)/)
  }, 30_000)

  it('refuses, and stays on Prisma, when the app reaches SQLite through another copy of the library (libsql, a second better-sqlite3): their locks are not shared', async () => {
    database = await createTestDatabase('sqlite')
    const file = database.url.replace(/^file:/, '')
    // A second copy of better-sqlite3 (its own SQLite), as an app has with @prisma/adapter-libsql or two better-sqlite3 versions.
    const folder = mkdtempSync(join(tmpdir(), 'jk-two-sqlites-'))
    for (const name of ['better-sqlite3', 'bindings', 'file-uri-to-path']) cpSync(join('node_modules', name), join(folder, 'node_modules', name), { recursive: true })
    // A client as Prisma's driver adapter makes it: one connection, `$transaction` as BEGIN … COMMIT on it.
    const clientOn = (Sqlite: typeof Database) => {
      const connection = new Sqlite(file)
      connection.pragma('busy_timeout = 100')
      const run = async (sql: string, ...values: unknown[]) => {
        const statement = connection.prepare(sql)
        const bound = values.map((value) => (value instanceof Date ? value.toISOString() : value))
        return statement.reader ? statement.all(...bound) : statement.run(...bound).changes
      }
      const client: any = {
        $queryRawUnsafe: run,
        $executeRawUnsafe: run,
        async $transaction(fn: (tx: unknown) => Promise<unknown>) {
          connection.exec('BEGIN')
          try {
            const result = await fn(client)
            connection.exec('COMMIT')
            return result
          } catch (error) {
            connection.exec('ROLLBACK')
            throw error
          }
        },
        close: () => connection.close(),
      }
      return client
    }
    const other = clientOn(createRequire(join(folder, 'index.js'))('better-sqlite3'))
    const same = clientOn(Database)
    try {
      expect(await SqliteDirect.open(other)).toMatch(/another copy of the SQLite library.*corrupt/)
      const opened = await SqliteDirect.open(same)
      expect(opened).toBeInstanceOf(SqliteDirect)
      ;(opened as SqliteDirect).close()
    } finally {
      other.close()
      same.close()
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('stays on Prisma, with a warning, for an in-memory database; refuses another provider', async () => {
    const PrismaClient = await loadPrismaClientClass('sqlite')
    const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: ':memory:' }) })
    const warnings: string[] = []
    try {
      await (db as any).$executeRawUnsafe('CREATE TABLE "BackgroundJob" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "handler" TEXT NOT NULL, "queue" TEXT NOT NULL, "priority" INTEGER NOT NULL, "runAt" DATETIME, "attempts" INTEGER NOT NULL DEFAULT 0, "lockedAt" DATETIME, "lockedBy" TEXT, "lastError" TEXT, "failedAt" DATETIME, "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" DATETIME NOT NULL)')
      const adapter = direct(db, { ...quiet, warn: (m: string) => warnings.push(m) })
      await adapter.schedule({ handler: { name: 'TestJob', path: 'TestJob/TestJob', args: [] }, queue: 'default', priority: 50, runAt: new Date(Date.now() - 1000) })
      expect(await find(adapter)).toHaveLength(1)
      expect(warnings.join('\n')).toMatch(/betterSqlite3.*in memory/)
    } finally {
      await db.$disconnect()
    }
    expect(() => new PrismaAdapter({ db: { $queryRawUnsafe() {}, $executeRawUnsafe() {} }, provider: 'postgresql', betterSqlite3: true }).provider).toThrow(/SQLite only/)
  })
})
