import { DEFAULT_SCHEDULE_MODEL_NAME } from '../defaults.js'
import { ModelNotFoundError } from '../errors.js'
import type { PrismaClientLike } from '../adapters/prisma/prisma-client.js'

/** A row of the schedule model (`BackgroundJobSchedule`): the state of one recurring entry. */
export interface ScheduleRow {
  name: string
  /** The expression and time zone last applied; a change starts the entry afresh from now. */
  cron: string
  timezone: string
  /** Every slot at or before this one is settled: enqueued, or skipped by the `missed` policy. The compare-and-set key. */
  lastSlotAt: Date
  /** The slot of the last job enqueued (a manual run: when it was asked for). */
  lastRunSlotAt: Date | null
  /** When that job was enqueued (the enqueuing process's clock). */
  lastRunAt: Date | null
  lastJobId: number | null
  pausedAt: Date | null
}

/** What the store uses of the schedule model's delegate. */
interface ScheduleDelegate {
  findMany(args?: Record<string, unknown>): Promise<Record<string, unknown>[]>
  create(args: { data: Record<string, unknown> }): Promise<unknown>
  updateMany(args: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<{ count: number }>
  deleteMany(args?: { where?: Record<string, unknown> }): Promise<{ count: number }>
}

/**
 * Reads and writes schedule rows through the app's Prisma client (or a
 * transaction client). Every write that decides which process enqueues a
 * slot is a compare-and-set on `lastSlotAt` (see `claim-slots.ts`).
 */
export class ScheduleStore {
  constructor(
    readonly db: PrismaClientLike,
    readonly model: string = DEFAULT_SCHEDULE_MODEL_NAME,
  ) {}

  /** The same store on a transaction client. */
  within(tx: PrismaClientLike): ScheduleStore {
    return new ScheduleStore(tx, this.model)
  }

  /** Every schedule row: one query, whatever the number of entries. */
  async readAll(): Promise<ScheduleRow[]> {
    return (await this.delegate().findMany()).map(toScheduleRow)
  }

  /**
   * Creates the row of a new entry, settled up to `now`: a new entry never
   * catches up on slots from before it existed. Another process creating it
   * at the same moment is fine (the unique name keeps one row).
   */
  async create(input: { name: string; cron: string; timezone: string; now: Date }): Promise<void> {
    try {
      await this.delegate().create({
        data: { name: input.name, cron: input.cron, timezone: input.timezone, lastSlotAt: input.now },
      })
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
    }
  }

  /**
   * Moves `lastSlotAt` from `expected` to `data.lastSlotAt` (and writes the
   * rest of `data`), only if no other process moved it first and the entry is
   * not paused. Returns whether this call won.
   */
  async compareAndSet(name: string, expected: Date, data: Partial<ScheduleRow>, options: { evenIfPaused?: boolean } = {}): Promise<boolean> {
    const where: Record<string, unknown> = { name, lastSlotAt: expected }
    if (!options.evenIfPaused) where.pausedAt = null
    const { count } = await this.delegate().updateMany({ where, data })
    return count === 1
  }

  /** Writes `data` on a row unconditionally; returns whether the row exists. */
  async update(name: string, data: Partial<ScheduleRow>): Promise<boolean> {
    const { count } = await this.delegate().updateMany({ where: { name }, data })
    return count === 1
  }

  /** Deletes the rows of entries no longer in the config. */
  async deleteExcept(names: string[]): Promise<number> {
    const { count } = await this.delegate().deleteMany({ where: { name: { notIn: names } } })
    return count
  }

  private delegate(): ScheduleDelegate {
    const delegateName = this.model.charAt(0).toLowerCase() + this.model.slice(1)
    const delegate = this.db[delegateName] as ScheduleDelegate | undefined
    if (!delegate || typeof delegate.findMany !== 'function') {
      throw new ModelNotFoundError(
        `Your jobs config has \`recurring\` entries, but the Prisma client has no \`${delegateName}\` model delegate to keep their schedules in. ` +
          `Run \`npx jobs-kit setup\` again (it adds the ${this.model} model and its migration), apply the migration, and run \`npx prisma generate\`.`,
      )
    }
    return delegate
  }
}

function toScheduleRow(row: Record<string, unknown>): ScheduleRow {
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string | Date))
  return {
    name: String(row.name),
    cron: String(row.cron),
    timezone: String(row.timezone),
    lastSlotAt: date(row.lastSlotAt)!,
    lastRunSlotAt: date(row.lastRunSlotAt),
    lastRunAt: date(row.lastRunAt),
    lastJobId: row.lastJobId === null || row.lastJobId === undefined ? null : Number(row.lastJobId),
    pausedAt: date(row.pausedAt),
  }
}

/** Prisma's unique-constraint error (P2002), whatever the driver adapter. */
function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: unknown; message?: unknown } | null
  return candidate?.code === 'P2002' || /unique constraint/i.test(String(candidate?.message ?? ''))
}
