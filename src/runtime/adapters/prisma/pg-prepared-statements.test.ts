/**
 * The `pg` option runs the worker's statements as named prepared statements
 * (pg-pool.ts, `PreparedStatementNames`). On a real PostgreSQL: they are
 * prepared once per connection, and a worker keeps working when the server
 * forgets them (a transaction pooler) or refuses them after a migration
 * changed the jobs table.
 */
import { createHash } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { pgPoolQuery, PreparedStatementNames, type PgPoolLike } from './pg-pool.js'
import { PrismaAdapter } from './prisma-adapter.js'

const find = { processName: 'host:w.0', staleAfterSeconds: 60, queues: '*' as const, limit: 1 }
const handler = { name: 'A', path: 'A/A', args: [] }

describe('PrismaAdapter pg option: named prepared statements on postgresql', () => {
  let database: TestDatabase
  /** One connection, so the test sees the connection the adapter's statements run on. */
  let pool: pg.Pool

  beforeAll(async () => {
    database = await createTestDatabase('postgresql')
  })
  beforeEach(async () => {
    await pool?.end()
    pool = new pg.Pool({ connectionString: database.url, max: 1 })
  })
  afterAll(async () => {
    await pool?.end()
    await database?.drop()
  })

  const prepared = async () =>
    (await pool.query(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'jobs_kit_%'`)).rows.map((row) => String(row.statement))

  it('prepares the finding statement once per connection and runs it by name after that', async () => {
    const adapter = new PrismaAdapter({ db: database.db, pg: { pool } })
    await adapter.clear()
    const ids = []
    for (let i = 0; i < 3; i++) ids.push(await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) }))
    let [job] = await adapter.find(find)
    const found = [job.id]
    for (;;) {
      const [next] = await adapter.successAndFind({ jobs: [job], deleteJob: true, next: find })
      if (!next) break
      found.push(next.id)
      job = next
    }
    expect(found).toEqual(ids)
    const statements = await prepared()
    // find, and finish-and-find (one text for a batch of one): each prepared once, reused for every job.
    expect(statements).toHaveLength(2)
    expect(statements.some((sql) => sql.includes('DELETE'))).toBe(true)
  })

  it('keeps finding jobs after a migration changed the jobs table (PostgreSQL refused the prepared statements: "cached plan must not change result type")', async () => {
    const adapter = new PrismaAdapter({ db: database.db, pg: { pool } })
    await adapter.clear()
    const before = await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
    expect((await adapter.find(find)).map((job) => job.id)).toEqual([before])
    await database.db.$executeRawUnsafe(`ALTER TABLE "BackgroundJob" ADD COLUMN "addedByAMigration" TEXT`)
    try {
      const after = await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
      expect((await adapter.find(find)).map((job) => job.id)).toEqual([after])
      // …and the statements after it are named again, under the new generation.
      expect((await adapter.successAndFind({ jobs: [], deleteJob: true, next: find }))).toEqual([])
      expect((await pool.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'jobs_kit_2_%'`)).rows[0].n).toBeGreaterThan(0)
    } finally {
      await database.db.$executeRawUnsafe(`ALTER TABLE "BackgroundJob" DROP COLUMN "addedByAMigration"`)
    }
  })

  it('keeps finding jobs when the server forgets its prepared statements (a transaction pooler), then runs them unnamed', async () => {
    const adapter = new PrismaAdapter({ db: database.db, pg: { pool } })
    await adapter.clear()
    const first = await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
    expect((await adapter.find(find)).map((job) => job.id)).toEqual([first])
    // pg still believes the statement is prepared on this connection; the server no longer has it.
    await pool.query('DEALLOCATE ALL')
    const second = await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
    expect((await adapter.find(find)).map((job) => job.id)).toEqual([second])
    const third = await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
    expect((await adapter.find(find)).map((job) => job.id)).toEqual([third])
    expect(await prepared()).toEqual([])
  })

  it('keeps finding jobs when a second adapter on the same pool meets a plan that a migration outdated after the first adapter renamed it', async () => {
    const first = new PrismaAdapter({ db: database.db, pg: { pool } })
    const second = new PrismaAdapter({ db: database.db, pg: { pool } })
    await first.clear()
    // A worker's first find also takes back its own earlier locks (another text): both adapters past it.
    for (const adapter of [first, second, first, second]) await adapter.find(find)
    await database.db.$executeRawUnsafe(`ALTER TABLE "BackgroundJob" ADD COLUMN "firstMigration" TEXT`)
    try {
      // The first adapter meets the first migration alone, and prepares its statement again under a new name.
      await first.find(find)
      await database.db.$executeRawUnsafe(`ALTER TABLE "BackgroundJob" ADD COLUMN "secondMigration" TEXT`)
      const id = await first.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
      expect((await second.find(find)).map((job) => job.id)).toEqual([id])
      const next = await first.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
      expect((await first.find(find)).map((job) => job.id)).toEqual([next])
    } finally {
      await database.db.$executeRawUnsafe(`ALTER TABLE "BackgroundJob" DROP COLUMN IF EXISTS "firstMigration", DROP COLUMN IF EXISTS "secondMigration"`)
    }
  })

  it('runs a statement unnamed when its new name is refused again (PgBouncer 1.21+ prepares each text once per server connection, under its own name)', async () => {
    // PgBouncer with max_prepared_statements renames every statement after its
    // text (PGBOUNCER_<n>, src/prepare.c) and keeps it on its server connections:
    // a migration outdates it whatever name the worker gives the text. One
    // connection (a Client: pool.query would drop the connection on the error)
    // and the same renaming play its part.
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      const bouncer = {
        query: (config: { name?: string; text: string; values: unknown[] }) =>
          client.query(config.name === undefined ? config : { ...config, name: `pgbouncer_${createHash('sha1').update(config.text).digest('hex')}` }),
        end: async () => {},
        on: () => bouncer,
      }
      const query = pgPoolQuery(bouncer as unknown as PgPoolLike, new PreparedStatementNames())
      const sql = `SELECT * FROM "BackgroundJob" WHERE id < $1`
      expect(await query(sql, [0])).toEqual([])
      await database.db.$executeRawUnsafe(`ALTER TABLE "BackgroundJob" ADD COLUMN "addedByAMigration" TEXT`)
      try {
        expect(await query(sql, [0])).toEqual([])
        expect(await query(sql, [0])).toEqual([])
      } finally {
        await database.db.$executeRawUnsafe(`ALTER TABLE "BackgroundJob" DROP COLUMN "addedByAMigration"`)
      }
    } finally {
      await client.end()
    }
  })

  it('does not send again a statement whose connection was killed while it ran (it may have committed: a retry could claim or delete twice)', async () => {
    let statementsSent = 0
    const counting = {
      query: (config: Parameters<PgPoolLike['query']>[0]) => {
        statementsSent += 1
        return pool.query(config)
      },
      end: async () => {},
      on: () => counting,
    }
    const adapter = new PrismaAdapter({ db: database.db, pg: { pool: counting } })
    await adapter.clear()
    await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
    const [job] = await adapter.find(find)
    // Another session holds the job's row: the delete of finish-and-find waits on it, mid-statement.
    const blocker = new pg.Client({ connectionString: database.url })
    await blocker.connect()
    try {
      await blocker.query('BEGIN')
      await blocker.query(`SELECT id FROM "BackgroundJob" WHERE id = $1 FOR UPDATE`, [job.id])
      statementsSent = 0
      const finishing = adapter.successAndFind({ jobs: [job], deleteJob: true, next: find })
      finishing.catch(() => undefined)
      let waiting: number | undefined
      for (let tries = 0; waiting === undefined && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        const { rows } = await blocker.query(`SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)
        waiting = rows[0]?.pid
      }
      expect(waiting).toBeDefined()
      await blocker.query('SELECT pg_terminate_backend($1)', [waiting])
      await expect(finishing).rejects.toThrow(/terminat/i)
      expect(statementsSent).toBe(1)
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined)
      await blocker.end()
    }
  })

  it('renews a lock at the right time after a migration made the jobs table\'s timestamps timestamptz, under a TimeZone other than UTC', async () => {
    // A prepared statement keeps the parameter types of its first Parse: `timestamp`, even once a migration made the
    // column timestamptz. The adapter sends dates as UTC text without an offset, which both types read alike, and
    // which Prisma's adapter-pg sends too: the renewed lock is the time Prisma reads back, in any server TimeZone.
    // (Sent with a `Z`, a `timestamptz` parameter honoured it while Prisma's writes and reads use the session's
    // TimeZone: in Tokyo a lock 9 hours in the past as Prisma sees it, stale for every worker.)
    const name = new URL(database.url).pathname.slice(1)
    await pool.query(`ALTER DATABASE "${name}" SET timezone TO 'Asia/Tokyo'`)
    const columns = ['runAt', 'lockedAt', 'failedAt', 'createdAt', 'updatedAt']
    const alter = (type: string, using: string) =>
      pool.query(`ALTER TABLE "BackgroundJob" ${columns.map((column) => `ALTER COLUMN "${column}" SET DATA TYPE ${type} USING "${column}" ${using}`).join(', ')}`)
    try {
      await pool.end()
      pool = new pg.Pool({ connectionString: database.url, max: 1 })
      const prisma = await database.newClient()
      expect((await pool.query(`SELECT current_setting('TimeZone') AS zone`)).rows[0].zone).toBe('Asia/Tokyo')
      const adapter = new PrismaAdapter({ db: prisma, pg: { pool } })
      await adapter.clear()
      await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
      const jobs = await adapter.find(find)
      await adapter.heartbeat({ jobs, processName: find.processName })
      await alter('TIMESTAMPTZ(3)', `AT TIME ZONE 'Asia/Tokyo'`)
      await adapter.heartbeat({ jobs, processName: find.processName })
      const [row] = (await prisma.$queryRawUnsafe(`SELECT "lockedAt" FROM "BackgroundJob"`)) as { lockedAt: Date }[]
      expect(Math.abs(row.lockedAt.getTime() - Date.now())).toBeLessThan(60_000)
      const [job] = await prisma.backgroundJob.findMany({})
      expect(Math.abs(job.lockedAt.getTime() - Date.now())).toBeLessThan(60_000)
      // Another worker finds nothing: the lock is fresh as the claim compares it too.
      expect(await new PrismaAdapter({ db: prisma }).find({ ...find, processName: 'h:other' })).toEqual([])
      expect(await adapter.find({ ...find, processName: 'h:other' })).toEqual([])
    } finally {
      await alter('TIMESTAMP(3)', `AT TIME ZONE 'Asia/Tokyo'`)
      await pool.query(`ALTER DATABASE "${name}" RESET timezone`)
    }
  })

  it('names no statement when the URL says pgbouncer=true (Prisma\'s switch for transaction poolers)', async () => {
    const url = new URL(database.url)
    url.searchParams.set('pgbouncer', 'true')
    url.searchParams.set('application_name', 'jobs_kit_pgbouncer_test')
    const adapter = new PrismaAdapter({ db: database.db, pg: { connectionString: url.toString() } })
    try {
      await adapter.clear()
      const id = await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
      expect((await adapter.find(find)).map((job) => job.id)).toEqual([id])
      // The adapter's own connection: prepared statements are visible to their session only, so ask through it.
      const [row] = (await (adapter as unknown as { workerQuery: () => Promise<(sql: string, values: unknown[]) => Promise<Record<string, unknown>[]>> }).workerQuery().then(
        (query) => query(`SELECT count(*)::int AS n FROM pg_prepared_statements`, []),
      )) as { n: number }[]
      expect(Number(row.n)).toBe(0)
    } finally {
      await adapter.close()
    }
  })
})

describe('PreparedStatementNames', () => {
  it('gives each text one name, and stops naming at its cap', () => {
    const names = new PreparedStatementNames()
    expect(names.nameOf('SELECT 1')).toBe(names.nameOf('SELECT 1'))
    expect(names.nameOf('SELECT 2')).not.toBe(names.nameOf('SELECT 1'))
    for (let i = 3; i <= 500; i++) names.nameOf(`SELECT ${i}`)
    expect(names.nameOf('SELECT 1')).toBeDefined()
    expect(names.nameOf('SELECT 501')).toBeUndefined()
  })

  it('recovers from a refused name only for the errors that come before a statement ran', () => {
    const names = new PreparedStatementNames()
    const first = names.nameOf('SELECT 1')
    expect(names.recoverFrom(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(false)
    expect(names.recoverFrom(Object.assign(new Error('cached plan must not change result type'), { code: '0A000' }))).toBe(true)
    expect(names.nameOf('SELECT 1')).not.toBe(first)
    expect(names.recoverFrom(Object.assign(new Error('prepared statement "jobs_kit_2_1" does not exist'), { code: '26000' }))).toBe(true)
    expect(names.nameOf('SELECT 1')).toBeUndefined()
  })
})
