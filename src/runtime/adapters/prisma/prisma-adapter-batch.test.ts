/**
 * Several jobs per call, on real databases: a find that locks several jobs,
 * `successAndFind` recording several finished jobs at once, and a batched
 * write the database refuses (a trigger), which must leave every job of the
 * batch in this worker's hands to run again, never lost and never half done.
 */
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase, type TestProvider } from '../../../../test/support/databases.js'
import { readJob, readJobs } from '../../../../test/support/jobs-table.js'
import { PrismaAdapter } from './prisma-adapter.js'

const cases: Array<{ provider: TestProvider; queries: 'prisma' | 'pg pool' }> = [
  { provider: 'sqlite', queries: 'prisma' },
  { provider: 'postgresql', queries: 'prisma' },
  { provider: 'postgresql', queries: 'pg pool' },
  { provider: 'mysql', queries: 'prisma' },
]

/** A trigger that refuses to delete any job of queue `refuse-delete`, so the statement deleting it fails as a whole. */
const refuseDeleteTrigger: Record<TestProvider, { create: string[]; drop: string[] }> = {
  postgresql: {
    create: [
      `CREATE FUNCTION jk_refuse_delete() RETURNS trigger AS $$ BEGIN ` +
        `IF OLD."queue" = 'refuse-delete' THEN RAISE EXCEPTION 'delete refused by the test trigger'; END IF; RETURN OLD; END $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER jk_refuse_delete BEFORE DELETE ON "BackgroundJob" FOR EACH ROW EXECUTE FUNCTION jk_refuse_delete()`,
    ],
    drop: [`DROP TRIGGER jk_refuse_delete ON "BackgroundJob"`, `DROP FUNCTION jk_refuse_delete()`],
  },
  mysql: {
    create: [
      `CREATE TRIGGER jk_refuse_delete BEFORE DELETE ON \`BackgroundJob\` FOR EACH ROW BEGIN ` +
        `IF OLD.queue = 'refuse-delete' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'delete refused by the test trigger'; END IF; END`,
    ],
    drop: ['DROP TRIGGER jk_refuse_delete'],
  },
  sqlite: {
    create: [
      `CREATE TRIGGER jk_refuse_delete BEFORE DELETE ON "BackgroundJob" FOR EACH ROW WHEN OLD."queue" = 'refuse-delete' ` +
        `BEGIN SELECT RAISE(ABORT, 'delete refused by the test trigger'); END`,
    ],
    drop: ['DROP TRIGGER jk_refuse_delete'],
  },
}

