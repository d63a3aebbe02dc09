/**
 * The `pg` option runs the worker's statements as named prepared statements
 * (pg-pool.ts, `PreparedStatementNames`). On a real PostgreSQL: they are
 * prepared once per connection, and a worker keeps working when the server
 * forgets them (a transaction pooler) or refuses them after a migration
 * changed the jobs table.
 */
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { PreparedStatementNames } from './pg-pool.js'
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
