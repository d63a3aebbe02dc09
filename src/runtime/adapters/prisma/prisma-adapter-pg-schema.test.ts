/**
 * Apps whose tables live in a PostgreSQL schema other than `public`.
 *
 * Measured first (Prisma 6.19 `engineType = "client"` and 7.10 on
 * `@prisma/adapter-pg`): Prisma names the schema in every model query, the
 * adapter's `schema` option or else `"public"`, whatever the connections'
 * search_path, and ignores `?schema=` in the URL (so does node-postgres). The
 * runtime's raw statements named the table unqualified: with `{ schema }` on
 * the driver adapter `later()` wrote to that schema and `find` looked in
 * `public` and found nothing, silently; with search_path set on the
 * connections it was the other way round. Prisma 6's own engine (no driver
 * adapter) qualifies with `?schema=` and sets search_path from it: simulated
 * here by hiding the driver adapter from the runtime, where the `pg` option's
 * pool (which ignores `?schema=`) looked in `public`.
 *
 * Each test database also has the jobs table in `public`: a statement that
 * went to the wrong one finds nothing there, which is what apps saw.
 */
import { randomBytes } from 'node:crypto'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaPg as PrismaPg6 } from 'prisma6-adapter-pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase, type TestPrismaClient } from '../../../../test/support/databases.js'
import { loadPrisma6ClientClass, loadPrismaClientClass, readMigrationSql } from '../../../../test/support/prisma-clients.js'
import { PrismaAdapter, type PrismaAdapterOptions } from './prisma-adapter.js'

const handler = { name: 'TestJob', path: 'TestJob/TestJob', args: [1] }
const quiet = { debug() {}, info() {}, warn() {}, error() {} }

