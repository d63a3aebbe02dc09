import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { jobsModel, readJobs, sleep } from '../../../test/support/jobs-table.js'
import { PrismaAdapter } from '../adapters/prisma/prisma-adapter.js'
import { NOTIFY_CHANNEL } from '../adapters/prisma/notify-listener.js'
import { SCHEDULE_MANY_CHUNK_MYSQL } from '../adapters/prisma/sql/schedule-many-mysql.js'
import { SCHEDULE_MANY_CHUNK_POSTGRESQL } from '../adapters/prisma/sql/schedule-many-postgresql.js'
import { SCHEDULE_MANY_CHUNK_SQLITE } from '../adapters/prisma/sql/schedule-many-sqlite.js'
import { InvalidBulkEntryError } from '../errors.js'
import type { Logger } from '../types.js'
import { JobManager } from './job-manager.js'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** The columns `later()` decides, as read back through Prisma: everything but the id. */
function written(row: Record<string, any>): Record<string, any> {
  const { id: _id, createdAt, updatedAt, ...rest } = row
  // handler as stored text: the bulk path must write the same characters, not just equal JSON.
  return { ...rest, createdAtIsUpdatedAt: new Date(createdAt).getTime() === new Date(updatedAt).getTime() }
}

describe.each(TEST_PROVIDERS)('later.many() on %s', (provider) => {
  let database: TestDatabase
  let adapter: PrismaAdapter

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    adapter = new PrismaAdapter({ db: database.db })
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await adapter.clear()
  })

  function setup(jobsAdapter = adapter) {
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: jobsAdapter },
      queues: ['default', 'email'] as const,
      logger: silent,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
    })
    const SignupJob = jobs.createJob({ queue: 'default', perform: (userId: number) => void userId })
    const ReportJob = jobs.createJob({ queue: 'email', priority: 20, perform: (name: string, tags?: string[]) => void [name, tags] })
    Object.assign(registry, { SignupJob, ReportJob })
    return { later: jobs.createScheduler({ adapter: 'prisma' }), SignupJob, ReportJob }
  }

  it('returns the ids in input order, each row exactly as later() writes it', async () => {
    const { later, SignupJob, ReportJob } = setup()
    const at = new Date('2030-01-02T03:04:05.678Z')
    const options = [undefined, { priority: 5 }, { queue: 'email' as const }, { waitUntil: at }, { waitUntil: at, priority: 7, queue: 'email' as const }]
    const one: number[] = []
    for (let i = 0; i < 10; i++) {
      one.push(i % 2 === 0 ? await later(SignupJob, [i], options[i % 5]) : await later(ReportJob, [`r${i} é \u2028 "q" \\`, ['a', 'b']], options[i % 5]))
    }
    const many = await later.many(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0 ? { job: SignupJob, args: [i] as [number], options: options[i % 5] } : { job: ReportJob, args: [`r${i} é \u2028 "q" \\`, ['a', 'b']] as [string, string[]], options: options[i % 5] },
      ),
    )
    const rows = new Map((await readJobs(database)).map((row) => [row.id as number, row]))
    expect(many).toHaveLength(10)
    for (let i = 0; i < 10; i++) {
      const byLater = written(rows.get(one[i]!)!)
      const byMany = written(rows.get(many[i]!)!)
      // runAt is "now" for entries without timing: the two calls ran a few ms apart.
      if (options[i % 5]?.waitUntil === undefined) {
        expect(Math.abs(new Date(byMany.runAt).getTime() - Date.now())).toBeLessThan(60_000)
        byLater.runAt = byMany.runAt
      }
      expect(byMany).toEqual(byLater)
    }
    expect(many.every((id, i) => i === 0 || id > many[i - 1]!)).toBe(true)
    if (provider === 'sqlite') {
      // SQLite stores dates as the driver adapter writes them: the bulk path must write the same text, not just the same instant.
      const raw = (await database.db.$queryRawUnsafe(`SELECT id, CAST("runAt" AS TEXT) AS r, CAST("createdAt" AS TEXT) AS c, CAST("updatedAt" AS TEXT) AS u FROM "BackgroundJob"`)) as Record<string, unknown>[]
      const shape = (row: Record<string, unknown>) => [row.r, row.c, row.u].map((value) => `${typeof value}:${String(value).replace(/[0-9]/g, '9')}`)
      const byId = new Map(raw.map((row) => [Number(row.id), shape(row)]))
      for (let i = 0; i < 10; i++) expect(byId.get(many[i]!)).toEqual(byId.get(one[i]!))
    }
    // Nothing of the MySQL read-back tag is left behind.
    expect([...rows.values()].every((row) => row.lockedBy === null)).toBe(true)
  })

  it('the one-job form: items are args or { args, options }, the call\'s options apply to all, an item\'s own win', async () => {
    const { later, ReportJob } = setup()
    const at = new Date('2031-05-06T07:08:09.000Z')
    const ids = await later.many(ReportJob, [['a'], { args: ['b'], options: { priority: 1, wait: 0 } }, ['c', ['x']]], { waitUntil: at, queue: 'default' })
    const rows = await jobsModel(database).findMany({ where: { id: { in: ids } } })
    const byId = new Map(rows.map((row: Record<string, any>) => [row.id, row]))
    const [a, b, c] = ids.map((id) => byId.get(id)!) as Record<string, any>[]
    expect(JSON.parse(a!.handler).args).toEqual(['a'])
    expect([a!.queue, a!.priority, new Date(a!.runAt).toISOString()]).toEqual(['default', 20, at.toISOString()])
    expect(JSON.parse(b!.handler).args).toEqual(['b'])
    expect(b!.priority).toBe(1)
    expect(new Date(b!.runAt).getTime()).toBeLessThanOrEqual(Date.now())
    expect(JSON.parse(c!.handler).args).toEqual(['c', ['x']])
  })

  it('inside a transaction that rolls back, nothing remains; committed, everything does', async () => {
    const { later, SignupJob } = setup()
    const failure = new Error('the app\'s write failed')
    await expect(
      database.db.$transaction(async (tx) => {
        await later.many(SignupJob, [[1], [2], [3]], { db: tx })
        expect(await jobsModel(database, tx).count()).toBe(3)
        throw failure
      }),
    ).rejects.toBe(failure)
    expect(await readJobs(database)).toEqual([])
    const ids = await database.db.$transaction(async (tx) => later.many(SignupJob, [[4], [5]], { db: tx }))
    expect((await readJobs(database)).map((row) => row.id)).toEqual(ids)
  })

  it('40,000 jobs cross the chunk limits, in order, in one transaction', async () => {
    const chunk = { postgresql: SCHEDULE_MANY_CHUNK_POSTGRESQL, mysql: SCHEDULE_MANY_CHUNK_MYSQL, sqlite: SCHEDULE_MANY_CHUNK_SQLITE }[provider]
    const count = 40_000
    expect(count).toBeGreaterThan(chunk * 2)
    const { later, SignupJob } = setup()
    const ids = await later.many(SignupJob, Array.from({ length: count }, (_, i) => [i] as [number]))
    expect(ids).toHaveLength(count)
    expect(new Set(ids).size).toBe(count)
    const rows = await jobsModel(database).findMany({ select: { id: true, handler: true, lockedBy: true } })
    expect(rows).toHaveLength(count)
    const argOf = new Map(rows.map((row: Record<string, any>) => [row.id, JSON.parse(row.handler).args[0]]))
    expect(ids.every((id, i) => argOf.get(id) === i)).toBe(true)
    expect(rows.every((row: Record<string, any>) => row.lockedBy === null)).toBe(true)
  }, 300_000)

  it('jobs whose args add up past MariaDB\'s max_allowed_packet (16 MiB) are stored, in order', async () => {
    // 9,000 jobs of 2 KB: 18 MB in one MySQL statement was refused ("Got a packet bigger than 'max_allowed_packet' bytes").
    const { later, ReportJob } = setup()
    const payload = 'x'.repeat(2000)
    const ids = await later.many(ReportJob, Array.from({ length: 9000 }, (_, i) => [`${i}:${payload}`] as [string]))
    const rows = await jobsModel(database).findMany({ select: { id: true, handler: true } })
    expect(rows).toHaveLength(9000)
    const argOf = new Map(rows.map((row: Record<string, any>) => [row.id, JSON.parse(row.handler).args[0]]))
    expect(ids.every((id, i) => argOf.get(id) === `${i}:${payload}`)).toBe(true)
  }, 300_000)

  it('concurrent calls each get their own ids, in their own order, while their inserts interleave', async () => {
    const { later, SignupJob } = setup()
    const calls = await Promise.all(
      [0, 1, 2, 3].map((call) => later.many(SignupJob, Array.from({ length: 2000 }, (_, i) => [call * 10_000 + i] as [number]))),
    )
    const rows = await jobsModel(database).findMany({ select: { id: true, handler: true } })
    const argOf = new Map(rows.map((row: Record<string, any>) => [row.id, JSON.parse(row.handler).args[0]]))
    expect(rows).toHaveLength(8000)
    for (const [call, ids] of calls.entries()) expect(ids.every((id, i) => argOf.get(id) === call * 10_000 + i)).toBe(true)
  }, 120_000)

  it('a bad entry at index 3 of 10 writes nothing and names the entry', async () => {
    const { later, SignupJob } = setup()
    const items: unknown[][] = Array.from({ length: 10 }, (_, i) => [i])
    items[3] = [new Map()]
    const error = await later.many(SignupJob, items as [number][]).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidBulkEntryError)
    expect((error as InvalidBulkEntryError).index).toBe(3)
    expect((error as Error).message).toMatch(/^later\.many\(\): entry 3 cannot be scheduled, so none of the call's jobs was stored\. Cannot schedule SignupJob: args\[0\] is a Map/)
    expect((error as Error).message).toMatch(/Fix or remove entry 3/)
    await expect(later.many(SignupJob, [[1], [2], { args: [3], options: { wait: -1 } }])).rejects.toThrow(/entry 2 .*wait must be a number of seconds, 0 or more/)
    await expect(later.many(SignupJob, [[1], { args: [2], options: { db: database.db } as never }])).rejects.toThrow(/entry 1 .*db is an option of the whole later\.many\(\) call/)
    expect(await readJobs(database)).toEqual([])
  })

  it('an empty list stores nothing and returns no ids', async () => {
    const { later, SignupJob } = setup()
    expect(await later.many(SignupJob, [])).toEqual([])
    expect(await later.many([])).toEqual([])
  })

  it('wakes an in-process subscriber once per due queue, not per job', async () => {
    const { later, SignupJob, ReportJob } = setup()
    const wakes: string[] = []
    const stop = await adapter.subscribe({ queues: '*', wake: () => wakes.push('*') })
    try {
      await later.many([...Array.from({ length: 50 }, (_, i) => ({ job: SignupJob, args: [i] as [number] })), { job: ReportJob, args: ['x'] as [string] }])
      expect(wakes).toEqual(['*', '*'])
      await later.many(SignupJob, [[1]], { wait: 60 })
      expect(wakes).toHaveLength(2)
    } finally {
      await stop()
    }
  })
})

