/**
 * The `mariadb` option (MySQL/MariaDB): the worker's queries through a
 * `mariadb` pool. The whole adapter suite also runs this way
 * (prisma-adapter.test.ts); these tests compare the two paths directly and
 * cover contention, time zones, round trips, a connection killed in the
 * middle of a transaction, the pool's ownership and configuration errors.
 */
import mariadb, { type Pool as MariadbPool } from 'mariadb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { insertJob, jobsModel, readJob } from '../../../../test/support/jobs-table.js'
import { InvalidConfigError } from '../../errors.js'
import type { StoredJob } from '../../types.js'
import type { MariadbConnectionLike, MariadbPoolLike } from './mariadb-pool.js'
import { mariadbConnectionConfig } from './mariadb-pool.js'
import { PrismaAdapter } from './prisma-adapter.js'

// Far from UTC: a timestamp read or written as local time is 14 hours off.
process.env.TZ = 'Pacific/Kiritimati'

const handler = (name = 'A') => ({ name, path: `${name}/${name}`, args: [] })

function connectionOptions(url: string) {
  const server = new URL(url)
  return {
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
    database: server.pathname.slice(1),
  }
}

/** An app's own pool with the driver's defaults (local time zone, REPEATABLE READ sessions). */
const appPool = (url: string, connectionLimit = 2): MariadbPool => mariadb.createPool({ ...connectionOptions(url), connectionLimit })

/**
 * Wraps a pool to count statements and flights (statements sent while none
 * was awaiting its answer start a new flight), and to run `before` ahead of
 * each statement on a connection.
 */
function watchedPool(pool: MariadbPool, before?: (sql: string, connection: MariadbConnectionLike) => Promise<void>) {
  const counts = { statements: 0, flights: 0, sql: [] as string[] }
  let pending = 0
  const watch = async (sql: string, send: () => Promise<unknown>) => {
    counts.statements++
    counts.sql.push(sql)
    if (pending === 0) counts.flights++
    pending++
    try {
      return await send()
    } finally {
      pending--
    }
  }
  const wrapped: MariadbPoolLike = {
    query: (options, values) => watch(String(options.sql), () => pool.query(options as { sql: string }, values)),
    getConnection: async () => {
      const connection = (await pool.getConnection()) as unknown as MariadbConnectionLike
      return {
        query: (options, values) => {
          const sql = String(options.sql)
          return watch(sql, async () => {
            await before?.(sql, connection)
            return connection.query(options, values)
          })
        },
        release: () => connection.release(),
        destroy: () => connection.destroy(),
      }
    },
    end: () => pool.end(),
  }
  return { pool: wrapped, counts }
}

/**
 * An adapter with `mariadb: { connectionString }` whose own pool (opened with
 * `multipleStatements`) is watched like `watchedPool`: it is opened by a
 * first find, then wrapped in place.
 */
async function ownPoolAdapter(database: TestDatabase, before?: (sql: string, connection: MariadbConnectionLike) => Promise<void>) {
  const adapter = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { connectionString: database.url } })
  await adapter.find({ processName: 'h:warm-up', staleAfterSeconds: 60, queues: ['none'] })
  const owner = (adapter as unknown as { mariadbPool: { pool: Promise<MariadbPool> } }).mariadbPool
  const watched = watchedPool(await owner.pool, before)
  owner.pool = Promise.resolve(watched.pool as unknown as MariadbPool)
  return { adapter, counts: watched.counts }
}

/** Due jobs, one after the other: ids and runAt in the same order. */
async function scheduleInOrder(adapter: PrismaAdapter, names: string[]): Promise<number[]> {
  const ids: number[] = []
  for (const [i, name] of names.entries()) ids.push(await adapter.schedule({ handler: handler(name), queue: 'q', priority: 1, runAt: new Date(Date.now() - 10_000 + i) }))
  return ids
}

