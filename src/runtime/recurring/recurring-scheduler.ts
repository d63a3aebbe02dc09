import { DEFAULT_PRIORITY, RECURRING_CHECK_INTERVAL_SECONDS, RECURRING_RETRY_SECONDS } from '../defaults.js'
import { ModelNotFoundError } from '../errors.js'
import { checkArgs } from '../manager/check-args.js'
import { getJobDefinition } from '../manager/job-definition.js'
import type { PrismaClientLike } from '../adapters/prisma/prisma-client.js'
import type { Job, JobsAdapter, Logger } from '../types.js'
import { claimSlots } from './claim-slots.js'
import { CronSchedule } from './cron-schedule.js'
import { RecurringConfigError } from './errors.js'
import { planSlots, type PlannedSlot } from './plan-slots.js'
import type { StoredRecurringRun } from './recurring-entry.js'
import { sameScheduleName, type ResolvedRecurringEntry } from './resolve-recurring.js'
import { ScheduleStore, type ScheduleRow } from './schedule-store.js'

export interface RecurringSchedulerOptions {
  entries: readonly ResolvedRecurringEntry[]
  /** Stores the jobs (inside the claiming transaction: `schedule({ db: tx })`). */
  adapter: JobsAdapter
  /** The app's Prisma client, which keeps the schedule rows. */
  db: unknown
  loadJob: (name: string) => Promise<Job<string, unknown[]> | undefined>
  logger: Logger
  /** The schedule model. Default `BackgroundJobSchedule`. */
  model?: string
  /** The clock. Tests pass their own; see the docs for why it is the app's clock and not the database's. */
  now?: () => Date
  /** Seconds a slot may be late and still count as on time (`RECURRING_GRACE_SECONDS`). */
  graceSeconds?: number
}

/** One recurring entry, parsed, with its job checked against the registry. */
export interface PreparedEntry {
  entry: ResolvedRecurringEntry
  schedule: CronSchedule
  queue: string
  priority: number
  /** `lastSlotAt` as this process last read or wrote it (while paused: the last check); undefined until read. */
  lastSlotAt: Date | undefined
}

/**
 * Enqueues the jobs of the config's `recurring` entries. Every worker
 * process runs one; the compare-and-set in `claim-slots.ts` lets exactly one
 * of them enqueue each slot.
 *
 * Cost: between slots a check reads only the clock. When a slot of some entry
 * is due (as far as this process knows), one query reads every schedule row,
 * then each due entry costs one short transaction (update, insert, update)
 * in the process that wins it.
 */
export class RecurringScheduler {
  private readonly store: ScheduleStore
  private readonly now: () => Date
  private stopped = false
  private wake: (() => void) | undefined

  private constructor(
    private readonly options: RecurringSchedulerOptions,
    private readonly entries: PreparedEntry[],
  ) {
    this.store = new ScheduleStore(options.db as PrismaClientLike, options.model)
    this.now = options.now ?? (() => new Date())
  }

  /**
   * Parses every entry's cron and time zone and checks its job and args
   * against the registry: a mistake fails here, at worker start, naming the entry.
   */
  static async create(options: RecurringSchedulerOptions): Promise<RecurringScheduler> {
    const prepared: PreparedEntry[] = []
    for (const entry of options.entries) {
      const schedule = await CronSchedule.parse(entry)
      const job = await options.loadJob(entry.job)
      const definition = job === undefined ? undefined : getJobDefinition<unknown[]>(job)
      if (!definition) {
        throw new RecurringConfigError(
          `The recurring entry "${entry.name}" in your jobs config names job "${entry.job}", which your jobs index does not export. ` +
            `Use a job's export name (e.g. 'NightlyReportJob'), or export it: \`export { ${entry.job} } from './${entry.job}/${entry.job}.js'\`.`,
        )
      }
      checkArgs(`recurring entry "${entry.name}" (${entry.job})`, entry.args)
      prepared.push({
        entry,
        schedule,
        queue: entry.queue ?? definition.queue,
        priority: entry.priority ?? definition.priority ?? DEFAULT_PRIORITY,
        lastSlotAt: undefined,
      })
    }
    return new RecurringScheduler(options, prepared)
  }

