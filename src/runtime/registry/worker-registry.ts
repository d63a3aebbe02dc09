import { DEFAULT_JOB_COUNT_MODEL_NAME, DEFAULT_WORKER_MODEL_NAME } from '../defaults.js'
import { ModelNotFoundError } from '../errors.js'
import type { PrismaClientLike } from '../adapters/prisma/prisma-client.js'

/** A worker's row: who it is, what it serves, and what it is doing now. */
export interface WorkerRow {
  /** `lockedBy` of its jobs: `<host>:<process title>`; the key, one row per running worker. */
  name: string
  host: string
  pid: number
  /** `*` or the queue names joined with `,`. */
  queues: string
  concurrency: number
  startedAt: Date
  /** Written at start and at every heartbeat; older than the stale threshold means the worker is dead. */
  heartbeatAt: Date
  /** Ids of the jobs in hand at the last heartbeat. */
  jobIds: number[]
  /** Jobs it finished, and gave up, since it started. */
  done: number
  failed: number
}

/** Jobs one worker finished (`done`) and gave up (`failed`) in one queue during one minute. */
export interface JobCount {
  minute: Date
  queue: string
  done: number
  failed: number
}

/** What the registry uses of a model delegate. */
interface RegistryDelegate {
  findMany(args?: Record<string, unknown>): Promise<Record<string, unknown>[]>
  create(args: { data: Record<string, unknown> }): Promise<unknown>
  upsert(args: { where: Record<string, unknown>; create: Record<string, unknown>; update: Record<string, unknown> }): Promise<unknown>
  updateMany(args: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<{ count: number }>
  deleteMany(args?: { where?: Record<string, unknown> }): Promise<{ count: number }>
  groupBy(args: Record<string, unknown>): Promise<Record<string, unknown>[]>
}

/** `jobIds` is a `String` column (`VARCHAR(191)` on MySQL): the ids that fit, the rest are on the jobs' `lockedBy`. */
const MAX_JOB_IDS_LENGTH = 191

/** What to do when the app's database has no registry, said by `status`, the dashboard and the worker's log. */
export const REGISTRY_MISSING_ADVICE =
  `Run \`npx jobs-kit setup --migration\` (it adds the ${DEFAULT_WORKER_MODEL_NAME} and ${DEFAULT_JOB_COUNT_MODEL_NAME} models and their migration), ` +
  'apply the migration (`npx prisma migrate deploy`, or `npx prisma db push`), then `npx prisma generate`.'

/**
 * The worker registry in the app's database, through its Prisma client: one
 * row per running worker (`BackgroundJobWorker`), written by the worker at
 * start and every heartbeat, and per-minute counts of jobs done and given up
 * (`BackgroundJobCount`), so the last hour can be counted even though
 * finished jobs are deleted. Every host's workers write the same tables,
 * which is what lets `status` and the dashboard see them all.
 */
export class WorkerRegistry {
  constructor(
    readonly db: PrismaClientLike,
    readonly models: { worker: string; count: string } = { worker: DEFAULT_WORKER_MODEL_NAME, count: DEFAULT_JOB_COUNT_MODEL_NAME },
  ) {}

  /** Creates the worker's row, or takes over the row a previous run under the same name left (it was killed). */
  async register(row: WorkerRow): Promise<void> {
    const data = toData(row)
    await this.delegate('worker').upsert({ where: { name: row.name }, create: data, update: data })
  }

  /** The heartbeat: one `UPDATE` of the worker's row. False when the row is gone (deleted as dead while this worker stalled). */
  async beat(name: string, data: Pick<WorkerRow, 'heartbeatAt' | 'jobIds' | 'done' | 'failed'>): Promise<boolean> {
    const { count } = await this.delegate('worker').updateMany({
      where: { name },
      data: { heartbeatAt: data.heartbeatAt, jobIds: formatJobIds(data.jobIds), done: data.done, failed: data.failed },
    })
    return count === 1
  }

