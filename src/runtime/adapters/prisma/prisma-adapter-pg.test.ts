/**
 * The `pg` option (PostgreSQL): finding queries through a `pg` pool. The
 * whole adapter suite also runs this way (prisma-adapter.test.ts); these
 * tests compare the two paths directly and cover the pool's ownership and
 * the configuration errors.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { insertJob, readJob } from '../../../../test/support/jobs-table.js'
import { InvalidConfigError } from '../../errors.js'
import { PrismaAdapter } from './prisma-adapter.js'

// Far from UTC: a timestamp read or written as local time is 14 hours off.
process.env.TZ = 'Pacific/Kiritimati'

describe.each(['default', 'mapped', 'multi-schema'] as const)('PrismaAdapter pg option on postgresql (%s schema)', (variant) => {
  let database: TestDatabase
  let pool: pg.Pool

  beforeAll(async () => {
    database = await createTestDatabase('postgresql', { variant })
    pool = new pg.Pool({ connectionString: database.url, max: 2 })
  })
  afterAll(async () => {
    await pool?.end()
    await database?.drop()
  })

  it('returns the same StoredJob objects as the Prisma path, field for field', async () => {
    const viaPrisma = new PrismaAdapter({ db: database.db, model: database.model })
    const viaPg = new PrismaAdapter({ db: database.db, model: database.model, pg: { pool } })
    const runAt = new Date(Date.now() - 5_000)
    const fields = { runAt, lastError: 'Error: earlier\n    at x', attempts: 2, priority: 7, queue: 'email' }
    const first = await insertJob(database, fields)
    const second = await insertJob(database, fields)
    const [a] = await viaPrisma.find({ processName: 'host:w.0', staleAfterSeconds: 60, queues: ['email'], limit: 1 })
    const [b] = await viaPg.find({ processName: 'host:w.1', staleAfterSeconds: 60, queues: ['email'], limit: 1 })
    expect([a.id, b.id]).toEqual([first, second])
    // Each is exactly the row as Prisma's model API reads it back (numbers, Dates, nulls).
    expect(b).toStrictEqual(await readJob(database, second))
    expect(a).toStrictEqual(await readJob(database, first))
    const differing = { id: 0, lockedBy: '', lockedAt: null, createdAt: null, updatedAt: null }
    expect({ ...b, ...differing }).toStrictEqual({ ...a, ...differing })
    expect(b.runAt!.getTime()).toBe(runAt.getTime())
    expect(b).toMatchObject({ attempts: 3, priority: 7, failedAt: null, lockedBy: 'host:w.1' })
    expect(Math.abs(b.lockedAt!.getTime() - Date.now())).toBeLessThan(5_000)
  })

  it('finishes a job and finds the next through the pool like through Prisma', async () => {
    const adapter = new PrismaAdapter({ db: database.db, model: database.model, pg: { pool } })
    await adapter.clear()
    const a = await adapter.schedule({ handler: { name: 'A', path: 'A/A', args: [] }, queue: 'q', priority: 1, runAt: new Date() })
    const b = await adapter.schedule({ handler: { name: 'B', path: 'B/B', args: [1] }, queue: 'q', priority: 2, runAt: new Date() })
    const next = { processName: 'host:w.1', staleAfterSeconds: 60, queues: '*' as const, limit: 1 }
    const [job] = await adapter.find(next)
    expect(job.id).toBe(a)
    const [following] = await adapter.successAndFind({ jobs: [job], deleteJob: true, next })
    expect(following).toMatchObject({ id: b, attempts: 1, lockedBy: 'host:w.1', handler: JSON.stringify({ name: 'B', path: 'B/B', args: [1] }) })
    expect(await adapter.successAndFind({ jobs: [following], deleteJob: true, next })).toEqual([])
  })
})

describe('PrismaAdapter pg option: pool ownership and configuration', () => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase('postgresql')
  })
  afterAll(async () => {
    await database?.drop()
  })

  const connections = async (applicationName: string) => {
    const rows = await database.db.$queryRawUnsafe<{ count: bigint }[]>(
      // This run's database only: other runs on the same server use the same application names.
      'SELECT count(*) AS count FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      applicationName,
    )
    return Number(rows[0].count)
  }
  /** The server drops a closed connection's backend a moment after the client ends it. */
  const connectionsOnceSettled = async (applicationName: string, expected: number) => {
    const deadline = Date.now() + 5_000
    let count = await connections(applicationName)
    while (count !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      count = await connections(applicationName)
    }
    return count
  }
  const withApplicationName = (name: string) => {
    const url = new URL(database.url)
    url.searchParams.set('application_name', name)
    return url.toString()
  }

  it('ends the pool it opened from a connection string in close()', async () => {
    const adapter = new PrismaAdapter({ db: database.db, pg: { connectionString: withApplicationName('jobs_kit_owned') } })
    await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })
    expect(await connections('jobs_kit_owned')).toBe(1)
    await adapter.close()
    expect(await connectionsOnceSettled('jobs_kit_owned', 0)).toBe(0)
  })

  it('never ends a pool the app passed in', async () => {
    const pool = new pg.Pool({ connectionString: withApplicationName('jobs_kit_apps'), max: 1 })
    try {
      const adapter = new PrismaAdapter({ db: database.db, pg: { pool } })
      await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })
      await adapter.close()
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
      expect(await connections('jobs_kit_apps')).toBe(1)
    } finally {
      await pool.end()
    }
  })

  it('ignores pg and notify given a Prisma Accelerate URL, with a warning, and still runs jobs (every find failed on it)', async () => {
    const warnings: string[] = []
    const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(message) }
    for (const url of ['prisma+postgres://accelerate.prisma-data.net/?api_key=ey', 'prisma://accelerate.prisma-data.net/?api_key=ey']) {
      warnings.length = 0
      const adapter = new PrismaAdapter({ db: database.db, logger, pg: { connectionString: url }, notify: { connectionString: url } })
      await adapter.clear()
      const id = await adapter.schedule({ handler: { name: 'A', path: 'A/A', args: [] }, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
      const stop = await adapter.subscribe({ queues: '*', wake: () => {} })
      try {
        expect((await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })).map((job) => job.id)).toEqual([id])
      } finally {
        await stop()
        await adapter.close()
      }
      expect(warnings).toHaveLength(2)
      expect(warnings[0]).toMatch(/`notify` is ignored: its connectionString is a Prisma Accelerate URL/)
      expect(warnings[1]).toMatch(/`pg` is ignored/)
    }
  })

  it('says what to pass when pg has neither or both of pool and connectionString', () => {
    const pool = new pg.Pool({ connectionString: database.url })
    for (const option of [{}, { pool, connectionString: database.url }, { pool: 'nope' }]) {
      expect(() => new PrismaAdapter({ db: database.db, pg: option as { pool: unknown } })).toThrow(InvalidConfigError)
      expect(() => new PrismaAdapter({ db: database.db, pg: option as { pool: unknown } })).toThrow(
        'pg: { connectionString: process.env.DATABASE_URL }',
      )
    }
    return pool.end()
  })
})

describe.each(['sqlite', 'mysql'] as const)('PrismaAdapter pg option on %s', (provider) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('is a configuration error that says pg is for PostgreSQL only', async () => {
    const adapter = new PrismaAdapter({ db: database.db, pg: { connectionString: 'postgresql://unused@127.0.0.1/none' } })
    await expect(adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })).rejects.toThrow(InvalidConfigError)
    await expect(adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })).rejects.toThrow(
      `this Prisma client's provider is ${provider}. Remove the \`pg\` option: it is for PostgreSQL only.`,
    )
    await adapter.close()
  })
})