  /**
   * Makes the table match the config: deletes the rows of removed entries and
   * creates those of new ones. Run once when a worker starts.
   */
  async sync(): Promise<void> {
    const removed = await this.store.deleteExcept(this.entries.map((prepared) => prepared.entry.name))
    if (removed > 0) this.options.logger.info(`[jobs-kit] removed ${removed} recurring schedule(s) no longer in the jobs config`)
    const rows = await this.store.readAll()
    for (const prepared of this.entries) {
      const { name } = prepared.entry
      const row = rows.find((each) => each.name === name)
      // An entry renamed only in case or accents: MySQL/MariaDB kept its row (deleteExcept's NOT IN matched it)
      // and would refuse a new one, so the entry would never fire. Give the row the new spelling.
      const renamed = row ? undefined : rows.find((each) => sameScheduleName(each.name, name))
      if (renamed) await this.store.update(renamed.name, { name })
      if (row ?? renamed) prepared.lastSlotAt = (row ?? renamed)!.lastSlotAt
      else await this.createRow(prepared)
    }
  }

  /** The earliest moment a slot of some entry comes, as far as this process knows. */
  nextDueAt(): Date | undefined {
    let earliest: Date | undefined
    for (const prepared of this.entries) {
      const next = prepared.lastSlotAt === undefined ? this.now() : prepared.schedule.next(prepared.lastSlotAt)
      if (next && (!earliest || next < earliest)) earliest = next
    }
    return earliest
  }

  /**
   * Enqueues what is due now. Returns the ids of the jobs this process
   * enqueued. Reads the database only when a slot is due.
   */
  async check(): Promise<number[]> {
    const now = this.now()
    const due = this.nextDueAt()
    if (!due || due > now) return []
    const rows = await this.store.readAll()
    const ids: number[] = []
    for (const prepared of this.entries) {
      const row = rows.find((each) => each.name === prepared.entry.name)
      ids.push(...(await this.checkEntry(prepared, row, now)))
    }
    return ids
  }

  /**
   * Syncs, then checks every `RECURRING_CHECK_INTERVAL_SECONDS` (or sooner,
   * at the next slot) until `stop()`. Never throws: a failed sync or check
   * (the database away) is logged and tried again after
   * `RECURRING_RETRY_SECONDS`; a client without the schedule model stops
   * the scheduler (the worker goes on running jobs) with the error that says
   * how to add it.
   */
  async run(): Promise<void> {
    const { logger } = this.options
    let synced = false
    while (!this.stopped) {
      try {
        if (!synced) await this.sync()
        synced = true
        await this.check()
        await this.sleep()
      } catch (error) {
        if (error instanceof ModelNotFoundError) {
          logger.error(`[jobs-kit] recurring jobs are not enqueued by this worker: ${error.message}`)
          return
        }
        // P2021: Prisma's "table does not exist": the schema has the model, the database not yet.
        const advice = (error as { code?: unknown } | null)?.code === 'P2021'
          ? ' The schedule table is missing: apply the migration `jobs-kit setup --migration` wrote (e.g. `npx prisma migrate deploy`).'
          : ''
        logger.error(`[jobs-kit] recurring jobs: ${synced ? 'a check' : 'reading the schedules'} failed; trying again in ${RECURRING_RETRY_SECONDS} s: ${(error as Error)?.message ?? error}${advice}`)
        await this.sleep(RECURRING_RETRY_SECONDS * 1000)
      }
    }
  }

  stop(): void {
    this.stopped = true
    this.wake?.()
  }

