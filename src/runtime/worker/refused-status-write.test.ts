/**
 * A database that refuses a job's status write for good, on real databases:
 * a PostgreSQL trigger that rejects the job's `lastError`, and a MariaDB
 * `lastError` column narrower than the model's `@db.Text` (an app's own
 * schema). The job must run at most `maxAttempts` times and then be given up
 * (`failedAt` set, unlocked), never claimed again and again forever.
 */
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js'
import { JobManager, PrismaAdapter } from '../index.js'
import type { Logger } from '../types.js'

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let database: TestDatabase | undefined
afterEach(async () => {
  await database?.drop()
  database = undefined
})

/** Runs one job that always throws `message` under a worker whose locks go stale after 1 s; returns how often it ran. */
async function runRefusedJob(db: TestDatabase, message: string): Promise<number> {
  const adapter = new PrismaAdapter({ db: db.db })
  const registry: Record<string, unknown> = {}
  const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
  const jobs = new JobManager({
    adapters: { prisma: adapter },
    queues: ['default'] as const,
    logger: quiet,
    workers: [{ adapter: 'prisma', queue: '*' }],
    jobs: () => registry,
  })
  let runs = 0
  registry.RefusedJob = jobs.createJob({
    queue: 'default',
    perform: async () => {
      runs += 1
      throw new Error(message)
    },
  })
  await adapter.schedule({ handler: { name: 'RefusedJob', path: 'RefusedJob/RefusedJob', args: [] }, queue: 'default', priority: 50, runAt: new Date() })
  const worker = workoffWorker({
    adapter,
    loadJob: (name) => jobs.loadJob(name),
    logger: quiet,
    maxAttempts: 2,
    mode: 'work',
    lockTiming: { staleAfterSeconds: 1, heartbeatIntervalSeconds: 0.25 },
    statusWriteRetryDelaysSeconds: [0.05],
  })
  const running = worker.run()
  // Run 1, its failed attempt recorded (a shorter error), run 2 a second later, then the give-up: well inside 10 s.
  await delay(10_000)
  worker.stop()
  await running
  return runs
}

describe('a status write the database always refuses', () => {
  it('PostgreSQL trigger rejecting the error: at most maxAttempts runs, then given up', async () => {
    database = await createTestDatabase('postgresql')
    await database.db.$executeRawUnsafe(
      `CREATE FUNCTION refuse_marked_error() RETURNS trigger AS $$ BEGIN ` +
        `IF NEW."lastError" LIKE '%UNSTORABLE%' THEN RAISE EXCEPTION 'lastError refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    )
    await database.db.$executeRawUnsafe(`CREATE TRIGGER refuse_marked_error BEFORE UPDATE ON "${database.table}" FOR EACH ROW EXECUTE FUNCTION refuse_marked_error()`)
    const runs = await runRefusedJob(database, 'UNSTORABLE: the trigger refuses this error')
    expect(runs).toBe(2)
    const [row] = await database.db.backgroundJob.findMany()
    expect(row).toMatchObject({ lockedBy: null, lockedAt: null, attempts: 2 })
    expect(row.failedAt).toBeInstanceOf(Date)
    // What the database took instead: the bare error name (the summary still carried the marker).
    expect(row.lastError).toBe('Error: ')
  }, 60_000)

  it('MariaDB lastError VARCHAR(50): at most maxAttempts runs, then given up instead of claimed forever', async () => {
    // Every full lastError is longer than 50 characters, and so is the
    // 200-character summary: the row used to stay locked, claimed again each
    // time its lock went stale, attempts climbing for ever. The bare error
    // name fits.
    database = await createTestDatabase('mysql')
    await database.db.$executeRawUnsafe(`ALTER TABLE ${database.table} MODIFY lastError VARCHAR(50) NULL`)
    const runs = await runRefusedJob(database, 'this job fails with an error longer than the lastError column holds')
    expect(runs).toBe(2)
    const [row] = await database.db.backgroundJob.findMany()
    expect({ lockedBy: row.lockedBy, givenUp: row.failedAt instanceof Date, claimedPastGiveUp: row.attempts > 2 }).toEqual({
      lockedBy: null,
      givenUp: true,
      claimedPastGiveUp: false,
    })
  }, 60_000)
})