describe.each(['default', 'mapped'] as const)('PrismaAdapter mariadb option (%s schema)', (variant) => {
  let database: TestDatabase
  let pool: MariadbPool

  beforeAll(async () => {
    database = await createTestDatabase('mysql', { variant })
    pool = appPool(database.url, 4)
  })
  afterAll(async () => {
    await pool?.end()
    await database?.drop()
  })

  it('returns the same StoredJob objects as the Prisma path, field for field', async () => {
    const viaPrisma = new PrismaAdapter({ db: database.db, model: database.model })
    const viaPool = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { pool } })
    await viaPrisma.clear()
    const runAt = new Date(Date.now() - 5_000)
    const fields = { runAt, lastError: 'Error: earlier\n    at x', attempts: 2, priority: 7, queue: 'email' }
    const first = await insertJob(database, fields)
    const second = await insertJob(database, fields)
    const [a] = await viaPrisma.find({ processName: 'host:w.0', staleAfterSeconds: 60, queues: ['email'], limit: 1 })
    const [b] = await viaPool.find({ processName: 'host:w.1', staleAfterSeconds: 60, queues: ['email'], limit: 1 })
    expect([a.id, b.id]).toEqual([first, second])
    expect(b).toStrictEqual(await readJob(database, second))
    expect(a).toStrictEqual(await readJob(database, first))
    const differing = { id: 0, lockedBy: '', lockedAt: null, createdAt: null, updatedAt: null }
    expect({ ...b, ...differing }).toStrictEqual({ ...a, ...differing })
    expect(b.runAt!.getTime()).toBe(runAt.getTime())
    expect(b).toMatchObject({ attempts: 3, priority: 7, failedAt: null, lockedBy: 'host:w.1' })
    expect(Math.abs(b.lockedAt!.getTime() - Date.now())).toBeLessThan(5_000)
  })

  it('finishes a job and finds the next in two flights of pipelined statements (Prisma: five round trips)', async () => {
    const { pool: watched, counts } = watchedPool(pool)
    const adapter = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { pool: watched } })
    await adapter.clear()
    const a = await adapter.schedule({ handler: handler('A'), queue: 'q', priority: 1, runAt: new Date() })
    const b = await adapter.schedule({ handler: handler('B'), queue: 'q', priority: 2, runAt: new Date() })
    const next = { processName: 'host:w.1', staleAfterSeconds: 60, queues: '*' as const, limit: 1 }
    const [job] = await adapter.find(next)
    expect(job.id).toBe(a)
    counts.statements = counts.flights = 0
    counts.sql.length = 0
    const [following] = await adapter.successAndFind({ jobs: [job], deleteJob: true, next })
    expect(following).toMatchObject({ id: b, attempts: 1, lockedBy: 'host:w.1' })
    expect(await readJob(database, a)).toBeNull()
    expect(counts.sql.map((sql) => sql.split(' ')[0])).toEqual(['SET', 'BEGIN', 'DELETE', 'SELECT', 'UPDATE', 'COMMIT'])
    expect(counts.flights).toBe(2)
    // Nothing due: the commit alone follows.
    counts.statements = counts.flights = 0
    expect(await adapter.successAndFind({ jobs: [following], deleteJob: true, next })).toEqual([])
    expect(counts.flights).toBe(2)
    expect(await readJob(database, b)).toBeNull()
  })

  it('sends the claim as one multi-statement query on its own pool (BEGIN, SET, DELETE, SELECT INTO, UPDATE, SELECT, COMMIT)', async () => {
    const { adapter, counts } = await ownPoolAdapter(database)
    try {
      await adapter.clear()
      const [a, b] = await scheduleInOrder(adapter, ['A', 'B'])
      const next = { processName: 'host:w.1', staleAfterSeconds: 60, queues: '*' as const, limit: 1 }
      const [job] = await adapter.find(next)
      expect(job.id).toBe(a)
      counts.statements = counts.flights = 0
      counts.sql.length = 0
      const [following] = await adapter.successAndFind({ jobs: [job], deleteJob: true, next })
      expect(following).toMatchObject({ id: b, attempts: 1, lockedBy: 'host:w.1' })
      expect(await readJob(database, a)).toBeNull()
      expect(counts.sql.map((sql) => sql.split('; ').map((each) => each.split(' ')[0]))).toEqual([['BEGIN', 'SET', 'DELETE', 'SELECT', 'UPDATE', 'SELECT', 'COMMIT']])
      expect(counts.flights).toBe(1)
    } finally {
      await adapter.close()
    }
  })

  it('records retries, failures, heartbeats and releases through the pool, only while the worker holds the job', async () => {
    const adapter = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { pool } })
    await adapter.clear()
    const ids = await scheduleInOrder(adapter, ['A', 'B', 'C', 'D'])
    const found = await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*', limit: 4 })
    expect(found.map((job) => job.id)).toEqual(ids)
    const [a, b, c, d] = found
    const retryAt = new Date(Date.now() + 60_000)
    await adapter.error({ job: a, error: new Error('boom'), retryAt })
    expect(await readJob(database, a.id)).toMatchObject({ lockedAt: null, lockedBy: null, runAt: retryAt, lastError: expect.stringContaining('boom') })
    await adapter.failure({ job: b, error: new Error('gave up'), deleteJob: false })
    const failed = await readJob(database, b.id)
    expect(Math.abs(failed!.failedAt.getTime() - Date.now())).toBeLessThan(5_000)
    expect(failed).toMatchObject({ lockedBy: null, lastError: expect.stringContaining('gave up') })
    // Heartbeat: lockedAt written by the pool reads back through Prisma as the instant it was.
    const before = Date.now()
    await adapter.heartbeat({ jobs: [c], processName: 'h:w' })
    const renewed = (await readJob(database, c.id))!.lockedAt as Date
    expect(renewed.getTime()).toBeGreaterThanOrEqual(before)
    expect(renewed.getTime()).toBeLessThanOrEqual(Date.now())
    // Not ours any more: a late report changes nothing.
    await adapter.heartbeat({ jobs: [d], processName: 'h:other' })
    expect((await readJob(database, d.id))!.lockedAt.getTime()).toBe(d.lockedAt!.getTime())
    await adapter.release({ jobs: [d] })
    expect(await readJob(database, d.id)).toMatchObject({ lockedAt: null, lockedBy: null, attempts: 0 })
    await adapter.success({ job: c, deleteJob: false })
    expect(await readJob(database, c.id)).toMatchObject({ runAt: null, lockedBy: null })
    await adapter.failure({ job: { ...a, lockedBy: 'h:someone-else' }, error: new Error('late'), deleteJob: true })
    expect(await readJob(database, a.id)).not.toBeNull()
  })

  it('hands every job to exactly one of 3 adapters × 4 concurrent loops, through pools and Prisma', async () => {
    const adapters = [
      new PrismaAdapter({ db: database.db, model: database.model, mariadb: { pool } }),
      new PrismaAdapter({ db: database.db, model: database.model, mariadb: { connectionString: database.url } }),
      new PrismaAdapter({ db: database.db, model: database.model }),
    ]
    await adapters[0].clear()
    const count = 150
    await jobsModel(database).createMany({
      data: Array.from({ length: count }, (_, i) => ({ handler: JSON.stringify(handler()), queue: 'q', priority: i % 3, runAt: new Date(Date.now() - 1000 - i) })),
    })
    const claims: number[] = []
    const loop = async (adapter: PrismaAdapter, name: string) => {
      const next = { processName: name, staleAfterSeconds: 300, queues: '*' as const, limit: 3 }
      let held: StoredJob[] = await adapter.find(next)
      while (held.length > 0) {
        claims.push(...held.map((job) => job.id))
        held = await adapter.successAndFind({ jobs: held, deleteJob: true, next })
      }
    }
    await Promise.all(adapters.flatMap((adapter, a) => [0, 1, 2, 3].map((l) => loop(adapter, `h:${a}.${l}`))))
    await Promise.all(adapters.map((adapter) => adapter.close()))
    expect(claims).toHaveLength(count)
    expect(new Set(claims).size).toBe(count)
    expect(await jobsModel(database).count()).toBe(0)
  }, 60_000)

  it('hands out nothing when nothing is due on its own pool, whatever an earlier claim left in the session variables of a reused connection', async () => {
    // The one-flight claim keeps the ids it locks in session variables (@jobs_kit_claim_N), which live as long as the
    // pooled connection. SELECT … INTO with no row leaves a variable as it was, so a claim that found nothing would
    // UPDATE and return the job an earlier claim on the same connection locked (still running) unless they are reset.
    const adapter = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { connectionString: database.url } })
    try {
      await adapter.clear()
      const [a, b] = await scheduleInOrder(adapter, ['A', 'B'])
      const next = { processName: 'h:w', staleAfterSeconds: 60, queues: '*' as const, limit: 2 }
      expect((await adapter.find(next)).map((job) => job.id)).toEqual([a, b])
      // The pool has up to 4 connections: enough empty claims, one after the other, to reuse the one that locked A and B.
      for (let i = 0; i < 8; i++) {
        expect(await adapter.find({ ...next, limit: 1 + (i % 3) })).toEqual([])
        expect(await adapter.find({ ...next, processName: 'h:other', limit: 1 + (i % 3) })).toEqual([])
      }
      expect((await readJob(database, a))?.attempts).toBe(1)
      expect((await readJob(database, b))?.attempts).toBe(1)
    } finally {
      await adapter.close()
    }
  })

  it('keeps no transaction open between its queries on its own pool: the job another worker runs is never locked while the claim waits on the client', async () => {
    const admin = await mariadb.createConnection(connectionOptions(database.url))
    const table = variant === 'mapped' ? '`background_jobs`' : '`BackgroundJob`'
    let running: number | undefined
    const probes: string[] = []
    // Before each query of the claim, the other worker takes its running job's row lock, as its DELETE of the job
    // will when it finishes (NOWAIT: fails at once instead of waiting). Its claim's locking read walked past that row.
    const otherWorkerFinishes = async () => {
      if (running === undefined) return
      probes.push(await admin.query(`SELECT id FROM ${table} WHERE id = ? FOR UPDATE NOWAIT`, [running]).then(() => 'free', (error: Error) => error.message))
    }
    const { adapter } = await ownPoolAdapter(database, otherWorkerFinishes)
    const other = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { pool } })
    try {
      await adapter.clear()
      const [a, b, c] = await scheduleInOrder(adapter, ['A', 'B', 'C'])
      const next = { processName: 'h:w', staleAfterSeconds: 60, queues: '*' as const, limit: 1 }
      const [first] = await adapter.find(next)
      expect(first.id).toBe(a)
      const [runningJob] = await other.find({ ...next, processName: 'h:other' })
      expect(runningJob.id).toBe(b)
      running = b
      const found = await adapter.successAndFind({ jobs: [first], deleteJob: true, next })
      expect(found.map((job) => job.id)).toEqual([c])
      expect(probes.length).toBeGreaterThan(0)
      expect(probes).toEqual(probes.map(() => 'free'))
    } finally {
      await adapter.close()
      await admin.end()
    }
  })

  it('claims under READ COMMITTED on every connection of its own pool, those the pool opens again after KILL CONNECTION too', async () => {
    // SKIP LOCKED under REPEATABLE READ keeps a lock on every row the read examined (see find-mysql.ts): the level is the
    // pool's initSql, which must run on each connection the pool opens, not only on the first ones.
    const admin = await mariadb.createConnection(connectionOptions(database.url))
    const levels: string[] = []
    const { adapter } = await ownPoolAdapter(database, async (sql, connection) => {
      if (sql.startsWith('BEGIN')) levels.push(String(((await connection.query({ sql: 'SELECT @@tx_isolation AS level' })) as { level: string }[])[0]!.level))
    })
    try {
      await adapter.clear()
      await scheduleInOrder(adapter, ['A', 'B', 'C', 'D'])
      const next = { staleAfterSeconds: 60, queues: '*' as const, limit: 1 }
      expect(await adapter.find({ ...next, processName: 'h:1' })).toHaveLength(1)
      const name = new URL(database.url).pathname.slice(1)
      const others = (await admin.query('SELECT id FROM information_schema.processlist WHERE db = ? AND id <> connection_id()', [name])) as { id: number }[]
      for (const { id } of others) await admin.query(`KILL CONNECTION ${Number(id)}`).catch(() => {})
      // The pool may hand out a killed connection once before it notices: a claim may fail, the next ones run.
      for (const processName of ['h:2', 'h:3', 'h:4']) await adapter.find({ ...next, processName }).catch(() => [])
      expect(levels.length).toBeGreaterThanOrEqual(3)
      expect(levels).toEqual(levels.map(() => 'READ-COMMITTED'))
    } finally {
      await adapter.close()
      await admin.end()
    }
  })

  it('rolls back and keeps nothing open when the one-flight claim is stopped mid-flight (KILL QUERY while its DELETE waits for a row lock)', async () => {
    // The statement stops, the server skips the rest of the flight (COMMIT too), and the transaction stays open on the
    // connection until the client ends it: released to the pool as it is, it would hold its locks (and run its next
    // claim inside the same transaction).
    const admin = await mariadb.createConnection(connectionOptions(database.url))
    const holder = await mariadb.createConnection(connectionOptions(database.url))
    const table = variant === 'mapped' ? '`background_jobs`' : '`BackgroundJob`'
    const adapter = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { connectionString: database.url } })
    try {
      await adapter.clear()
      const [a, b] = await scheduleInOrder(adapter, ['A', 'B'])
      const next = { processName: 'h:w', staleAfterSeconds: 60, queues: '*' as const, limit: 1 }
      const [first] = await adapter.find(next)
      expect(first.id).toBe(a)
      await holder.query('BEGIN')
      await holder.query(`SELECT id FROM ${table} WHERE id = ? FOR UPDATE`, [a])
      const finishing = adapter.successAndFind({ jobs: [first], deleteJob: true, next }).then(
        (found) => ({ found }),
        (error: Error) => ({ error: error.message }),
      )
      const name = new URL(database.url).pathname.slice(1)
      let waiting: { id: number }[] = []
      for (let i = 0; i < 200 && waiting.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 25))
        waiting = await admin.query("SELECT id FROM information_schema.processlist WHERE db = ? AND info LIKE '%DELETE%' AND id <> connection_id()", [name])
      }
      expect(waiting).toHaveLength(1)
      await admin.query(`KILL QUERY ${Number(waiting[0]!.id)}`)
      const outcome = await finishing
      expect(outcome).toMatchObject({ error: expect.stringContaining('interrupted') })
      await holder.query('ROLLBACK')
      const open = await admin.query(
        'SELECT t.trx_mysql_thread_id FROM information_schema.INNODB_TRX t JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id WHERE p.db = ? AND p.id <> connection_id()',
        [name],
      )
      expect(open).toEqual([])
      expect(await readJob(database, a)).toMatchObject({ attempts: 1, lockedBy: 'h:w' })
      expect(await readJob(database, b)).toMatchObject({ attempts: 0, lockedBy: null })
      // The worker records the job again: the same connections serve it, outside any leftover transaction.
      const found = await adapter.successAndFind({ jobs: [first], deleteJob: true, next })
      expect(found.map((job) => job.id)).toEqual([b])
      expect(await readJob(database, a)).toBeNull()
    } finally {
      await holder.end()
      await adapter.close()
      await admin.end()
    }
  })

  it.each(['app pool', 'own pool'] as const)('loses nothing when its connection (%s) is killed before COMMIT: the jobs in hand stay locked, the next ones free', async (whose) => {
    const admin = await mariadb.createConnection(connectionOptions(database.url))
    let kill = false
    // Killed once the UPDATE is on its way (app pool) or as the flight that ends in COMMIT is about to be sent (own
    // pool: the whole claim is that one flight) and before COMMIT is sent: the server rolls the transaction back.
    const killer = async (sql: string, connection: MariadbConnectionLike) => {
      if (!kill || !(sql === 'COMMIT' || sql.startsWith('UPDATE ') || sql.endsWith('; COMMIT'))) return
      if (whose === 'app pool' && sql !== 'COMMIT') return
      kill = false
      await admin.query(`KILL CONNECTION ${(connection as unknown as { threadId: number }).threadId}`)
    }
    const opened = whose === 'app pool'
      ? { adapter: new PrismaAdapter({ db: database.db, model: database.model, mariadb: { pool: watchedPool(pool, killer).pool } }) }
      : await ownPoolAdapter(database, killer)
    const { adapter } = opened
    try {
      await adapter.clear()
      const ids = await scheduleInOrder(adapter, ['A', 'B', 'C', 'D'])
      const next = { processName: 'h:w', staleAfterSeconds: 60, queues: '*' as const, limit: 2 }
      const inHand = await adapter.find(next)
      expect(inHand.map((job) => job.id)).toEqual(ids.slice(0, 2))
      kill = true
      await expect(adapter.successAndFind({ jobs: inHand, deleteJob: true, next })).rejects.toThrow()
      // Rolled back: the finished jobs are still there under this worker's lock, the next ones unlocked.
      for (const job of inHand) expect(await readJob(database, job.id)).toMatchObject({ lockedBy: 'h:w', attempts: 1 })
      for (const id of ids.slice(2)) expect(await readJob(database, id)).toMatchObject({ lockedBy: null, lockedAt: null, attempts: 0 })
      // The worker records each job again alone, and finds the next ones on another connection.
      for (const job of inHand) await adapter.success({ job, deleteJob: true })
      expect((await adapter.find(next)).map((job) => job.id)).toEqual(ids.slice(2))
      expect(await jobsModel(database).count()).toBe(2)
    } finally {
      await adapter.close()
      await admin.end()
    }
  })
})

