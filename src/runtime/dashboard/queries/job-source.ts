import { InvalidConfigError, ModelNotFoundError } from '../../errors.js'
import type { Job, JobsAdapter, Logger } from '../../types.js'
import type { ResolvedRecurringEntry } from '../../recurring/resolve-recurring.js'
import { resolveJobTable, type JobTable } from '../../adapters/prisma/job-table.js'
import type { PrismaClientLike } from '../../adapters/prisma/prisma-client.js'
import type { SqlDialect } from '../../adapters/prisma/sql/dialect.js'
import { prismaQuery, type RunQuery } from '../../adapters/prisma/sql/run-query.js'
import { WorkerRegistry } from '../../registry/worker-registry.js'

/**
 * What the dashboard reads and changes jobs through: the model delegate of
 * the app's Prisma client (`db.backgroundJob`), taken from the Prisma adapter
 * of the app's `jobs`. The Prisma model API (not raw SQL) keeps every query
 * portable across SQLite, PostgreSQL and MySQL; each query is small and
 * lives in its own file here.
 */
export interface JobsDelegate {
  findMany(args: Record<string, unknown>): Promise<Record<string, unknown>[]>
  groupBy(args: Record<string, unknown>): Promise<Record<string, unknown>[]>
  updateMany(args: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<{ count: number }>
  deleteMany(args: { where: Record<string, unknown> }): Promise<{ count: number }>
}

export interface JobSource {
  /** The adapter's name in `jobs.adapters`. */
  adapterName: string
  delegate: JobsDelegate
  /** `postgresql`, `sqlite`, `mysql`, …: text search is case-insensitive everywhere, which Prisma spells per provider. */
  provider: string
  /**
   * Raw SQL where one statement beats several model calls (the overview's
   * counts): the table as the adapter resolves it, and the app's client to run
   * it. Undefined on providers without a SQL dialect of ours.
   */
  sql: { dialect: SqlDialect; table: JobTable; run: RunQuery } | undefined
  /** The worker registry in the same database (its tables may be missing in an app set up before it). */
  registry: WorkerRegistry
}

/** The part of the app's `jobs` (a JobManager) the dashboard needs. */
export interface DashboardJobs {
  readonly adapters: Record<string, JobsAdapter>
  readonly queues?: readonly string[]
  /** The recurring entries (a JobManager's): with some, the dashboard has a Schedules page. */
  readonly recurring?: readonly ResolvedRecurringEntry[]
  /** Loads a job of the registry by export name (a JobManager's); the schedules' "run now" needs it. */
  loadJob?(name: string): Promise<Job<string, unknown[]> | undefined>
  readonly logger?: Logger
}

/** A Prisma adapter, recognised by shape so an app's own copy of the class works too. */
interface PrismaAdapterShape {
  db: Record<string, unknown>
  model: string
  provider: string
  /** PostgreSQL: the adapter's `schema` option (an older copy of the adapter has none). */
  schema?: string
}

function isPrismaAdapter(adapter: unknown): adapter is PrismaAdapterShape {
  const candidate = adapter as Partial<PrismaAdapterShape> | null
  return typeof candidate === 'object' && candidate !== null && typeof candidate.db === 'object' && typeof candidate.model === 'string'
}

/** The first Prisma adapter of `jobs` (or the one named `adapterName`). */
export function resolveJobSource(jobs: DashboardJobs, adapterName?: string): JobSource {
  if (typeof jobs !== 'object' || jobs === null || typeof jobs.adapters !== 'object') {
    throw new InvalidConfigError('createDashboard needs your jobs manager: createDashboard({ jobs }) with the `jobs` your lib/jobs.ts exports.')
  }
  const entries = Object.entries(jobs.adapters).filter(([name, adapter]) => (adapterName === undefined || name === adapterName) && isPrismaAdapter(adapter))
  const found = entries[0]
  if (!found) {
    throw new InvalidConfigError(
      adapterName === undefined
        ? 'The dashboard reads jobs through a PrismaAdapter, and your jobs config has none. Add one to `adapters` in lib/jobs.ts.'
        : `The dashboard's adapter "${adapterName}" is not a PrismaAdapter of your jobs config (it has ${Object.keys(jobs.adapters).join(', ')}).`,
    )
  }
  const [name, adapter] = found as unknown as [string, PrismaAdapterShape]
  const delegateName = adapter.model.charAt(0).toLowerCase() + adapter.model.slice(1)
  const delegate = adapter.db[delegateName] as JobsDelegate | undefined
  if (!delegate || typeof delegate.findMany !== 'function') {
    throw new ModelNotFoundError(
      `The Prisma client of adapter "${name}" has no \`${delegateName}\` model delegate. Run \`npx prisma generate\` after adding the ${adapter.model} model.`,
    )
  }
  const provider = adapter.provider
  const dialect: SqlDialect | undefined = provider === 'postgresql' || provider === 'mysql' || provider === 'sqlite' ? provider : undefined
  const db = adapter.db as unknown as PrismaClientLike
  const sql = dialect ? { dialect, table: resolveJobTable(db, adapter.model, dialect, { schema: adapter.schema }), run: prismaQuery(db) } : undefined
  return { adapterName: name, delegate, provider, sql, registry: new WorkerRegistry(db) }
}
