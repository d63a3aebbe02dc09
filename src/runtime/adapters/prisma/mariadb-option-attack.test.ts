/**
 * The `mariadb` option attacked with real workers on a real MariaDB: a
 * trigger that refuses the success write or the claim's UPDATE, an app's pool
 * with odd settings, workers with and without the option on one table.
 * Guarantees: every job once, nothing left locked for good, no spin.
 */
import mariadb, { type Pool as MariadbPool } from 'mariadb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { jobsModel, readJobs } from '../../../../test/support/jobs-table.js'
import { workoffWorker } from '../../../../test/support/workoff-worker.js'
import { JobManager, PrismaAdapter } from '../../index.js'
import type { Logger } from '../../types.js'

process.env.TZ = 'Pacific/Kiritimati'

type PoolKind = 'own' | 'app-odd' | 'prisma'

/** An app's pool with every setting the adapter must not depend on turned the other way. */
function oddAppPool(url: string): MariadbPool {
  const server = new URL(url)
  return mariadb.createPool({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
    database: server.pathname.slice(1),
    connectionLimit: 1,
    pipelining: false,
    multipleStatements: false,
    bigIntAsNumber: false,
    dateStrings: true,
    insertIdAsNumber: false,
    rowsAsArray: true,
    acquireTimeout: 20_000,
  })
}

const quiet = (sink: string[]): Logger => ({ debug() {}, info() {}, warn: (m: string) => sink.push(m), error: (m: string) => sink.push(m) })

