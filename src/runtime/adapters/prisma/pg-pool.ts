import { createHash } from 'node:crypto'
import { InvalidConfigError } from '../../errors.js'
import type { Logger } from '../../types.js'
import { importPgClass } from './import-pg.js'
import type { RunQuery } from './sql/run-query.js'

/** What we use of a `pg.Pool` (the app's, or one the adapter opens). */
export interface PgPoolLike {
  query(config: { name?: string; text: string; values: unknown[]; types: PgTypes }): Promise<{ rows: Record<string, unknown>[] }>
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
    // Its wall time as UTC, the offset dropped: how Prisma's adapter-pg reads a `@db.Timestamptz` field (see pgPoolQuery).
    if (oid === TIMESTAMPTZ_OID) return (value) => new Date(`${value.replace(' ', 'T').replace(/[+-]\d\d(?::\d\d){0,2}$/, '')}Z`)
    return (value) => value
  },
}

/**
 * Runs statements on a `pg` pool. Dates are sent as UTC ISO text without an
 * offset: `pg` would send local time with an offset, and PostgreSQL drops the
 * offset when the parameter is a `timestamp without time zone`, so a worker
 * in Kiritimati would write times 14 hours off. Without the `Z`, a
 * `timestamptz` parameter takes the text in the session's TimeZone, as it
 * does from Prisma's adapter-pg, which sends a Date that way and drops the
 * offset of what it reads: with a `Z` here, under a server TimeZone other
 * than UTC (a zone initdb took from the machine, or `ALTER DATABASE … SET
 * timezone`), jobs the app scheduled through Prisma in a `@db.Timestamptz`
 * column ran 9 hours early in Asia/Tokyo and 8 hours late in
 * America/Los_Angeles (prisma-adapter-timestamptz.test.ts). Without an
 * offset the text also reads the same as either type, so a parameter used
 * for columns of both types, or prepared before a migration changed a
 * column's type, writes the same time.
 *
 * Each distinct statement text runs as a named prepared statement (see
 * `PreparedStatementNames`), unless `statements` is undefined.
 */
export function pgPoolQuery(pool: PgPoolLike, statements?: PreparedStatementNames): RunQuery {
  return async (sql, values) => {
    const config = {
      text: sql,
      values: values.map((value) => (value instanceof Date ? value.toISOString().slice(0, -1) : value)),
      types: JOB_TYPES,
    }
    let name = statements?.nameOf(sql)
    for (let refusals = 0; ; refusals++) {
      try {
        return (await pool.query(name === undefined ? config : { ...config, name })).rows
      } catch (error) {
        // Refused before it ran: run it again, under a new name or unnamed. Any other error may come after it ran.
        if (name === undefined || !statements!.recoverFrom(error)) throw error
        // Refused again under its new name: PgBouncer 1.21+ (max_prepared_statements) prepares each text once per
        // server connection under a name of its own, so a plan a migration outdated stays, whatever our name.
        if (refusals > 0) statements!.stopNaming()
        name = statements!.nameOf(sql)
      }
    }
  }
}

/**
 * Names for the worker's statements, so `pg` prepares each text once per
 * connection and then sends only its name and values: PostgreSQL neither
 * parses nor plans it again, and the message is a tenth of the size.
 *
 * Measured on the 2-core benchmark machine, the finish-and-find statement
 * run by one connection in a loop (bench/experiments/pg-statement-cpu.ts,
 * 5,000 jobs, 5 rounds each, load 3–6): PostgreSQL's backend spent
 * 0.30 ms per job with names against 0.37 ms without (median of 5; every
 * round lower, by 0.05–0.09 ms), the worker 0.18 against 0.19 ms, and the
 * loop ran 1,627 against 1,443 jobs/s (median). On 2 cores with four
 * worker processes CPU is what bounds throughput, so the backend's share
 * counts.
 *
 * A worker's texts vary only with the length of its id lists (the jobs a
 * batch finishes), so they are few; past `MAX_NAMED` distinct texts the rest
 * run unnamed, because a connection keeps every statement it prepared until
 * it closes. Transaction poolers that cannot keep prepared statements
 * (PgBouncer before 1.21, or with `max_prepared_statements = 0`) refuse a
 * named statement before running it ("prepared statement … does not exist",
 * or "already exists"): naming then stops for the pool's life, and the
 * statement is sent again unnamed. A URL with Prisma's `pgbouncer=true`
 * never names any.
 *
 * A migration that changes the jobs table's columns while workers run makes
 * PostgreSQL refuse every statement prepared before it ("cached plan must
 * not change result type", for `RETURNING job.*`) on every connection, for
 * as long as the connection lives: the names then start over under a new
 * generation, so each text is prepared again.
 */