describe('later.many() with notify on PostgreSQL', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase('postgresql')
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('sends one notification per queue with due jobs, at commit, none for a rolled-back call', async () => {
    const adapter = new PrismaAdapter({ db: database.db, notify: { connectionString: database.url } })
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default', 'email'] as const, logger: silent, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
    const A = jobs.createJob({ queue: 'default', perform: (n: number) => void n })
    const B = jobs.createJob({ queue: 'email', perform: (n: number) => void n })
    Object.assign(registry, { A, B })
    const later = jobs.createScheduler({ adapter: 'prisma' })

    const listener = new pg.Client({ connectionString: database.url })
    await listener.connect()
    const received: string[] = []
    listener.on('notification', (message) => received.push(message.payload ?? ''))
    await listener.query(`LISTEN "${NOTIFY_CHANNEL}"`)
    try {
      await later.many([...Array.from({ length: 100 }, (_, i) => ({ job: A, args: [i] as [number] })), ...Array.from({ length: 100 }, (_, i) => ({ job: B, args: [i] as [number] }))])
      await later.many(A, [[1], [2]], { wait: 3600 })
      await database.db.$transaction(async (tx) => {
        await later.many(B, [[1]], { db: tx })
        throw new Error('rolled back')
      }).catch(() => {})
      await sleep(500)
      expect(received.sort()).toEqual(['default', 'email'])
    } finally {
      await listener.end()
    }
  })
})

describe.each([
  ...TEST_PROVIDERS.map((provider) => [provider, 'mapped'] as const),
  ['postgresql', 'multi-schema'] as const,
])('later.many() on %s with the %s schema', (provider, variant) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase(provider, { variant })
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('finds the table, its columns and (PostgreSQL) its id sequence through @@map, @map and @@schema', async () => {
    const adapter = new PrismaAdapter({ db: database.db, model: database.model })
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger: silent, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
    const SignupJob = jobs.createJob({ queue: 'default', perform: (userId: number) => void userId })
    registry.SignupJob = SignupJob
    const ids = await jobs.createScheduler({ adapter: 'prisma' }).many(SignupJob, [[1], [2], [3]])
    const rows = await readJobs(database)
    expect(rows.map((row) => [row.id, JSON.parse(row.handler).args[0], row.lockedBy])).toEqual(ids.map((id, i) => [id, i + 1, null]))
  })
})