describe.each(['own', 'app-odd', 'prisma'] as PoolKind[])('mariadb option (%s pool) under attack', (kind) => {
  let database: TestDatabase
  let appPool: MariadbPool | undefined

  beforeAll(async () => {
    database = await createTestDatabase('mysql')
    if (kind === 'app-odd') appPool = oddAppPool(database.url)
  })
  afterAll(async () => {
    await appPool?.end()
    await database?.drop()
  })

  // `prisma`: no option, the control: the same attack through Prisma's raw path.
  const option = () => (kind === 'prisma' ? undefined : kind === 'own' ? { connectionString: database.url } : { pool: appPool! })

  function manager(adapter: PrismaAdapter, ran: number[]) {
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default', 'refuse', 'a', 'b'] as const,
      logger: console,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
    })
    registry.CountedJob = jobs.createJob({
      queue: 'default',
      perform: async (n: number) => {
        await new Promise((r) => setTimeout(r, 2))
        ran.push(n)
      },
    })
    return jobs
  }

  async function insertJobs(count: number, queueOf: (i: number) => string, from = 0) {
    const past = Date.now() - 60_000
    await jobsModel(database).createMany({
      data: Array.from({ length: count }, (_, j) => ({
        handler: JSON.stringify({ name: 'CountedJob', path: 'CountedJob/CountedJob', args: [from + j] }),
        queue: queueOf(from + j),
        priority: 50,
        runAt: new Date(past + j),
      })),
    })
  }

  it.each([true, false])('a refused success (deleteSuccessfulJobs %s): the others recorded once, none run twice, nothing else locked', async (deleteSuccessfulJobs) => {
    const warnings: string[] = []
    const logger = quiet(warnings)
    const adapter = new PrismaAdapter({ db: database.db, logger, mariadb: option() })
    await adapter.clear()
    const ran: number[] = []
    const jobs = manager(adapter, ran)
    await insertJobs(30, (i) => (i === 4 ? 'refuse' : 'default'))
    const triggers = [
      `CREATE TRIGGER jk_refuse_d BEFORE DELETE ON \`BackgroundJob\` FOR EACH ROW BEGIN ` +
        `IF OLD.queue = 'refuse' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test trigger'; END IF; END`,
      `CREATE TRIGGER jk_refuse_u BEFORE UPDATE ON \`BackgroundJob\` FOR EACH ROW BEGIN ` +
        `IF OLD.queue = 'refuse' AND NEW.runAt IS NULL THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test trigger'; END IF; END`,
    ]
    for (const sql of triggers) await database.db.$executeRawUnsafe(sql)
    try {
      const worker = workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger, concurrency: 10, deleteSuccessfulJobs, statusWriteRetryDelaysSeconds: [] })
      expect(await worker.run()).toBe('done')
    } finally {
      for (const sql of ['DROP TRIGGER jk_refuse_d', 'DROP TRIGGER jk_refuse_u']) await database.db.$executeRawUnsafe(sql)
      await adapter.close()
    }
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i))
    const rows = await readJobs(database)
    expect(rows.find((row) => row.queue === 'refuse')).toMatchObject({ lockedBy: 'test-host:jobs-kit-worker.all.0', attempts: 1 })
    const others = rows.filter((row) => row.queue !== 'refuse')
    if (deleteSuccessfulJobs) expect(others).toEqual([])
    else {
      expect(others).toHaveLength(29)
      for (const row of others) expect(row).toMatchObject({ lockedBy: null, runAt: null, attempts: 1 })
    }
  }, 120_000)

  it('a refused claim (UPDATE setting lockedBy) of one queue: the other queue drains, no spin, the refused rows stay unlocked', async () => {
    const warnings: string[] = []
    const logger = quiet(warnings)
    const adapter = new PrismaAdapter({ db: database.db, logger, mariadb: option() })
    await adapter.clear()
    const ran: number[] = []
    const jobs = manager(adapter, ran)
    // Jobs of queue `refuse` come first in due order; every claim that includes one is refused.
    await insertJobs(3, () => 'refuse')
    await insertJobs(20, () => 'default', 3)
    await database.db.$executeRawUnsafe(
      `CREATE TRIGGER jk_refuse_claim BEFORE UPDATE ON \`BackgroundJob\` FOR EACH ROW BEGIN ` +
        `IF OLD.queue = 'refuse' AND NEW.lockedBy IS NOT NULL THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'claim refused by the test trigger'; END IF; END`,
    )
    const cpuBefore = process.cpuUsage()
    let exit: string
    const startedAt = Date.now()
    try {
      const worker = new (await import('../../worker/worker.js')).Worker({
        adapter,
        loadJob: (name) => jobs.loadJob(name),
        logger,
        processName: 'test-host:claim.0',
        queues: ['default'],
        maxAttempts: 3,
        maxRuntimeSeconds: 30,
        sleepDelaySeconds: 0.05,
        deleteFailedJobs: false,
        deleteSuccessfulJobs: true,
        concurrency: 4,
        mode: 'workoff',
      })
      exit = await worker.run()
      // A worker of the refused queue: its claims fail every time. It must back off, not spin.
      const refusedWorker = new (await import('../../worker/worker.js')).Worker({
        adapter,
        loadJob: (name) => jobs.loadJob(name),
        logger,
        processName: 'test-host:claim.1',
        queues: '*',
        maxAttempts: 3,
        maxRuntimeSeconds: 30,
        sleepDelaySeconds: 0.05,
        deleteFailedJobs: false,
        deleteSuccessfulJobs: true,
        concurrency: 4,
        mode: 'work',
      })
      const running = refusedWorker.run()
      await new Promise((r) => setTimeout(r, 3_000))
      const findErrors = warnings.length
      await refusedWorker.stop()
      await running
      const cpu = process.cpuUsage(cpuBefore)
      console.log(`refused claim: ${findErrors} warnings in 3 s, cpu ${(cpu.user + cpu.system) / 1000} ms over ${Date.now() - startedAt} ms`)
      // One try per poll (0.05 s here, as on the Prisma path): at most ~60 in 3 s, not a tight loop.
      expect(findErrors, warnings.slice(0, 1).join('\n').slice(0, 300)).toBeLessThan(75)
    } finally {
      await database.db.$executeRawUnsafe('DROP TRIGGER jk_refuse_claim')
      await adapter.close()
    }
    expect(exit).toBe('done')
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3))
    const rows = await readJobs(database)
    expect(rows).toHaveLength(3)
    for (const row of rows) expect(row).toMatchObject({ queue: 'refuse', lockedBy: null, lockedAt: null, attempts: 0 })
  }, 120_000)

  it('a claim refused in the same transaction as the DELETE of the jobs just finished: those are recorded once, nothing runs twice', async () => {
    const warnings: string[] = []
    const logger = quiet(warnings)
    const adapter = new PrismaAdapter({ db: database.db, logger, mariadb: option() })
    await adapter.clear()
    const ran: number[] = []
    const jobs = manager(adapter, ran)
    // Ten jobs due first, then three whose claim the trigger refuses: the finish-and-find after the tenth takes them.
    await insertJobs(10, () => 'default')
    await new Promise((r) => setTimeout(r, 5))
    await insertJobs(3, () => 'refuse', 10)
    await database.db.$executeRawUnsafe(
      `CREATE TRIGGER jk_refuse_claim2 BEFORE UPDATE ON \`BackgroundJob\` FOR EACH ROW BEGIN ` +
        `IF OLD.queue = 'refuse' AND NEW.lockedBy IS NOT NULL THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'claim refused by the test trigger'; END IF; END`,
    )
    const { Worker } = await import('../../worker/worker.js')
    try {
      const worker = new Worker({ adapter, loadJob: (n) => jobs.loadJob(n), logger, processName: 'h:fin.0', queues: '*', maxAttempts: 3, maxRuntimeSeconds: 30, sleepDelaySeconds: 0.05, deleteFailedJobs: false, deleteSuccessfulJobs: true, concurrency: 2, mode: 'work', statusWriteRetryDelaysSeconds: [0.05] })
      const running = worker.run()
      await new Promise((r) => setTimeout(r, 2_000))
      await worker.stop()
      expect(await running).toBe('stopped')
    } finally {
      await database.db.$executeRawUnsafe('DROP TRIGGER jk_refuse_claim2')
      await adapter.close()
    }
    expect([...ran].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i))
    const rows = await readJobs(database)
    expect(rows.map((row) => row.queue)).toEqual(['refuse', 'refuse', 'refuse'])
    for (const row of rows) expect(row).toMatchObject({ lockedBy: null, lockedAt: null, attempts: 0 })
  }, 60_000)

  it('workers with and without the option, different concurrency and queues, on one table: every job once', async () => {
    const warnings: string[] = []
    const logger = quiet(warnings)
    const withOption = new PrismaAdapter({ db: database.db, logger, mariadb: option() })
    const secondClient = await database.newClient()
    const viaPrisma = new PrismaAdapter({ db: secondClient, logger })
    await viaPrisma.clear()
    const ran: number[] = []
    const jobsA = manager(withOption, ran)
    const jobsB = manager(viaPrisma, ran)
    await insertJobs(300, (i) => (['default', 'a', 'b'] as const)[i % 3]!)
    const common = { maxAttempts: 3, maxRuntimeSeconds: 30, sleepDelaySeconds: 0.05, deleteFailedJobs: false, mode: 'workoff' as const }
    const { Worker } = await import('../../worker/worker.js')
    const workers = [
      new Worker({ ...common, adapter: withOption, loadJob: (n) => jobsA.loadJob(n), logger, processName: 'h:opt.0', queues: '*', concurrency: 7, deleteSuccessfulJobs: true }),
      new Worker({ ...common, adapter: withOption, loadJob: (n) => jobsA.loadJob(n), logger, processName: 'h:opt.1', queues: ['a'], concurrency: 1, deleteSuccessfulJobs: false }),
      new Worker({ ...common, adapter: viaPrisma, loadJob: (n) => jobsB.loadJob(n), logger, processName: 'h:prisma.0', queues: ['a', 'b'], concurrency: 3, deleteSuccessfulJobs: true }),
      new Worker({ ...common, adapter: viaPrisma, loadJob: (n) => jobsB.loadJob(n), logger, processName: 'h:prisma.1', queues: '*', concurrency: 1, deleteSuccessfulJobs: false }),
    ]
    try {
      expect(await Promise.all(workers.map((w) => w.run()))).toEqual(['done', 'done', 'done', 'done'])
    } finally {
      await withOption.close()
      await viaPrisma.close()
    }
    expect(ran.length, warnings.slice(0, 3).join('\n')).toBe(300)
    expect([...ran].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i))
    const rows = await readJobs(database)
    for (const row of rows) expect(row).toMatchObject({ lockedBy: null, runAt: null, attempts: 1 })
  }, 180_000)

  it('every connection to the database killed again and again mid-drain: every job runs, never two runs of one job at once, none left', async () => {
    const warnings: string[] = []
    const logger = quiet(warnings)
    const adapter = new PrismaAdapter({ db: database.db, logger, mariadb: option() })
    await adapter.clear()
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger: console, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
    const runs = new Map<number, number>()
    const inHand = new Set<number>()
    let overlaps = 0
    registry.CountedJob = jobs.createJob({
      queue: 'default',
      perform: async (n: number) => {
        if (inHand.has(n)) overlaps++
        inHand.add(n)
        await new Promise((r) => setTimeout(r, 3))
        inHand.delete(n)
        runs.set(n, (runs.get(n) ?? 0) + 1)
      },
    })
    await insertJobs(200, () => 'default')
    const server = new URL(database.url)
    const killer = await mariadb.createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) })
    let killed = 0
    let killing = true
    const killLoop = (async () => {
      while (killing) {
        await new Promise((r) => setTimeout(r, 120))
        const ids = (await killer.query('SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()', [server.pathname.slice(1)])) as { id: number }[]
        for (const { id } of ids) {
          await killer.query(`KILL CONNECTION ${Number(id)}`).catch(() => undefined)
          killed++
        }
      }
    })()
    const { Worker } = await import('../../worker/worker.js')
    const common = { adapter, loadJob: (n: string) => jobs.loadJob(n), logger, queues: '*' as const, maxAttempts: 5, maxRuntimeSeconds: 30, sleepDelaySeconds: 0.05, deleteFailedJobs: false, deleteSuccessfulJobs: true, concurrency: 5, statusWriteRetryDelaysSeconds: [0.05, 0.1] }
    try {
      // Two rounds under fire: a job whose lock or success could not be written comes back once stale (2 s here).
      const lockTiming = { staleAfterSeconds: 2, heartbeatIntervalSeconds: 0.5 }
      await new Worker({ ...common, processName: 'h:kill.0', mode: 'workoff', lockTiming }).run()
      await new Promise((r) => setTimeout(r, 2_500))
      await new Worker({ ...common, processName: 'h:kill.1', mode: 'workoff', lockTiming }).run()
    } finally {
      killing = false
      await killLoop
      await killer.end()
    }
    // After the fire: one clean pass for what was left once stale.
    await new Promise((r) => setTimeout(r, 2_500))
    try {
      await new Worker({ ...common, processName: 'h:kill.2', mode: 'workoff', lockTiming: { staleAfterSeconds: 2, heartbeatIntervalSeconds: 0.5 } }).run()
    } finally {
      await adapter.close()
    }
    console.log(`killed ${killed} connections; ${[...runs.values()].filter((n) => n > 1).length} jobs ran more than once (after a lost write); ${warnings.length} warnings`)
    expect(killed).toBeGreaterThan(0)
    expect(overlaps).toBe(0)
    expect([...runs.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i))
    expect(await readJobs(database)).toEqual([])
  }, 180_000)
})
