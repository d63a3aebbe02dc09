import { InvalidConfigError } from '../../errors.js'
import type { Logger } from '../../types.js'
import { importPgClass } from './import-pg.js'
import type { RunQuery } from './sql/run-query.js'

/** What we use of a `pg.Pool` (the app's, or one the adapter opens). */
export interface PgPoolLike {
  query(config: { text: string; values: unknown[]; types: PgTypes }): Promise<{ rows: Record<string, unknown>[] }>
  end(): Promise<void>
  on(event: 'error', listener: (error: Error) => void): unknown
}

/** The `types` option of a `pg` query: a parser per type OID (text format). */
interface PgTypes {
  getTypeParser(oid: number, format?: string): (value: string) => unknown
}

/** `timestamp without time zone`, which Prisma's `DateTime` maps to on PostgreSQL (`timestamp(3)`). */
const TIMESTAMP_OID = 1114
/** `timestamp with time zone` (`@db.Timestamptz`). */
const TIMESTAMPTZ_OID = 1184

/**
 * Per-query type parsers, so the app's own `pg` settings (`pg.types`) are
 * neither used nor changed. Prisma stores `DateTime` as UTC in a column
 * without time zone; `pg` would read it as local time. Every other value
 * stays the text PostgreSQL sent: `toStoredJob` turns ids and counters into
 * numbers.
 */
const JOB_TYPES: PgTypes = {
  getTypeParser(oid) {
    if (oid === TIMESTAMP_OID) return (value) => new Date(`${value.replace(' ', 'T')}Z`)
    if (oid === TIMESTAMPTZ_OID) return (value) => new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))
    return (value) => value
  },
}

/**
 * Runs statements on a `pg` pool. Dates are sent as UTC ISO text: `pg` would
 * send local time with an offset, and PostgreSQL drops the offset when the
 * parameter is a `timestamp without time zone`, so a worker in Kiritimati
 * would write times 14 hours off. (With `timestamptz` the `Z` is honoured.)
 */
export function pgPoolQuery(pool: PgPoolLike): RunQuery {
  return async (sql, values) => {
    const result = await pool.query({
      text: sql,
      values: values.map((value) => (value instanceof Date ? value.toISOString() : value)),
      types: JOB_TYPES,
    })
    return result.rows
  }
}

type PgPoolClass = new (config: {
  connectionString: string
  connectionTimeoutMillis?: number
  allowExitOnIdle?: boolean
  max?: number
}) => PgPoolLike

/**
 * Opens a pool on `connectionString` with the app's `pg` package. Idle
 * connections do not keep the process alive; a connection that drops while
 * idle is logged (without a listener `pg` would crash the process) and the
 * pool opens a new one on the next query.
 */
export async function openPgPool(connectionString: string, logger: Logger): Promise<PgPoolLike> {
  const Pool = await importPgClass<PgPoolClass>(
    'Pool',
    'PrismaAdapter({ pg }) runs the worker\'s queries through the `pg` package, which is not installed. ' +
      'Install it (`npm install pg`), or remove `pg` from the adapter options to run every query through Prisma.',
  )
  // A worker runs one statement at a time per job it holds; a few connections are plenty.
  const pool = new Pool({ connectionString, connectionTimeoutMillis: 10_000, allowExitOnIdle: true, max: 4 })
  pool.on('error', (error) => logger.warn(`[jobs-kit] an idle connection of the adapter's pg pool failed: ${error.message}`))
  return pool
}

/**
 * The pool of PrismaAdapter's `pg` option: the app's own (never ended here),
 * or one opened from a connection string on first use and ended by `end()`.
 */
export class AdapterPgPool {
  private pool: Promise<PgPoolLike> | undefined
  private openedPool: Promise<PgPoolLike> | undefined

  constructor(
    private readonly option: { pool: PgPoolLike } | { connectionString: string },
    private readonly logger: Logger,
  ) {
    if ('pool' in option) this.pool = Promise.resolve(option.pool)
  }

  /** The pool of the adapter's `pg` option as the app passed it: `{ pool }` or `{ connectionString }`, checked. */
  static fromOption(option: unknown, logger: Logger): AdapterPgPool {
    const pg = option as { pool?: unknown; connectionString?: unknown } | null
    const pool = pg?.pool as PgPoolLike | undefined
    const hasPool = typeof pool === 'object' && pool !== null && typeof pool.query === 'function'
    const connectionString = pg?.connectionString
    if (hasPool === (typeof connectionString === 'string')) {
      throw new InvalidConfigError(
        'PrismaAdapter `pg` needs either a pg Pool or a connection string (not both): ' +
          'new PrismaAdapter({ db, pg: { connectionString: process.env.DATABASE_URL } }) or new PrismaAdapter({ db, pg: { pool } }).',
      )
    }
    return new AdapterPgPool(hasPool ? { pool } : { connectionString: connectionString as string }, logger)
  }

  /** Runs statements on the pool, opening it first when the adapter owns it. */
  async runQuery(): Promise<RunQuery> {
    if (!this.pool && 'connectionString' in this.option) {
      const opened = openPgPool(this.option.connectionString, this.logger)
      this.openedPool = opened
      this.pool = opened
      // A failed open (pg missing) is tried again on the next call, not cached.
      opened.catch(() => {
        if (this.pool === opened) this.pool = undefined
      })
    }
    return pgPoolQuery(await this.pool!)
  }

  /** Ends the pool the adapter opened; never one the app passed in. */
  async end(): Promise<void> {
    if (!('connectionString' in this.option) || !this.pool) return
    this.pool = undefined
    const pool = await this.openedPool?.catch(() => undefined)
    await pool?.end()
  }
}
