import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase, type TestPrismaClient } from '../../../test/support/databases.js'
import { readJobs } from '../../../test/support/jobs-table.js'
import { PrismaAdapter } from '../adapters/prisma/prisma-adapter.js'
import { JobManager } from '../manager/job-manager.js'
import type { JobContext, Logger, RecurringEntry } from '../types.js'
import { Worker } from '../worker/worker.js'
import { RecurringScheduler } from './recurring-scheduler.js'
import { removeSchedulesOfRemovedEntries } from './start-recurring.js'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** A clock the test moves; each scheduler may read it with a skew, as a host whose clock is off would. */
class TestClock {
  constructor(public ms: number) {}
  set(iso: string | Date): void {
    this.ms = new Date(iso).getTime()
  }
  reader(skewMs = 0): () => Date {
    return () => new Date(this.ms + skewMs)
  }
}

describe.each(TEST_PROVIDERS)('recurring jobs on %s', (provider) => {
  let database: TestDatabase
  /** A second and third client with their own connections: other "hosts". */
  let otherClients: TestPrismaClient[]

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    otherClients = [await database.newClient(), await database.newClient()]
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await database.db.backgroundJob.deleteMany()
    await database.db.backgroundJobSchedule.deleteMany()
  })

  /**
   * The clients of three "hosts". On SQLite all three share one client:
   * better-sqlite3 waits for a lock synchronously, so two clients of one
   * process would block each other's event loop (hosts are separate
   * processes in real life; the end-to-end test runs them so).
   */
  function hostClients(): TestPrismaClient[] {
    return provider === 'sqlite' ? [database.db, database.db, database.db] : [database.db, ...otherClients]
  }

  /** A manager with one job, `TickJob`, and the given recurring entries, on `client`. */
  function manager(recurring: RecurringEntry<'default' | 'reports'>[], client: TestPrismaClient = database.db) {
    const registry: Record<string, unknown> = {}
    const adapter = new PrismaAdapter({ db: client })
    const jobs = new JobManager({
      adapters: { prisma: adapter },
      queues: ['default', 'reports'] as const,
      logger: silent,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
      recurring,
    })
    const seen: Array<JobContext['recurring']> = []
    registry.TickJob = jobs.createJob({
      queue: 'default',
      perform: function (this: JobContext, label?: string) {
        void label
        seen.push(this.recurring)
      },
    })
    return { jobs, adapter, client, seen }
  }

  async function scheduler(recurring: RecurringEntry<'default' | 'reports'>[], now: () => Date, client: TestPrismaClient = database.db) {
    const { jobs, adapter } = manager(recurring, client)
    const created = await RecurringScheduler.create({
      entries: jobs.recurring,
      adapter,
      db: client,
      loadJob: (name) => jobs.loadJob(name),
      logger: silent,
      now,
    })
    await created.sync()
    return created
  }

  async function slotsEnqueued(): Promise<Array<{ slot: string; backfill: boolean }>> {
    const rows = await readJobs(database)
    return rows.map((row) => {
      const handler = JSON.parse(row.handler)
      return { slot: handler.recurring.slot, backfill: handler.recurring.backfill }
    })
  }

  it('enqueues exactly one job per slot with three hosts whose clocks are seconds apart, jobs deleted as they finish, and a restart mid-slot', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T12:00:30Z'))
    const entry: RecurringEntry<'default' | 'reports'> = { job: 'TickJob', cron: '* * * * *' }
    // Three hosts: one 3 s behind, one on time, one 3 s ahead, each on its own connections.
    const clients = hostClients()
    const hosts = await Promise.all([
      scheduler([entry], clock.reader(-3000), clients[0]),
      scheduler([entry], clock.reader(0), clients[1]),
      scheduler([entry], clock.reader(3000), clients[2]),
    ])
    let restarted = 0
    const finished: string[] = []
    // Ten minutes in 1-second steps; every host checks at every step, all at once.
    for (let step = 0; step < 600; step++) {
      clock.ms += 1000
      await Promise.all(hosts.map((host) => host.check()))
      if (step % 97 === 0) {
        // deleteSuccessfulJobs: the jobs of past slots are gone; nothing must bring their slots back.
        finished.push(...(await slotsEnqueued()).map((run) => run.slot))
        await database.db.backgroundJob.deleteMany()
      }
      if (step === 300) {
        // A host restarts in the middle of a slot: its new scheduler must not enqueue that slot again.
        hosts[1] = await scheduler([entry], clock.reader(0), clients[1])
        restarted += 1
        await hosts[1].check()
      }
    }
    expect(restarted).toBe(1)
    const rows = await database.db.backgroundJobSchedule.findMany()
    expect(rows).toHaveLength(1)
    const remaining = await slotsEnqueued()
    expect(remaining.every((run) => run.backfill === false)).toBe(true)
    // The true clock ends at 12:10:30: every minute from 12:01 to 12:10, each exactly once, none lost.
    expect([...finished, ...remaining.map((run) => run.slot)]).toEqual(
      Array.from({ length: 10 }, (_, index) => new Date(Date.UTC(2030, 0, 1, 12, 1 + index)).toISOString()),
    )
  })

  it('enqueues each slot once when several hosts check at the same instant, slot after slot', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T00:00:00.500Z'))
    const entry: RecurringEntry<'default' | 'reports'> = { job: 'TickJob', cron: '*/2 * * * * *' }
    const hosts = await Promise.all(hostClients().map((client) => scheduler([entry], clock.reader(0), client)))
    for (let step = 0; step < 40; step++) {
      clock.ms += 500
      await Promise.all(hosts.flatMap((host) => [host.check(), host.check()]))
    }
    const runs = await slotsEnqueued()
    // 20 s of an every-2-seconds schedule: 00:00:02 … 00:00:20.
    expect(runs.map((run) => run.slot)).toEqual(Array.from({ length: 10 }, (_, index) => new Date(Date.UTC(2030, 0, 1, 0, 0, 2 + 2 * index)).toISOString()))
  })

  it.each([
    ['skip', 0],
    ['once', 1],
    ['all', 2],
  ] as const)('after a 10-minute outage of a */5 schedule, missed: %s runs %i extra job(s)', async (missed, extra) => {
    const clock = new TestClock(Date.parse('2030-01-01T11:59:50Z'))
    const entry: RecurringEntry<'default' | 'reports'> = { job: 'TickJob', cron: '*/5 * * * *', missed }
    const host = await scheduler([entry], clock.reader())
    clock.set('2030-01-01T12:00:02Z')
    await host.check()
    expect((await slotsEnqueued()).map((run) => run.slot)).toEqual(['2030-01-01T12:00:00.000Z'])

    // Every worker stops at 12:02 and comes back at 12:12: 12:05 and 12:10 passed meanwhile.
    clock.set('2030-01-01T12:12:00Z')
    const restarted = await scheduler([entry], clock.reader())
    await restarted.check()
    clock.set('2030-01-01T12:15:01Z')
    await restarted.check()

    const runs = await slotsEnqueued()
    const backfills = runs.filter((run) => run.backfill).map((run) => run.slot)
    expect(backfills).toHaveLength(extra)
    expect(backfills).toEqual(missed === 'all' ? ['2030-01-01T12:05:00.000Z', '2030-01-01T12:10:00.000Z'] : missed === 'once' ? ['2030-01-01T12:10:00.000Z'] : [])
    // The regular runs go on as before.
    expect(runs.filter((run) => !run.backfill).map((run) => run.slot)).toEqual(['2030-01-01T12:00:00.000Z', '2030-01-01T12:15:00.000Z'])
  })

  it('runs a slot that a restart delayed by less than a minute as an ordinary run, whatever the policy', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T11:59:00Z'))
    const entry: RecurringEntry<'default' | 'reports'> = { job: 'TickJob', cron: '*/5 * * * *' }
    await scheduler([entry], clock.reader())
    clock.set('2030-01-01T12:00:40Z')
    await (await scheduler([entry], clock.reader())).check()
    expect(await slotsEnqueued()).toEqual([{ slot: '2030-01-01T12:00:00.000Z', backfill: false }])
  })

  it('caps missed: all at the 100 most recent slots, oldest first', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T00:00:00.500Z'))
    const entry: RecurringEntry<'default' | 'reports'> = { job: 'TickJob', cron: '* * * * *', missed: 'all' }
    await scheduler([entry], clock.reader())
    clock.set('2030-01-02T00:00:30Z')
    await (await scheduler([entry], clock.reader())).check()
    const runs = await slotsEnqueued()
    expect(runs).toHaveLength(101)
    expect(runs.slice(0, 100).every((run) => run.backfill)).toBe(true)
    expect(runs[0]!.slot).toBe('2030-01-01T22:20:00.000Z')
    expect(runs.at(-1)).toEqual({ slot: '2030-01-02T00:00:00.000Z', backfill: false })
  })

  it('runs 30 2 * * * in Europe/Berlin exactly once per local day over a year, both DST change days included', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T00:00:00Z'))
    const entry: RecurringEntry<'default' | 'reports'> = { job: 'TickJob', cron: '30 2 * * *', timezone: 'Europe/Berlin' }
    const host = await scheduler([entry], clock.reader())
    const end = Date.parse('2031-01-01T00:00:00Z')
    // 2030: summer time starts on 31 March (02:00 → 03:00) and ends on 27 October (03:00 → 02:00).
    const dstDays = ['2030-03-31', '2030-10-27']
    while (host.nextDueAt()!.getTime() < end) {
      const due = host.nextDueAt()!.getTime()
      const day = berlinDay(new Date(due))
      if (dstDays.includes(day)) {
        // Around the changes, look every 10 minutes from midnight to 05:00 local.
        for (let ms = due - 3 * 3_600_000; ms < due + 3 * 3_600_000; ms += 600_000) {
          clock.ms = Math.max(clock.ms, ms)
          await host.check()
        }
      }
      clock.ms = Math.max(clock.ms, due + 1500)
      await host.check()
    }
    const runs = await slotsEnqueued()
    const days = runs.map((run) => berlinDay(new Date(run.slot)))
    expect(new Set(days).size).toBe(days.length)
    expect(days).toHaveLength(365)
    expect(runs.find((run) => berlinDay(new Date(run.slot)) === '2030-03-31')!.slot).toBe('2030-03-31T01:00:00.000Z') // 03:00 CEST: 02:30 does not exist
    expect(runs.find((run) => berlinDay(new Date(run.slot)) === '2030-10-27')!.slot).toBe('2030-10-27T00:30:00.000Z') // the first 02:30
    expect(runs.every((run) => !run.backfill)).toBe(true)
  }, 120_000)

  it('takes the config as the truth: a removed entry stops at the next start, a changed expression applies from the next slot', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T02:59:00Z'))
    const nightly: RecurringEntry<'default' | 'reports'> = { job: 'TickJob', name: 'nightly', cron: '0 3 * * *', missed: 'all' }
    const hourly: RecurringEntry<'default' | 'reports'> = { job: 'TickJob', name: 'hourly', cron: '0 * * * *', args: ['hourly'] }
    await scheduler([nightly, hourly], clock.reader())

    // Restarted without `hourly`: its row goes, and nothing enqueues it any more.
    clock.set('2030-01-01T03:00:01Z')
    const withoutHourly = await scheduler([nightly], clock.reader())
    expect((await database.db.backgroundJobSchedule.findMany()).map((row: { name: string }) => row.name)).toEqual(['nightly'])
    await withoutHourly.check()
    expect((await readJobs(database)).map((row) => JSON.parse(row.handler).recurring.schedule)).toEqual(['nightly'])

    // `nightly` changed to every 10 minutes at 03:35: with missed 'all', none of 03:10 … 03:30 is run; 03:40 is.
    clock.set('2030-01-01T03:35:00Z')
    const changed = await scheduler([{ ...nightly, cron: '*/10 * * * *' }], clock.reader())
    await changed.check()
    clock.set('2030-01-01T03:40:02Z')
    await changed.check()
    expect(await slotsEnqueued()).toEqual([
      { slot: '2030-01-01T03:00:00.000Z', backfill: false },
      { slot: '2030-01-01T03:40:00.000Z', backfill: false },
    ])
  })

  it('shows perform the slot and whether it is a backfill, and fills in queue and priority from the entry or the job', async () => {
    // In the past, so that the worker (on the real clock) finds the jobs due.
    const clock = new TestClock(Date.parse('2025-01-01T11:59:50Z'))
    const entry: RecurringEntry<'default' | 'reports'> = { job: 'TickJob', cron: '*/5 * * * *', missed: 'once', queue: 'reports', priority: 7, args: ['x'] }
    const { jobs, adapter, seen } = manager([entry])
    const host = await RecurringScheduler.create({ entries: jobs.recurring, adapter, db: database.db, loadJob: (name) => jobs.loadJob(name), logger: silent, now: clock.reader() })
    await host.sync()
    clock.set('2025-01-01T12:20:00Z')
    await host.check()
    const rows = await readJobs(database)
    expect(rows.map((row) => [row.queue, row.priority, JSON.parse(row.handler).args])).toEqual([['reports', 7, ['x']], ['reports', 7, ['x']]])

    const worker = new Worker({
      adapter,
      loadJob: (name) => jobs.loadJob(name),
      logger: silent,
      processName: 'test:recurring',
      queues: '*',
      maxAttempts: 1,
      maxRuntimeSeconds: 60,
      sleepDelaySeconds: 0,
      deleteFailedJobs: false,
      deleteSuccessfulJobs: true,
      concurrency: 1,
      mode: 'workoff',
    })
    expect(await worker.run()).toBe('done')
    expect(seen).toEqual([
      { schedule: 'TickJob', slot: new Date('2025-01-01T12:15:00Z'), backfill: true, manual: false },
      { schedule: 'TickJob', slot: new Date('2025-01-01T12:20:00Z'), backfill: false, manual: false },
    ])
  })

  it('costs no query between slots, and one read plus one claim when a slot comes', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T12:00:30Z'))
    const host = await scheduler([{ job: 'TickJob', cron: '*/5 * * * *' }], clock.reader())
    const queries: string[] = []
    const counting = database.db.$extends({ query: { $allOperations: async ({ operation, model, args, query }: any) => { queries.push(`${model}.${operation}`); return query(args) } } })
    const { jobs, adapter } = manager([{ job: 'TickJob', cron: '*/5 * * * *' }], counting)
    const watched = await RecurringScheduler.create({ entries: jobs.recurring, adapter, db: counting, loadJob: (name) => jobs.loadJob(name), logger: silent, now: clock.reader() })
    await watched.sync()
    void host
    queries.length = 0
    for (let second = 0; second < 200; second++) {
      clock.ms += 1000
      await watched.check()
    }
    // 12:00:30 → 12:03:50: no slot came.
    expect(queries).toEqual([])
    clock.set('2030-01-01T12:05:01Z')
    await watched.check()
    expect(queries).toEqual(['BackgroundJobSchedule.findMany', 'BackgroundJobSchedule.updateMany', 'BackgroundJob.create', 'BackgroundJobSchedule.updateMany'])
  })

  it('an entry renamed only in case ("Tick" → "tick") goes on firing after the restart', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T12:00:30Z'))
    await scheduler([{ job: 'TickJob', name: 'Tick', cron: '*/5 * * * *' }], clock.reader())
    const renamed = await scheduler([{ job: 'TickJob', name: 'tick', cron: '*/5 * * * *' }], clock.reader())
    clock.set('2030-01-01T12:05:01Z')
    await renamed.check()
    clock.set('2030-01-01T12:10:01Z')
    await renamed.check()
    expect((await readJobs(database)).map((row) => JSON.parse(row.handler).recurring.schedule)).toEqual(['tick', 'tick'])
    expect((await renamed.schedules.readAll()).map((row) => row.name)).toEqual(['tick'])
  })

  it('an entry removed with the last of them, and added back later, starts afresh instead of catching up (missed: all)', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T12:00:30Z'))
    const entry: RecurringEntry<'default' | 'reports'> = { job: 'TickJob', cron: '*/5 * * * *', missed: 'all' }
    await scheduler([entry], clock.reader())
    // A deploy removes the only entry: its worker starts with no recurring entries at all.
    clock.set('2030-01-01T13:00:00Z')
    expect(await removeSchedulesOfRemovedEntries(manager([]).jobs, { logger: silent })).toBe(1)
    // A day later the entry is added back: no slot from before counts as missed.
    clock.set('2030-01-02T12:00:30Z')
    const back = await scheduler([entry], clock.reader())
    clock.set('2030-01-02T12:05:01Z')
    await back.check()
    expect(await slotsEnqueued()).toEqual([{ slot: '2030-01-02T12:05:00.000Z', backfill: false }])
  })

  it('a paused entry costs one read per slot, not one per check (the loop would sleep 0 ms and spin on the database)', async () => {
    const clock = new TestClock(Date.parse('2030-01-01T12:00:30Z'))
    const queries: string[] = []
    const counting = database.db.$extends({ query: { $allOperations: async ({ operation, model, args, query }: any) => { queries.push(`${model}.${operation}`); return query(args) } } })
    const { jobs, adapter } = manager([{ job: 'TickJob', cron: '*/5 * * * *' }], counting)
    const watched = await RecurringScheduler.create({ entries: jobs.recurring, adapter, db: counting, loadJob: (name) => jobs.loadJob(name), logger: silent, now: clock.reader() })
    await watched.sync()
    await watched.schedules.update('TickJob', { pausedAt: clock.reader()() })
    clock.set('2030-01-01T12:05:01Z')
    queries.length = 0
    // 12:05:01 → 12:08:21: the 12:05 slot came while paused; one read finds the pause, then nothing is due until 12:10.
    for (let second = 0; second < 200; second++) {
      await watched.check()
      expect(watched.nextDueAt()!.getTime()).toBeGreaterThan(clock.ms)
      clock.ms += 1000
    }
    expect(queries).toEqual(['BackgroundJobSchedule.findMany'])
    expect(await slotsEnqueued()).toEqual([])
  })
})