  /** Until the next slot, at most one check interval; or `fixedMs`. Cut short by `stop()`. */
  private sleep(fixedMs?: number): Promise<void> {
    if (this.stopped) return Promise.resolve()
    const due = this.nextDueAt()
    const untilDue = due ? due.getTime() - this.now().getTime() : Infinity
    const ms = fixedMs ?? Math.max(0, Math.min(untilDue, RECURRING_CHECK_INTERVAL_SECONDS * 1000))
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      this.wake = done
      function done() {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  private async checkEntry(prepared: PreparedEntry, row: ScheduleRow | undefined, now: Date): Promise<number[]> {
    const { entry } = prepared
    if (!row) {
      // Deleted by a worker started with a config without this entry, or a new entry: start afresh.
      await this.createRow(prepared)
      return []
    }
    prepared.lastSlotAt = row.lastSlotAt
    if (row.cron !== entry.cron || row.timezone !== entry.timezone) {
      // A changed expression applies from the next slot: none of its past slots count as missed.
      const settled = row.lastSlotAt > now ? row.lastSlotAt : now
      const won = await this.store.compareAndSet(entry.name, row.lastSlotAt, { cron: entry.cron, timezone: entry.timezone, lastSlotAt: settled }, { evenIfPaused: true })
      if (won) {
        prepared.lastSlotAt = settled
        this.options.logger.info(`[jobs-kit] recurring "${entry.name}" now runs on "${entry.cron}" (${entry.timezone}), from the next slot`)
      }
      return []
    }
    if (row.pausedAt) {
      // Nothing is due while paused: look again at the next slot after now (resume moves lastSlotAt to now anyway).
      // Left at the stored lastSlotAt, a passed slot would stay due and the loop would re-read the table without sleeping.
      if (row.lastSlotAt < now) prepared.lastSlotAt = now
      return []
    }
    const plan = planSlots({ schedule: prepared.schedule, lastSlotAt: row.lastSlotAt, now, missed: entry.missed, graceSeconds: this.options.graceSeconds })
    if (!plan) return []
    const ids = await claimSlots<PlannedSlot>({
      store: this.store,
      name: entry.name,
      expected: row.lastSlotAt,
      next: plan.settledUntil,
      slots: plan.enqueue,
      now,
      slotTime: (planned) => planned.slot,
      enqueue: (tx, planned) => this.enqueue(prepared, tx, { ...planned, manual: false }),
    })
    if (ids === undefined) return [] // another process settled these slots; the next read says how far
    prepared.lastSlotAt = plan.settledUntil
    if (plan.skipped > 0) {
      this.options.logger.info(`[jobs-kit] recurring "${entry.name}": skipped ${plan.skipped} missed slot(s) (missed: '${entry.missed}')`)
    }
    return ids
  }

  /** Stores one job of the entry, for `slot`, through `db` (the claiming transaction, or the client). */
  async enqueue(prepared: PreparedEntry, db: unknown, run: PlannedSlot & { manual: boolean }): Promise<number> {
    const { entry } = prepared
    const recurring: StoredRecurringRun = { schedule: entry.name, slot: run.slot.toISOString(), backfill: run.backfill, manual: run.manual }
    const id = await this.options.adapter.schedule({
      handler: { name: entry.job, path: `${entry.job}/${entry.job}`, args: entry.args, recurring },
      queue: prepared.queue,
      priority: prepared.priority,
      // Never before its slot, even when a host whose clock runs ahead claimed it.
      runAt: run.slot,
      db,
    })
    this.options.logger.debug(`[jobs-kit] recurring "${entry.name}" enqueued ${entry.job} (id ${id}) for ${run.slot.toISOString()}${run.backfill ? ' (backfill)' : ''}`)
    return id
  }

  /** The prepared entry named `name`, for `schedules run`. */
  entry(name: string): PreparedEntry | undefined {
    return this.entries.find((prepared) => prepared.entry.name === name)
  }

  /** The names of the configured entries, in config order. */
  entryNames(): string[] {
    return this.entries.map((prepared) => prepared.entry.name)
  }

  /** The store, for the `schedules` commands. */
  get schedules(): ScheduleStore {
    return this.store
  }

  private async createRow(prepared: PreparedEntry): Promise<void> {
    const now = this.now()
    await this.store.create({ name: prepared.entry.name, cron: prepared.entry.cron, timezone: prepared.entry.timezone, now })
    const row = (await this.store.readAll()).find((each) => each.name === prepared.entry.name)
    prepared.lastSlotAt = row?.lastSlotAt ?? now
  }
}