  /**
   * Adds a worker's counts to its rows of those minutes: an increment, so a
   * worker restarted under the same name within a minute adds to what its
   * previous run wrote instead of replacing it. Only that worker writes rows
   * with its name, so create-if-missing does not race.
   */
  async addCounts(worker: string, counts: JobCount[]): Promise<void> {
    const delegate = this.delegate('count')
    for (const count of counts) {
      const where = { minute: count.minute, worker, queue: count.queue }
      const { count: updated } = await delegate.updateMany({ where, data: { done: { increment: count.done }, failed: { increment: count.failed } } })
      if (updated === 0) await delegate.create({ data: { ...where, done: count.done, failed: count.failed } })
    }
  }

  /** Deletes the worker's row (a clean stop). */
  async remove(name: string): Promise<void> {
    await this.delegate('worker').deleteMany({ where: { name } })
  }

  /** Every worker row, alive or dead, by name. */
  async readWorkers(): Promise<WorkerRow[]> {
    const rows = await this.delegate('worker').findMany({ orderBy: { name: 'asc' } })
    return rows.map(toWorkerRow)
  }

  /** Jobs done and given up per queue since `since` (whole minutes), over every worker, alive, dead or gone. */
  async readCountsSince(since: Date): Promise<Map<string, { done: number; failed: number }>> {
    const rows = await this.delegate('count').groupBy({ by: ['queue'], where: { minute: { gte: since } }, _sum: { done: true, failed: true } })
    const sums = new Map<string, { done: number; failed: number }>()
    for (const row of rows) {
      const sum = row._sum as { done?: unknown; failed?: unknown }
      sums.set(String(row.queue), { done: Number(sum.done ?? 0), failed: Number(sum.failed ?? 0) })
    }
    return sums
  }

  /** Deletes worker rows whose heartbeat stopped before `deadBefore`, and counts older than `countsBefore`. */
  async forget({ deadBefore, countsBefore }: { deadBefore: Date; countsBefore: Date }): Promise<void> {
    await this.delegate('worker').deleteMany({ where: { heartbeatAt: { lt: deadBefore } } })
    await this.delegate('count').deleteMany({ where: { minute: { lt: countsBefore } } })
  }

  private delegate(kind: 'worker' | 'count'): RegistryDelegate {
    const model = this.models[kind]
    const name = model.charAt(0).toLowerCase() + model.slice(1)
    const delegate = this.db[name] as RegistryDelegate | undefined
    if (!delegate || typeof delegate.updateMany !== 'function') {
      throw new ModelNotFoundError(`Your Prisma client has no \`${name}\` model (the worker registry). ${REGISTRY_MISSING_ADVICE}`)
    }
    return delegate
  }
}

/**
 * Whether `error` says the registry is not there: the client was generated
 * without its models, or the database lacks its tables (Prisma's P2021). An
 * app set up before the registry; anything else (the database away) is
 * worth trying again.
 */
export function isRegistryMissing(error: unknown): boolean {
  if (error instanceof ModelNotFoundError) return true
  const candidate = error as { code?: unknown; message?: unknown } | null
  return candidate?.code === 'P2021' || /does not exist in the current database|no such table/i.test(String(candidate?.message ?? ''))
}

/** The start of `date`'s minute: the key of its count row. */
export function minuteOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 60_000) * 60_000)
}

function toData(row: WorkerRow): Record<string, unknown> {
  return { ...row, jobIds: formatJobIds(row.jobIds) }
}

/** The ids that fit the column, comma-separated. */
function formatJobIds(ids: number[]): string {
  let text = ''
  for (const id of ids) {
    const next = text === '' ? String(id) : `${text},${id}`
    if (next.length > MAX_JOB_IDS_LENGTH) break
    text = next
  }
  return text
}

function toWorkerRow(row: Record<string, unknown>): WorkerRow {
  return {
    name: String(row.name),
    host: String(row.host),
    pid: Number(row.pid),
    queues: String(row.queues),
    concurrency: Number(row.concurrency),
    startedAt: new Date(row.startedAt as Date),
    heartbeatAt: new Date(row.heartbeatAt as Date),
    jobIds: String(row.jobIds ?? '').split(',').filter((id) => id !== '').map(Number),
    done: Number(row.done ?? 0),
    failed: Number(row.failed ?? 0),
  }
}
