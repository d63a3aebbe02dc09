/**
 * A worker at concurrency 10 whose batched success write the database refuses
 * for one job (a trigger), on real databases: the other jobs of the batch are
 * still recorded, once; the refused one stays in the worker's hands and is not
 * run again by it; and the log says only what happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase, type TestProvider } from '../../../test/support/databases.js'
import { jobsModel, readJobs } from '../../../test/support/jobs-table.js'
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { JobManager, PrismaAdapter } from '../index.js'
import type { Logger } from '../types.js'

/** Refuses to delete or update (a success either way) the job of queue `refuse`. */
const refuseTrigger: Record<TestProvider, { create: string[]; drop: string[] }> = {
  postgresql: {
    create: [
      `CREATE FUNCTION jk_refuse() RETURNS trigger AS $$ BEGIN ` +
        `IF OLD."queue" = 'refuse' AND (TG_OP = 'DELETE' OR NEW."runAt" IS NULL) THEN RAISE EXCEPTION 'refused by the test trigger'; END IF; ` +
        `IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER jk_refuse BEFORE DELETE OR UPDATE ON "BackgroundJob" FOR EACH ROW EXECUTE FUNCTION jk_refuse()`,
    ],
    drop: [`DROP TRIGGER jk_refuse ON "BackgroundJob"`, `DROP FUNCTION jk_refuse()`],
  },
  mysql: {
    create: [
      `CREATE TRIGGER jk_refuse_d BEFORE DELETE ON \`BackgroundJob\` FOR EACH ROW BEGIN ` +
        `IF OLD.queue = 'refuse' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test trigger'; END IF; END`,
      `CREATE TRIGGER jk_refuse_u BEFORE UPDATE ON \`BackgroundJob\` FOR EACH ROW BEGIN ` +
        `IF OLD.queue = 'refuse' AND NEW.runAt IS NULL THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test trigger'; END IF; END`,
    ],
    drop: ['DROP TRIGGER jk_refuse_d', 'DROP TRIGGER jk_refuse_u'],
  },
  sqlite: {
    create: [
      `CREATE TRIGGER jk_refuse_d BEFORE DELETE ON "BackgroundJob" FOR EACH ROW WHEN OLD."queue" = 'refuse' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
      `CREATE TRIGGER jk_refuse_u BEFORE UPDATE ON "BackgroundJob" FOR EACH ROW WHEN OLD."queue" = 'refuse' AND NEW."runAt" IS NULL BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    ],
    drop: ['DROP TRIGGER jk_refuse_d', 'DROP TRIGGER jk_refuse_u'],
  },
}

describe.each(TEST_PROVIDERS)('a worker at concurrency 10 on %s whose success write is refused for one job', (provider) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })

  it.each([true, false])('deleteSuccessfulJobs %s: the others are recorded once, the refused one is not run again, no false warning', async (deleteSuccessfulJobs) => {
    const warnings: string[] = []
    const logger: Logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) }
    const adapter = new PrismaAdapter({ db: database.db, logger })
    await adapter.clear()
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default', 'refuse'] as const, logger: console, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
    const ran: number[] = []
    registry.CountedJob = jobs.createJob({ queue: 'default', perform: async (n: number) => { await new Promise((r) => setTimeout(r, 5)); ran.push(n) } })
    const past = Date.now() - 60_000
    await jobsModel(database).createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        handler: JSON.stringify({ name: 'CountedJob', path: 'CountedJob/CountedJob', args: [i] }),
        queue: i === 4 ? 'refuse' : 'default',
        priority: 50,
        runAt: new Date(past + i),
      })),
    })
    for (const sql of refuseTrigger[provider].create) await database.db.$executeRawUnsafe(sql)
    try {
      const worker = workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger, concurrency: 10, deleteSuccessfulJobs, statusWriteRetryDelaysSeconds: [] })
      expect(await worker.run()).toBe('done')
    } finally {
      for (const sql of refuseTrigger[provider].drop) await database.db.$executeRawUnsafe(sql)
      await adapter.close()
    }
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i))
    const rows = await readJobs(database)
    const refused = rows.find((row) => row.queue === 'refuse')
    expect(refused).toMatchObject({ lockedBy: 'test-host:jobs-kit-worker.all.0', attempts: 1 })
    const others = rows.filter((row) => row.queue !== 'refuse')
    if (deleteSuccessfulJobs) expect(others).toEqual([])
    else {
      expect(others).toHaveLength(29)
      for (const row of others) expect(row).toMatchObject({ lockedBy: null, runAt: null, attempts: 1 })
    }
    // Only the refused job is reported; no job that was recorded is said to be in someone else's hands.
    expect(warnings.filter((w) => /no longer holds it/.test(w))).toEqual([])
    expect(warnings.filter((w) => /could not be marked done/.test(w))).toHaveLength(1)
  }, 120_000)
})