export class PreparedStatementNames {
  private names = new Map<string, string>()
  private generation = 1
  private refused = false

  nameOf(sql: string): string | undefined {
    if (this.refused) return undefined
    let name = this.names.get(sql)
    if (name === undefined && this.names.size < MAX_NAMED) {
      // Named after the text: adapters sharing the app's pool then agree on names (pg refuses one name for two texts).
      name = `jobs_kit_${this.generation}_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`
      this.names.set(sql, name)
    }
    return name
  }

  /** Runs every statement unnamed from now on. */
  stopNaming(): void {
    this.refused = true
  }

  /**
   * Whether `error` refused a named statement before it ran, and naming was
   * adjusted so the statement can be sent again: a pooler that keeps no
   * prepared statements (naming stops), or a plan outdated by a migration
   * (new names).
   */
  recoverFrom(error: unknown): boolean {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
    if (code === PREPARED_STATEMENT_MISSING || code === PREPARED_STATEMENT_EXISTS) {
      this.stopNaming()
      return true
    }
    if (code === FEATURE_NOT_SUPPORTED && /cached plan must not change result type/i.test(String(message))) {
      this.generation += 1
      this.names = new Map()
      return true
    }
    return false
  }
}

/** SQLSTATE 26000 (invalid_sql_statement_name), 42P05 (duplicate_prepared_statement), 0A000 (feature_not_supported). */
const PREPARED_STATEMENT_MISSING = '26000'
const PREPARED_STATEMENT_EXISTS = '42P05'
const FEATURE_NOT_SUPPORTED = '0A000'
/** Distinct statement texts named per pool: a worker at concurrency 50 uses about 100. */
const MAX_NAMED = 200

/** Prisma's own switch for PgBouncer in transaction mode: no prepared statements. */
function saysPgBouncer(connectionString: string): boolean {
  try {
    return new URL(connectionString).searchParams.get('pgbouncer') === 'true'
  } catch {
    return false
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
  /** Undefined when the URL says PgBouncer (`pgbouncer=true`): every statement then runs unnamed. */
  private readonly statements: PreparedStatementNames | undefined

  constructor(
    private readonly option: { pool: PgPoolLike } | { connectionString: string },
    private readonly logger: Logger,
  ) {
    if ('pool' in option) this.pool = Promise.resolve(option.pool)
    this.statements = 'connectionString' in option && saysPgBouncer(option.connectionString) ? undefined : new PreparedStatementNames()
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

  /**
   * Runs statements on the pool, opening it first when the adapter owns it;
   * as named prepared statements unless `prepare` is false (or the URL says
   * PgBouncer).
   */
  async runQuery({ prepare = true }: { prepare?: boolean } = {}): Promise<RunQuery> {
    if (!this.pool && 'connectionString' in this.option) {
      const opened = openPgPool(this.option.connectionString, this.logger)
      this.openedPool = opened
      this.pool = opened
      // A failed open (pg missing) is tried again on the next call, not cached.
      opened.catch(() => {
        if (this.pool === opened) this.pool = undefined
      })
    }
    return pgPoolQuery(await this.pool!, prepare ? this.statements : undefined)
  }

  /** Ends the pool the adapter opened; never one the app passed in. */
  async end(): Promise<void> {
    if (!('connectionString' in this.option) || !this.pool) return
    this.pool = undefined
    const pool = await this.openedPool?.catch(() => undefined)
    await pool?.end()
  }
}