function berlinDay(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(date)
}

describe.each(TEST_PROVIDERS)('the recurring scheduler loop on %s, on the real clock', (provider) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('two workers running their loops side by side enqueue each second of * * * * * * once', async () => {
    const clients = provider === 'sqlite' ? [database.db, database.db] : [database.db, await database.newClient()]
    const schedulers = await Promise.all(
      clients.map(async (client) => {
        const registry: Record<string, unknown> = {}
        const adapter = new PrismaAdapter({ db: client })
        const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger: silent, workers: [], jobs: () => registry, recurring: [{ job: 'TickJob', cron: '* * * * * *' }] })
        registry.TickJob = jobs.createJob({ queue: 'default', perform: () => {} })
        return RecurringScheduler.create({ entries: jobs.recurring, adapter, db: client, loadJob: (name) => jobs.loadJob(name), logger: silent })
      }),
    )
    const loops = schedulers.map((scheduler) => scheduler.run())
    await new Promise((resolve) => setTimeout(resolve, 3500))
    for (const scheduler of schedulers) scheduler.stop()
    await Promise.all(loops)
    const slots = (await readJobs(database)).map((row) => JSON.parse(row.handler).recurring.slot as string)
    expect(slots.length).toBeGreaterThanOrEqual(2)
    expect(new Set(slots).size).toBe(slots.length)
    // Consecutive seconds: none skipped while the loops ran.
    for (let index = 1; index < slots.length; index++) expect(Date.parse(slots[index]!) - Date.parse(slots[index - 1]!)).toBe(1000)
  })
})