describe.each(cases)('PrismaAdapter, several jobs per call, on $provider (queries through $queries)', ({ provider, queries }) => {
  let database: TestDatabase
  let adapter: PrismaAdapter
  let appPool: pg.Pool | undefined

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    if (queries === 'pg pool') appPool = new pg.Pool({ connectionString: database.url, max: 2 })
  })
  afterAll(async () => {
    await appPool?.end()
    await database?.drop()
  })
  beforeEach(async () => {
    adapter = new PrismaAdapter({ db: database.db, pg: appPool ? { pool: appPool } : undefined })
    await adapter.clear()
  })
  afterEach(async () => {
    await adapter.close()
  })

  const past = (ms: number) => new Date(Date.now() - 60_000 + ms)
  const schedule = (order: number, queue = 'default') =>
    adapter.schedule({ handler: { name: 'TestJob', path: 'TestJob/TestJob', args: [order] }, queue, priority: 50, runAt: past(order) })
  const findInput = (processName: string, limit: number, workerStartedAt?: Date) =>
    ({ processName, staleAfterSeconds: 3600, queues: '*' as const, limit, workerStartedAt })

  it('locks every job one find claims to this worker, and another worker sees none of them as free', async () => {
    const ids = [await schedule(1), await schedule(2), await schedule(3), await schedule(4), await schedule(5)]
    const extra = await schedule(6)
    const claimed = await adapter.find(findInput('host-a:worker.0', 5))
    expect(claimed.map((job) => job.id)).toEqual(ids)
    for (const job of claimed) expect(job).toMatchObject({ lockedBy: 'host-a:worker.0', attempts: 1 })
    for (const id of ids) expect(await readJob(database, id)).toMatchObject({ lockedBy: 'host-a:worker.0', attempts: 1 })
    const other = await adapter.find(findInput('host-b:worker.0', 10))
    expect(other.map((job) => job.id)).toEqual([extra])
  })

  it('records each job of a batch of successes exactly once, and locks the next ones in the same call', async () => {
    const finished = [await schedule(1), await schedule(2), await schedule(3)]
    const next = [await schedule(4), await schedule(5)]
    const remaining = await schedule(6)
    const inHand = await adapter.find(findInput('host-a:worker.0', 3))
    expect(inHand.map((job) => job.id)).toEqual(finished)
    const found = await adapter.successAndFind({ jobs: inHand, deleteJob: true, next: findInput('host-a:worker.0', 2) })
    expect(found.map((job) => job.id)).toEqual(next)
    for (const job of found) expect(job).toMatchObject({ lockedBy: 'host-a:worker.0', attempts: 1 })
    expect((await readJobs(database)).map((row) => row.id).sort((a, b) => a - b)).toEqual([...next, remaining])
    // Recording the same successes again changes nothing and finds only what is left.
    const again = await adapter.successAndFind({ jobs: inHand, deleteJob: true, next: findInput('host-a:worker.0', 5) })
    expect(again.map((job) => job.id)).toEqual([remaining])
  })

  it('keeps each job of a batch as done, once, with deleteJob false and no find', async () => {
    await Promise.all([schedule(1), schedule(2)])
    const inHand = await adapter.find(findInput('host-a:worker.0', 2))
    expect(await adapter.successAndFind({ jobs: inHand, deleteJob: false })).toEqual([])
    for (const job of inHand) {
      expect(await readJob(database, job.id)).toMatchObject({ lockedBy: null, lockedAt: null, runAt: null, attempts: 1 })
    }
    expect(await adapter.find(findInput('host-b:worker.0', 5))).toEqual([])
  })

  it('a batched write the database refuses records none of the batch, locks nothing new, and every job runs again', async () => {
    const [first, second, refused] = [await schedule(1), await schedule(2), await schedule(3, 'refuse-delete')]
    const waiting = await schedule(4)
    const startedAt = new Date()
    const inHand = await adapter.find(findInput('host-a:worker.0', 3, startedAt))
    expect(inHand.map((job) => job.id)).toEqual([first, second, refused])
    for (const sql of refuseDeleteTrigger[provider].create) await database.db.$executeRawUnsafe(sql)
    try {
      await expect(adapter.successAndFind({ jobs: inHand, deleteJob: true, next: findInput('host-a:worker.0', 5, startedAt) })).rejects.toThrow(
        // Prisma reports SQLite's RAISE(ABORT) as a constraint violation, without the trigger's words.
        provider === 'sqlite' ? /constraint/ : /refused by the test trigger/,
      )
    } finally {
      for (const sql of refuseDeleteTrigger[provider].drop) await database.db.$executeRawUnsafe(sql)
    }
    // Not one of the three was deleted: each is still in this worker's hands…
    for (const id of [first, second, refused]) expect(await readJob(database, id)).toMatchObject({ lockedBy: 'host-a:worker.0', attempts: 1 })
    // …the next job was not claimed by the failed call…
    expect(await readJob(database, waiting)).toMatchObject({ lockedBy: null, attempts: 0 })
    // …another worker does not take them while the lock is fresh, and the same worker restarted takes them all back.
    expect((await adapter.find(findInput('host-b:worker.0', 10))).map((job) => job.id)).toEqual([waiting])
    const restarted = await adapter.find(findInput('host-a:worker.0', 10, new Date(Date.now() + 1000)))
    expect(restarted.map((job) => job.id)).toEqual([first, second, refused])
  })
})