interface World {
  database: TestDatabase
  schema: string
  admin: pg.Client
  clients: TestPrismaClient[]
  newClient(how: 'schema option' | 'search_path' | 'prisma 6 engine'): Promise<TestPrismaClient>
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`

async function createWorld(version: 6 | 7, prefix = 'app_'): Promise<World> {
  const database = await createTestDatabase('postgresql', { prismaVersion: version })
  const schema = `${prefix}${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: database.url })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${q(schema)}; SET search_path TO ${q(schema)}; ${readMigrationSql('postgresql', 'default')}; RESET search_path`)
  const PrismaClient = version === 6 ? loadPrisma6ClientClass() : await loadPrismaClientClass('postgresql')
  const clients: TestPrismaClient[] = []
  return {
    database,
    schema,
    admin,
    clients,
    async newClient(how) {
      const Adapter = version === 6 ? PrismaPg6 : PrismaPg
      const adapter =
        how === 'schema option'
          ? new Adapter({ connectionString: database.url }, { schema })
          : how === 'search_path'
            ? new Adapter({ connectionString: database.url, options: `-c search_path=${q(schema).replaceAll(' ', '\\ ')}` })
            : new Adapter({ connectionString: database.url, options: `-c search_path=${q(schema).replaceAll(' ', '\\ ')}` }, { schema })
      const client = new PrismaClient({ adapter })
      await client.$connect()
      clients.push(client)
      return how === 'prisma 6 engine' ? withoutDriverAdapter(client) : client
    },
  }
}

/**
 * The client as Prisma 6's own engine looks to the runtime: no driver adapter
 * in `_engineConfig`, model queries qualified with the schema and search_path
 * set to it (the client above does both).
 */
function withoutDriverAdapter(client: TestPrismaClient): TestPrismaClient {
  return new Proxy(client, {
    get(target, property) {
      if (property === '_engineConfig') return { ...target._engineConfig, adapter: undefined }
      const value = Reflect.get(target, property, target) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

async function rowsIn(world: World, schema: string): Promise<Record<string, unknown>[]> {
  return (await world.admin.query(`SELECT id, attempts, "lockedBy", "lastError", "runAt" FROM ${q(schema)}."BackgroundJob" ORDER BY id`)).rows
}

/** Schedules 3 due jobs, finds them, reports each way; every row read back in `schema` (where Prisma writes), none in the other. */
async function roundTrip(world: World, adapter: PrismaAdapter, schema: string): Promise<void> {
  const other = schema === 'public' ? world.schema : 'public'
  // Whatever an earlier test left (one that failed before its own clear).
  await world.admin.query(`DELETE FROM ${q(world.schema)}."BackgroundJob"; DELETE FROM public."BackgroundJob"`)
  const ids = [
    await adapter.schedule({ handler, queue: 'default', priority: 1, runAt: new Date(Date.now() - 1000) }),
    ...(await adapter.scheduleMany({
      jobs: [2, 3].map((priority) => ({ handler, queue: 'default', priority, runAt: new Date(Date.now() - 1000) })),
    })),
  ]
  expect(await rowsIn(world, schema)).toHaveLength(3)
  const found = await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*', limit: 2 })
  expect(found.map((job) => job.id)).toEqual(ids.slice(0, 2))
  await adapter.heartbeat({ jobs: found, processName: 'h:w' })
  const retryAt = new Date(Date.now() + 3_600_000)
  await adapter.error({ job: found[0]!, error: new Error('nope'), retryAt })
  const next = await adapter.successAndFind({ jobs: [found[1]!], deleteJob: true, next: { processName: 'h:w', staleAfterSeconds: 60, queues: '*', limit: 5 } })
  expect(next.map((job) => job.id)).toEqual([ids[2]])
  await adapter.success({ job: next[0]!, deleteJob: false })
  const rows = await rowsIn(world, schema)
  expect(rows).toMatchObject([
    { id: ids[0], attempts: 1, lockedBy: null },
    { id: ids[2], attempts: 1, lockedBy: null, runAt: null },
  ])
  expect(String(rows[0]!.lastError)).toContain('Error: nope')
  expect(await adapter.status()).toEqual([{ queue: 'default', waiting: 0, scheduled: 1, running: 0, failed: 0, succeeded: 1 }])
  expect(await rowsIn(world, other)).toEqual([])
  await adapter.clear()
}

describe.each([7, 6] as const)('PrismaAdapter with a Prisma %i client whose tables live in another PostgreSQL schema', (version) => {
  let world: World

  beforeAll(async () => {
    world = await createWorld(version)
  })
  afterAll(async () => {
    await Promise.allSettled(world?.clients.map((client) => client.$disconnect()) ?? [])
    await world?.admin.end()
    await world?.database.drop()
  })

  const options: Array<[string, (world: World) => Partial<PrismaAdapterOptions>]> = [
    ['through Prisma', () => ({})],
    ['with the pg option', (each) => ({ pg: { connectionString: each.database.url } })],
    ['with the pg option on a ?schema= URL', (each) => ({ pg: { connectionString: `${each.database.url}?schema=${each.schema}` } })],
    ['with notify', (each) => ({ notify: { connectionString: each.database.url } })],
  ]

  for (const [label, extra] of options) {
    it(`driver adapter's schema option, ${label}: jobs are scheduled, found and reported in that schema`, async () => {
      const adapter = new PrismaAdapter({ db: await world.newClient('schema option'), logger: quiet, ...extra(world) })
      try {
        await roundTrip(world, adapter, world.schema)
      } finally {
        await adapter.close()
      }
    })

    it(`search_path set on the connections, no schema option, ${label}: jobs stay in public, where Prisma writes them`, async () => {
      const adapter = new PrismaAdapter({ db: await world.newClient('search_path'), logger: quiet, ...extra(world) })
      try {
        await roundTrip(world, adapter, 'public')
      } finally {
        await adapter.close()
      }
    })

    it(`Prisma 6's own engine (?schema= sets search_path), ${label}: jobs are scheduled, found and reported in that schema`, async () => {
      const adapter = new PrismaAdapter({ db: await world.newClient('prisma 6 engine'), logger: quiet, ...extra(world) })
      try {
        await roundTrip(world, adapter, world.schema)
      } finally {
        await adapter.close()
      }
    })
  }

  it('a worker woken through notify hears of a job scheduled in the app\'s schema', async () => {
    const adapter = new PrismaAdapter({ db: await world.newClient('schema option'), logger: quiet, notify: { connectionString: world.database.url } })
    // Another process's adapter: with notify, its schedule notifies in the insert's statement.
    const other = new PrismaAdapter({ db: await world.newClient('schema option'), logger: quiet, notify: { connectionString: world.database.url } })
    try {
      let woken!: () => void
      const wake = new Promise<void>((resolve) => (woken = resolve))
      const unsubscribe = await adapter.subscribe({ queues: ['default'], wake: () => woken() })
      await other.schedule({ handler, queue: 'default', priority: 1, runAt: new Date() })
      await wake
      await unsubscribe()
      expect(await rowsIn(world, world.schema)).toHaveLength(1)
      expect(await rowsIn(world, 'public')).toEqual([])
      await adapter.clear()
    } finally {
      await adapter.close()
      await other.close()
    }
  })
})