describe.each(['Pacific/Kiritimati', 'America/Los_Angeles'])('PrismaAdapter mariadb option in TZ=%s', (zone) => {
  let database: TestDatabase
  let pool: MariadbPool
  let zoneBefore: string | undefined

  beforeAll(async () => {
    zoneBefore = process.env.TZ
    process.env.TZ = zone
    database = await createTestDatabase('mysql')
    pool = appPool(database.url)
  })
  afterAll(async () => {
    await pool?.end()
    await database?.drop()
    process.env.TZ = zoneBefore
  })

  it('finds a job scheduled through Prisma when due and not before, and writes lockedAt that Prisma reads back right', async () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(zone === 'Pacific/Kiritimati' ? -840 : 480)
    for (const option of [{ pool }, { connectionString: database.url }]) {
      const adapter = new PrismaAdapter({ db: database.db, mariadb: option })
      await adapter.clear()
      const due = await jobsModel(database).create({ data: { handler: JSON.stringify(handler()), queue: 'q', runAt: new Date(Date.now() - 30_000) } })
      await jobsModel(database).create({ data: { handler: JSON.stringify(handler()), queue: 'q', runAt: new Date(Date.now() + 60_000) } })
      const before = Date.now()
      const found = await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*', limit: 5 })
      expect(found.map((job) => job.id)).toEqual([due.id])
      const row = await readJob(database, due.id)
      expect(row!.lockedAt.getTime()).toBe(found[0].lockedAt!.getTime())
      expect(row!.lockedAt.getTime()).toBeGreaterThanOrEqual(before)
      expect(row!.lockedAt.getTime()).toBeLessThanOrEqual(Date.now())
      expect(found[0].runAt!.getTime()).toBe(due.runAt.getTime())
      // A fresh lock is not stale: another worker does not get the job.
      expect(await adapter.find({ processName: 'h:other', staleAfterSeconds: 60, queues: '*', limit: 5 })).toEqual([])
      await adapter.close()
    }
  })
})

