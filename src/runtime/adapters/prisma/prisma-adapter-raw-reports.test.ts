/**
 * PostgreSQL without the `pg` option: the worker's reports (success, failed
 * attempt, given up, heartbeat) run as the raw statements of
 * `sql/report-postgresql.ts` through the app's Prisma client, not through the
 * model API, and keep its guarantees: a write the database refuses records
 * nothing and leaves the job in the worker's hands; a report from a worker
 * that lost its lock changes nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { readJob } from '../../../../test/support/jobs-table.js'
import type { StoredJob } from '../../types.js'
import { PrismaAdapter } from './prisma-adapter.js'

// Far from UTC: a date written or read as local time shows as a 14-hour error.
process.env.TZ = 'Pacific/Kiritimati'

describe('PrismaAdapter on PostgreSQL through Prisma only: reports as raw statements', () => {
  let database: TestDatabase
  /** Model API calls the adapter made (`updateMany`, `deleteMany` on the jobs model). */
  const modelCalls: string[] = []
  const warnings: string[] = []
  let adapter: PrismaAdapter
  const handler = { name: 'TestJob', path: 'TestJob/TestJob', args: [] }

  beforeAll(async () => {
    database = await createTestDatabase('postgresql')
    const db = database.db as unknown as Record<string | symbol, unknown>
    // The app's client, with its jobs model watched.
    const watched = new Proxy(db, {
      get(target, property) {
        const value = Reflect.get(target, property)
        if (property === 'backgroundJob') {
          return new Proxy(value as object, {
            get(model, name) {
              const method = Reflect.get(model, name)
              if (name === 'updateMany' || name === 'deleteMany') modelCalls.push(String(name))
              return typeof method === 'function' ? method.bind(model) : method
            },
          })
        }
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    adapter = new PrismaAdapter({
      db: watched,
      logger: { debug() {}, info() {}, error() {}, warn: (message: unknown) => void warnings.push(String(message)) },
    })
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await database.db.$executeRawUnsafe('DELETE FROM "BackgroundJob"')
    modelCalls.length = 0
    warnings.length = 0
  })

  const lockJobs = async (count: number, queue = 'default'): Promise<StoredJob[]> => {
    for (let i = 0; i < count; i++) await adapter.schedule({ handler, queue, priority: 10 + i, runAt: new Date(Date.now() - 1000) })
    return adapter.find({ processName: 'host:worker.0', staleAfterSeconds: 60, queues: [queue], limit: count })
  }

  it('writes every report with $queryRawUnsafe, never with the model API, and changes the rows as the model API did', async () => {
    const [retried, givenUp, deletedGivenUp, kept, deleted, renewed] = await lockJobs(6)
    const before = Date.now()
    await adapter.heartbeat({ jobs: [renewed], processName: 'host:worker.0' })
    const retryAt = new Date(Date.now() + 3_600_000)
    await adapter.error({ job: retried, error: new Error('nope'), retryAt })
    await adapter.failure({ job: givenUp, error: new Error('gave up'), deleteJob: false })
    await adapter.failure({ job: deletedGivenUp, error: new Error('gave up'), deleteJob: true })
    await adapter.success({ job: kept, deleteJob: false })
    await adapter.success({ job: deleted, deleteJob: true })
    await adapter.successAndFind({ jobs: [renewed], deleteJob: false })

    expect(modelCalls).toEqual([])
    expect(warnings).toEqual([])
    expect(await readJob(database, retried.id)).toMatchObject({ lockedAt: null, lockedBy: null, runAt: retryAt, failedAt: null })
    expect((await readJob(database, retried.id))!.lastError).toContain('nope')
    expect(await readJob(database, givenUp.id)).toMatchObject({ lockedAt: null, lockedBy: null })
    expect((await readJob(database, givenUp.id))!.failedAt.getTime()).toBeGreaterThanOrEqual(before - 5)
    expect(await readJob(database, deletedGivenUp.id)).toBeNull()
    expect(await readJob(database, kept.id)).toMatchObject({ lockedAt: null, lockedBy: null, runAt: null, lastError: null })
    expect(await readJob(database, deleted.id)).toBeNull()
    expect(await readJob(database, renewed.id)).toMatchObject({ lockedBy: null, runAt: null })
  })

  it('renews the lock with the app clock, read back as the same instant', async () => {
    const [job] = await lockJobs(1)
    const before = Date.now()
    await adapter.heartbeat({ jobs: [job], processName: 'host:worker.0' })
    const lockedAt = (await readJob(database, job.id))!.lockedAt.getTime()
    expect(lockedAt).toBeGreaterThanOrEqual(before - 5)
    expect(lockedAt).toBeLessThanOrEqual(Date.now() + 5)
  })

  it('a report the database refuses throws, records nothing and leaves the job locked under this worker', async () => {
    const [job] = await lockJobs(1, 'refuse-update')
    await database.db.$executeRawUnsafe(
      `CREATE FUNCTION jk_refuse_update() RETURNS trigger AS $$ BEGIN ` +
        `IF OLD."queue" = 'refuse-update' THEN RAISE EXCEPTION 'update refused by the test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    )
    await database.db.$executeRawUnsafe(`CREATE TRIGGER jk_refuse_update BEFORE UPDATE ON "BackgroundJob" FOR EACH ROW EXECUTE FUNCTION jk_refuse_update()`)
    try {
      await expect(adapter.error({ job, error: new Error('nope'), retryAt: new Date() })).rejects.toThrow(/refused by the test trigger/)
      await expect(adapter.success({ job, deleteJob: false })).rejects.toThrow(/refused by the test trigger/)
    } finally {
      await database.db.$executeRawUnsafe('DROP TRIGGER jk_refuse_update ON "BackgroundJob"')
      await database.db.$executeRawUnsafe('DROP FUNCTION jk_refuse_update()')
    }
    expect(await readJob(database, job.id)).toMatchObject({ lockedBy: 'host:worker.0', attempts: 1, lastError: null, failedAt: null })
    expect(warnings).toEqual([])
  })

  it('a late report from a worker that lost its lock changes nothing and says so', async () => {
    const [job] = await lockJobs(1)
    // Its lock went stale and another worker took the job.
    await database.db.$executeRawUnsafe(`UPDATE "BackgroundJob" SET "lockedBy" = 'host:worker.1' WHERE id = $1`, job.id)
    await adapter.error({ job, error: new Error('late'), retryAt: new Date() })
    await adapter.failure({ job, error: new Error('late'), deleteJob: false })
    await adapter.failure({ job, error: new Error('late'), deleteJob: true })
    await adapter.success({ job, deleteJob: false })
    await adapter.heartbeat({ jobs: [job], processName: 'host:worker.0' })
    expect(await readJob(database, job.id)).toMatchObject({ lockedBy: 'host:worker.1', lastError: null, failedAt: null, lockedAt: job.lockedAt })
    expect(warnings).toHaveLength(4)
    expect(warnings[0]).toContain(`job ${job.id}: its failed attempt was not recorded because host:worker.0 no longer holds it`)
  })
})