describe('PrismaAdapter `pg` option when the jobs table is not on the search_path of Prisma\'s connections', () => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase('postgresql')
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('fails the first find with what to do, naming the search_path, instead of querying public', async () => {
    const db = withoutDriverAdapter(await database.newClient({ wrapAdapter: () => new PrismaPg({ connectionString: database.url, options: '-c search_path=nowhere' }) }))
    const adapter = new PrismaAdapter({ db, logger: quiet, pg: { connectionString: database.url } })
    try {
      const error = await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*', limit: 1 }).catch((thrown: unknown) => thrown)
      expect(String((error as Error).message)).toContain('The jobs table "BackgroundJob" is not on the search_path of your Prisma client\'s connections (nowhere)')
      expect(String((error as Error).message)).toContain("new PrismaAdapter({ db, schema: 'myapp'")
    } finally {
      await adapter.close()
    }
  })

  it('the adapter\'s schema option qualifies the table when the driver adapter does not tell', async () => {
    await database.db.$executeRawUnsafe('CREATE SCHEMA "told"')
    await database.db.$executeRawUnsafe('CREATE TABLE "told"."BackgroundJob" (LIKE public."BackgroundJob" INCLUDING ALL)')
    const db = withoutDriverAdapter(await database.newClient())
    const adapter = new PrismaAdapter({ db, logger: quiet, schema: 'told', pg: { connectionString: database.url } })
    try {
      await database.db.$executeRawUnsafe(`INSERT INTO "told"."BackgroundJob" (handler, queue, "runAt", "updatedAt") VALUES ('{"name":"TestJob","path":"TestJob","args":[]}', 'default', now() - interval '1 minute', now())`)
      const found = await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*', limit: 5 })
      expect(found).toHaveLength(1)
      await adapter.success({ job: found[0]!, deleteJob: true })
      expect(await database.db.$queryRawUnsafe('SELECT id FROM "told"."BackgroundJob"')).toEqual([])
    } finally {
      await adapter.close()
    }
  })
})

describe.each(['My-App ', 'MixedCase_'])('PrismaAdapter with a schema name that needs quoting: %j', (prefix) => {
  let world: World
  beforeAll(async () => {
    world = await createWorld(7, prefix)
  })
  afterAll(async () => {
    await Promise.allSettled(world?.clients.map((client) => client.$disconnect()) ?? [])
    await world?.admin.end()
    await world?.database.drop()
  })
  const options: Array<[string, (world: World) => Partial<PrismaAdapterOptions>]> = [
    ['through Prisma', () => ({})],
    ['with the pg option', (each) => ({ pg: { connectionString: each.database.url } })],
    ['with notify', (each) => ({ notify: { connectionString: each.database.url } })],
  ]
  for (const [label, extra] of options) {
    it(`driver adapter's schema option, ${label}`, async () => {
      const adapter = new PrismaAdapter({ db: await world.newClient('schema option'), logger: quiet, ...extra(world) })
      try {
        await roundTrip(world, adapter, world.schema)
      } finally {
        await adapter.close()
      }
    })
    it(`adapter schema option on a Prisma 6 engine client, ${label}`, async () => {
      const adapter = new PrismaAdapter({ db: await world.newClient('prisma 6 engine'), logger: quiet, ...extra(world) })
      try {
        await roundTrip(world, adapter, world.schema)
      } finally {
        await adapter.close()
      }
    })
  }
})

describe('PrismaAdapter with a multiSchema model (@@schema("jobs")) and a driver adapter whose schema option names another', () => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase('postgresql', { variant: 'multi-schema' })
    await database.db.$executeRawUnsafe('CREATE SCHEMA "elsewhere"')
  })
  afterAll(async () => {
    await database?.drop()
  })

  for (const withPg of [false, true]) {
    it(`the model's @@schema wins, ${withPg ? 'with the pg option' : 'through Prisma'}: scheduled, found, reported and counted in "jobs"`, async () => {
      const db = await database.newClient({ wrapAdapter: () => new PrismaPg({ connectionString: database.url }, { schema: 'elsewhere' }) })
      const options = withPg ? { pg: { connectionString: database.url } } : {}
      const adapter = new PrismaAdapter({ db, model: database.model, logger: quiet, ...options })
      try {
        const id = await adapter.schedule({ handler, queue: 'default', priority: 1, runAt: new Date(Date.now() - 1000) })
        const [more] = await adapter.scheduleMany({ jobs: [{ handler, queue: 'default', priority: 2, runAt: new Date(Date.now() - 1000) }] })
        const found = await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*', limit: 5 })
        expect(found.map((job) => job.id)).toEqual([id, more])
        await adapter.success({ job: found[0]!, deleteJob: true })
        await adapter.error({ job: found[1]!, error: new Error('nope'), retryAt: new Date(Date.now() + 60_000) })
        expect(await adapter.status()).toEqual([{ queue: 'default', waiting: 0, scheduled: 1, running: 0, failed: 0, succeeded: 0 }])
        const rows = (await database.db.$queryRawUnsafe('SELECT id, attempts FROM "jobs"."BackgroundJob"')) as { id: number; attempts: number }[]
        expect(rows.map((row) => [Number(row.id), Number(row.attempts)])).toEqual([[more, 1]])
        expect(await adapter.clear()).toBe(1)
      } finally {
        await adapter.close()
      }
    })
  }
})