describe('PrismaAdapter mariadb option: pool ownership and configuration', () => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase('mysql')
  })
  afterAll(async () => {
    await database?.drop()
  })

  /** Connections of `user` (one of this run's own), by the server's process list. */
  const connectionsOf = async (user: string) => {
    const rows = await database.db.$queryRawUnsafe<{ count: bigint }[]>(
      'SELECT COUNT(*) AS count FROM information_schema.PROCESSLIST WHERE USER = ?',
      user,
    )
    return Number(rows[0].count)
  }
  /** A user of this run only, to tell the adapter's connections from the app's. */
  const userUrl = async (user: string) => {
    await database.db.$executeRawUnsafe(`CREATE USER IF NOT EXISTS '${user}'@'%'`)
    await database.db.$executeRawUnsafe(`GRANT ALL ON \`${connectionOptions(database.url).database}\`.* TO '${user}'@'%'`)
    const url = new URL(database.url)
    url.username = user
    return url.toString()
  }
  const users: string[] = []
  afterAll(async () => {
    for (const user of users) await database.db.$executeRawUnsafe(`DROP USER IF EXISTS '${user}'@'%'`)
  })
  const connectionsOnceSettled = async (user: string, expected: number) => {
    const deadline = Date.now() + 5_000
    let count = await connectionsOf(user)
    while (count !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      count = await connectionsOf(user)
    }
    return count
  }

  it('ends the pool it opened from a connection string in close(), and no other', async () => {
    const owned = `jk_owned_${process.pid}`
    const apps = `jk_apps_${process.pid}`
    users.push(owned, apps)
    const pool = appPool(await userUrl(apps), 1)
    try {
      await pool.query('SELECT 1')
      const adapter = new PrismaAdapter({ db: database.db, mariadb: { connectionString: await userUrl(owned) } })
      await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })
      expect(await connectionsOf(owned)).toBeGreaterThan(0)
      await adapter.close()
      expect(await connectionsOnceSettled(owned, 0)).toBe(0)
      expect(await connectionsOf(apps)).toBe(1)
      expect(await pool.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
    } finally {
      await pool.end()
    }
  })

  it('never ends a pool the app passed in', async () => {
    const pool = appPool(database.url, 1)
    try {
      const adapter = new PrismaAdapter({ db: database.db, mariadb: { pool } })
      await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })
      await adapter.close()
      expect(await pool.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
    } finally {
      await pool.end()
    }
  })

  it('says what to pass when mariadb has neither or both of pool and connectionString, or a URL of another database', async () => {
    const pool = appPool(database.url, 1)
    for (const option of [{}, { pool, connectionString: database.url }, { pool: 'nope' }]) {
      expect(() => new PrismaAdapter({ db: database.db, mariadb: option as { pool: unknown } })).toThrow(InvalidConfigError)
      expect(() => new PrismaAdapter({ db: database.db, mariadb: option as { pool: unknown } })).toThrow('mariadb: { connectionString: process.env.DATABASE_URL }')
    }
    expect(() => new PrismaAdapter({ db: database.db, mariadb: { connectionString: 'postgresql://u@h/d' } })).toThrow(/mysql:\/\/ or mariadb:\/\//)
    await pool.end()
  })

  it('ignores mariadb given a Prisma Accelerate URL, with a warning, and still runs jobs through Prisma (it threw before)', async () => {
    const warnings: string[] = []
    const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(message) }
    const adapter = new PrismaAdapter({ db: database.db, logger, mariadb: { connectionString: 'prisma://accelerate.prisma-data.net/?api_key=ey' } })
    await adapter.clear()
    const id = await adapter.schedule({ handler: handler(), queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
    expect((await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })).map((job) => job.id)).toEqual([id])
    await adapter.close()
    expect(warnings).toEqual([expect.stringMatching(/`mariadb` is ignored: its connectionString is a Prisma Accelerate URL \(prisma:\/\/\), which mariadb cannot connect to/)])
  })

  it('reads mysql:// and mariadb:// URLs with encoded credentials and query parameters', () => {
    expect(mariadbConnectionConfig('mysql://us%40er:p%3Ass%2Fw@db.example.com:3307/my%2Ddb?connection_limit=5&sslaccept=strict&connect_timeout=7')).toEqual({
      host: 'db.example.com',
      port: 3307,
      user: 'us@er',
      password: 'p:ss/w',
      database: 'my-db',
      connectTimeout: 7000,
      ssl: { rejectUnauthorized: true },
    })
    expect(mariadbConnectionConfig('mariadb://root@127.0.0.1/jobs')).toEqual({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'jobs' })
  })
})

describe.each(['sqlite', 'postgresql'] as const)('PrismaAdapter mariadb option on %s', (provider) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('is a configuration error that says mariadb is for MySQL and MariaDB only', async () => {
    const adapter = new PrismaAdapter({ db: database.db, mariadb: { connectionString: 'mysql://unused@127.0.0.1/none' } })
    await expect(adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })).rejects.toThrow(
      `this Prisma client's provider is ${provider}. Remove the \`mariadb\` option: it is for MySQL and MariaDB only.`,
    )
    await adapter.close()
  })
})
