/**
 * Waking workers: in process for every provider, and across processes with
 * PostgreSQL LISTEN/NOTIFY (`notify` option, through the `pg` package).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../../test/support/databases.js'
import { readJobs, sleep } from '../../../../test/support/jobs-table.js'
import { InvalidConfigError } from '../../errors.js'
import { PrismaAdapter } from './prisma-adapter.js'

const handler = { name: 'TestJob', path: 'TestJob/TestJob', args: [] }

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

describe.each(TEST_PROVIDERS)('PrismaAdapter.subscribe in process on %s', (provider) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('wakes a subscriber of the queue when a due job is scheduled through the same adapter, not for a later job or another queue', async () => {
    const adapter = new PrismaAdapter({ db: database.db })
    const wakes: string[] = []
    const stopEmail = await adapter.subscribe({ queues: ['email'], wake: () => wakes.push('email') })
    const stopAll = await adapter.subscribe({ queues: '*', wake: () => wakes.push('*') })
    await adapter.schedule({ handler, queue: 'email', priority: 50, runAt: new Date() })
    expect(wakes.sort()).toEqual(['*', 'email'])
    await adapter.schedule({ handler, queue: 'reports', priority: 50, runAt: new Date() })
    await adapter.schedule({ handler, queue: 'email', priority: 50, runAt: new Date(Date.now() + 60_000) })
    expect(wakes.sort()).toEqual(['*', '*', 'email'])
    await stopEmail()
    await stopAll()
    await adapter.schedule({ handler, queue: 'email', priority: 50, runAt: new Date() })
    expect(wakes).toHaveLength(3)
  })
})

describe.each(['prisma', 'pg'] as const)('PrismaAdapter notify (LISTEN/NOTIFY) on postgresql, queries through %s', (queries) => {
  let database: TestDatabase
  let listening: PrismaAdapter
  let scheduling: PrismaAdapter
  let stop: () => Promise<void>
  const wakes: string[] = []

  beforeAll(async () => {
    database = await createTestDatabase('postgresql')
    const pg = queries === 'pg' ? { connectionString: database.url } : undefined
    listening = new PrismaAdapter({ db: database.db, notify: { connectionString: database.url }, pg })
    // Another client and adapter, as in the app process that calls later().
    scheduling = new PrismaAdapter({ db: await database.newClient(), notify: { connectionString: database.url } })
    stop = await listening.subscribe({ queues: ['default'], wake: () => wakes.push('default') })
  })
  afterAll(async () => {
    await stop?.()
    await listening?.close()
    await database?.drop()
  })
  beforeEach(() => {
    wakes.length = 0
  })

  it('wakes a worker when another process schedules a due job in its queue', async () => {
    const id = await scheduling.schedule({ handler, queue: 'default', priority: 50, runAt: new Date() })
    await until(() => wakes.length === 1, 'a notification')
    const [row] = (await readJobs(database)).filter((job) => job.id === id)
    expect(row).toMatchObject({ queue: 'default', priority: 50, attempts: 0, lockedBy: null })
    expect(JSON.parse(row.handler)).toEqual(handler)
    // The woken worker finds it (through the pool with `pg`).
    expect((await listening.find({ processName: 'host:w', staleAfterSeconds: 60, queues: ['default'] })).map((job) => job.id)).toEqual([id])
  })

  it('notifies at commit only: nothing for a rolled-back transaction', async () => {
    const rollback = new Error('rollback')
    await expect(
      database.db.$transaction(async (tx) => {
        await scheduling.schedule({ handler, queue: 'default', priority: 50, runAt: new Date(), db: tx })
        await sleep(300)
        throw rollback
      }),
    ).rejects.toBe(rollback)
    await database.db.$transaction(async (tx) => {
      await scheduling.schedule({ handler, queue: 'default', priority: 50, runAt: new Date(), db: tx })
      await sleep(300)
      // Not delivered before the commit.
      expect(wakes).toEqual([])
    })
    await until(() => wakes.length === 1, 'the committed job\'s notification')
    await sleep(200)
    expect(wakes).toEqual(['default'])
  })

  it('does not wake workers of other queues', async () => {
    await scheduling.schedule({ handler, queue: 'reports', priority: 50, runAt: new Date() })
    await scheduling.schedule({ handler, queue: 'default', priority: 50, runAt: new Date() })
    await until(() => wakes.length === 1, 'the default queue\'s notification')
    await sleep(200)
    expect(wakes).toEqual(['default'])
  })

  it('says what to pass when notify has no connection string', () => {
    expect(() => new PrismaAdapter({ db: database.db, notify: {} as { connectionString: string } })).toThrow(InvalidConfigError)
    expect(() => new PrismaAdapter({ db: database.db, notify: {} as { connectionString: string } })).toThrow(
      'notify: { connectionString: process.env.DATABASE_URL }',
    )
  })
})
