import { InvalidConfigError, OptionalDependencyError } from '../../errors.js'
import { importOptionalPeer } from '../../import-optional-peer.js'
import type { Logger } from '../../types.js'
import type { JobTable } from './job-table.js'

/** What a statement on the `mariadb` pool gives back: rows for a SELECT, the affected count for a write. */
export type MariadbResult = Record<string, unknown>[] | { affectedRows: number }

/** One statement: SQL with `?` placeholders and its values. */
export interface MariadbStatement {
  sql: string
  values: unknown[]
}

/** What we use of a connection of the `mariadb` package's promise pool. */
export interface MariadbConnectionLike {
  query(options: Record<string, unknown>, values?: unknown[]): Promise<unknown>
  release(): Promise<void> | void
  destroy(): void
  /** The driver's connection events (`end` when its socket closes); absent from a pool-like that has none. */
  on?(event: 'end', listener: () => void): unknown
  off?(event: 'end', listener: () => void): unknown
}

/** What we use of a `mariadb` pool (`mariadb.createPool`), the app's or one the adapter opens. */
export interface MariadbPoolLike {
  query(options: Record<string, unknown>, values?: unknown[]): Promise<unknown>
  getConnection(): Promise<MariadbConnectionLike>
  end(): Promise<void>
}

/**
 * Per-statement options, so the app's own pool settings neither apply nor
 * change (no `typeCast` of the app's): dates come back as the text the server sent (see `utcDate`),
 * BIGINT and insert ids as numbers, rows as objects keyed by column name.
 */
const STATEMENT_OPTIONS = {
  dateStrings: true,
  bigIntAsNumber: true,
  insertIdAsNumber: true,
  namedPlaceholders: false,
  rowsAsArray: false,
  nestTables: false,
  metaAsArray: false,
  // The app's own `typeCast` (a pool option the driver lets a statement
  // override) would apply to the jobs table too: one casting DATETIME to a
  // local-time Date made every find fail ("Invalid time value").
  typeCast: undefined,
}

/**
 * A Date as the UTC text a DATETIME(3) column takes: Prisma stores `DateTime`
 * as UTC in a column without time zone, but the `mariadb` driver writes a
 * Date as the process's local time (whatever its `timezone` option, which
 * only sets the session's `time_zone`, used by TIMESTAMP columns and NOW()),
 * so a worker in Kiritimati would write and compare times 14 hours off.
 */
export function utcText(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '')
}

/** A DATETIME read as text (`dateStrings`) as the UTC instant Prisma stored. */
export function utcDate(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`)
}

const DATE_FIELDS = new Set(['runAt', 'lockedAt', 'failedAt', 'createdAt', 'updatedAt'])

/** A row of the jobs table with its date columns read as UTC (they arrive as text, see `STATEMENT_OPTIONS`). */
export function withUtcDates(row: Record<string, unknown>, table: JobTable): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row }
  for (const [column, value] of Object.entries(row)) {
    const field = table.fieldOfColumn.get(column)
    if (field && DATE_FIELDS.has(field) && typeof value === 'string') out[column] = utcDate(value)
  }
  return out
}

function statementOptions(statement: MariadbStatement): [Record<string, unknown>, unknown[]] {
  return [{ ...STATEMENT_OPTIONS, sql: statement.sql }, statement.values.map((value) => (value instanceof Date ? utcText(value) : value))]
}

/**
 * The pool's error with the connection's own reason: the `mariadb` pool
 * reports a connection it could not open (a wrong password, the server down)
 * as "pool failed to retrieve a connection from pool" after `acquireTimeout`
 * and keeps the reason ("Access denied for user …", ECONNREFUSED) in `cause`,
 * which the worker's log line (the error's stack) does not show.
 */
function withCause(thrown: unknown): unknown {
  const cause = (thrown as { cause?: unknown } | null)?.cause
  if (!(thrown instanceof Error) || !(cause instanceof Error) || !cause.message || thrown.message.includes(cause.message)) return thrown
  const before = thrown.message
  thrown.message = `${before}\n    caused by: ${cause.message}`
  if (typeof thrown.stack === 'string' && thrown.stack.includes(before)) thrown.stack = thrown.stack.replace(before, thrown.message)
  return thrown
}

function toResult(result: unknown): MariadbResult {
  if (Array.isArray(result)) return result as Record<string, unknown>[]
  return { affectedRows: Number((result as { affectedRows?: unknown } | undefined)?.affectedRows ?? 0) }
}

/** The rows of a SELECT's result. */
export function rowsOf(result: MariadbResult): Record<string, unknown>[] {
  return Array.isArray(result) ? result : []
}

/** How many rows a write changed (matched, with the driver's default `foundRows`). */
export function affectedRowsOf(result: MariadbResult): number {
  return Array.isArray(result) ? result.length : result.affectedRows
}

/**
 * The session setting of the pool the adapter opens (`initSql`, once per
 * connection). Under InnoDB's default REPEATABLE READ a locking read keeps a
 * lock on every row it examined, so concurrent workers skipped rows nobody
 * was taking (see `find-mysql.ts`).
 */
const READ_COMMITTED_SESSION = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'
/** The same for the next transaction only: on the app's pool, whose sessions are the app's. */
const READ_COMMITTED_NEXT = 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED'

type CreatePool = (config: Record<string, unknown>) => MariadbPoolLike

/**
 * The `mariadb` options for a `mysql://` or `mariadb://` URL (Prisma's MySQL
 * URLs are `mysql://`): user and password decoded, the database from the
 * path, and the query parameters Prisma documents that mean something to a
 * pool (`socket`, `sslaccept`, `connect_timeout`, `ssl`); the others
 * (`connection_limit`, `pool_timeout`, …) are Prisma's own.
 */
export function mariadbConnectionConfig(connectionString: string): Record<string, unknown> {
  let url: URL
  try {
    url = new URL(connectionString.trim())
  } catch {
    throw new InvalidConfigError('PrismaAdapter `mariadb`: its connectionString is not a URL (mysql://user:password@host:3306/database).')
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new InvalidConfigError(
      `PrismaAdapter \`mariadb\`: its connectionString must be a mysql:// or mariadb:// URL, not ${url.protocol}//.`,
    )
  }
  // A `%` not followed by two hex digits (a password pasted unencoded) is the app's URL to fix, not a URIError at load.
  const decode = (part: string, what: string) => {
    try {
      return decodeURIComponent(part)
    } catch {
      throw new InvalidConfigError(
        `PrismaAdapter \`mariadb\`: the ${what} in its connectionString has a % not followed by two hex digits; percent-encode it (encodeURIComponent).`,
      )
    }
  }
  const config: Record<string, unknown> = {
    host: decode(url.hostname.replace(/^\[(.*)\]$/, '$1'), 'host') || 'localhost',
    port: url.port ? Number(url.port) : 3306,
    user: decode(url.username, 'user'),
    password: decode(url.password, 'password'),
  }
  const database = decode(url.pathname.replace(/^\//, ''), 'database name')
  if (database) config.database = database
  const parameters = url.searchParams
  const socket = parameters.get('socket')
  if (socket) config.socketPath = socket
  const timeout = Number(parameters.get('connect_timeout') ?? parameters.get('connectTimeout'))
  if (timeout > 0) config.connectTimeout = timeout * 1000
  const sslaccept = parameters.get('sslaccept')
  if (sslaccept === 'accept_invalid_certs') config.ssl = { rejectUnauthorized: false }
  else if (sslaccept === 'strict' || parameters.get('ssl') === 'true') config.ssl = { rejectUnauthorized: true }
  return config
}

/**
 * Opens a pool with the app's `mariadb` package: a few connections, each in
 * READ COMMITTED and UTC for the session (`timezone` only matters to
 * TIMESTAMP columns and NOW(); the adapter sends and reads DATETIME as UTC
 * text itself), statements pipelined (the driver's default).
 */
export async function openMariadbPool(connectionString: string): Promise<MariadbPoolLike> {
  const config = mariadbConnectionConfig(connectionString)
  const module = await importOptionalPeer(
    'mariadb',
    'PrismaAdapter({ mariadb }) runs the worker\'s queries through the `mariadb` package, which is not installed. ' +
      'Install it (`npm install mariadb`; apps on `@prisma/adapter-mariadb` have it), or remove `mariadb` from the adapter options.',
  )
  const createPool = ((module.default as Record<string, unknown> | undefined)?.createPool ?? module.createPool) as CreatePool | undefined
  if (typeof createPool !== 'function') {
    throw new OptionalDependencyError('mariadb', 'The installed `mariadb` package has no createPool export; install mariadb 3 or later.')
  }
  // A worker runs one statement at a time per job it holds; a few connections are plenty.
  return createPool({
    ...config,
    connectionLimit: 4,
    minimumIdle: 0,
    idleTimeout: 60,
    timezone: '+00:00',
    initSql: READ_COMMITTED_SESSION,
    pipelining: true,
    // A transaction's flight as one multi-statement query: one write and one reply (see `transaction`).
    multipleStatements: true,
  })
}

/**
 * The pool of PrismaAdapter's `mariadb` option: the app's own (never ended
 * here), or one opened from a connection string on first use and ended by
 * `end()`.
 */
export class AdapterMariadbPool {
  private pool: Promise<MariadbPoolLike> | undefined
  private openedPool: Promise<MariadbPoolLike> | undefined
  /** The app's pool: its sessions are the app's, so each transaction sets its own isolation level. */
  private readonly appsPool: boolean
  /** Our own pool, opened with `multipleStatements`: a flight is one query. */
  private readonly multipleStatements: boolean

  constructor(
    private readonly option: { pool: MariadbPoolLike } | { connectionString: string },
    private readonly logger: Logger,
  ) {
    this.appsPool = 'pool' in option
    this.multipleStatements = !this.appsPool
    if ('pool' in option) this.pool = Promise.resolve(option.pool)
    else mariadbConnectionConfig(option.connectionString)
  }

  /** The pool of the adapter's `mariadb` option as the app passed it: `{ pool }` or `{ connectionString }`, checked. */
  static fromOption(option: unknown, logger: Logger): AdapterMariadbPool {
    const given = option as { pool?: unknown; connectionString?: unknown } | null
    const pool = given?.pool as MariadbPoolLike | undefined
    const hasPool = typeof pool === 'object' && pool !== null && typeof pool.query === 'function' && typeof pool.getConnection === 'function'
    const connectionString = given?.connectionString
    if (hasPool === (typeof connectionString === 'string')) {
      throw new InvalidConfigError(
        'PrismaAdapter `mariadb` needs either a mariadb pool or a connection string (not both): ' +
          'new PrismaAdapter({ db, mariadb: { connectionString: process.env.DATABASE_URL } }) or new PrismaAdapter({ db, mariadb: { pool } }).',
      )
    }
    return new AdapterMariadbPool(hasPool ? { pool: pool! } : { connectionString: connectionString as string }, logger)
  }

  private async open(): Promise<MariadbPoolLike> {
    if (!this.pool && 'connectionString' in this.option) {
      const opened = openMariadbPool(this.option.connectionString)
      this.openedPool = opened
      this.pool = opened
      // A failed open (mariadb missing) is tried again on the next call, not cached.
      opened.catch(() => {
        if (this.pool === opened) this.pool = undefined
      })
    }
    return this.pool!
  }

  /** Runs one statement on any connection of the pool (autocommit). */
  async run(statement: MariadbStatement): Promise<MariadbResult> {
    const pool = await this.open()
    try {
      return toResult(await pool.query(...statementOptions(statement)))
    } catch (error) {
      throw withCause(error)
    }
  }

  /**
   * Runs a READ COMMITTED transaction on one connection in two flights:
   * `first` after BEGIN, then `second(results of first)` followed by COMMIT
   * (COMMIT alone when `second` has no statements). On any error the
   * transaction is rolled back (a connection that cannot even do that is
   * destroyed, and the server rolls back when it closes) and the error thrown.
   *
   * A flight is one multi-statement query on the pool the adapter opened
   * (`multipleStatements`): one write and one reply, and the server stops at
   * the first statement that fails, so a refused UPDATE never reaches its
   * COMMIT. On the app's pool (whose connections may not allow several
   * statements in one query) a flight is a burst of pipelined queries the
   * server answers in order (the driver sends the next without waiting for
   * the answer to the one before): one write per statement, and a COMMIT
   * already sent runs even after a refused UPDATE (see
   * `sql/claim-mariadb-pool.ts` for why that is safe).
   */
  async transaction<T>(
    first: MariadbStatement[],
    second: (results: MariadbResult[]) => { statements: MariadbStatement[]; result: T } | { statements?: undefined; result: T },
  ): Promise<T> {
    const pool = await this.open()
    const connection = await pool.getConnection().catch((error: unknown) => {
      throw withCause(error)
    })
    const send = (statement: MariadbStatement) => connection.query(...statementOptions(statement)).then(toResult)
    const flight = async (statements: MariadbStatement[]): Promise<MariadbResult[]> => {
      if (this.multipleStatements && statements.length > 1) {
        const joined = { sql: statements.map((each) => each.sql).join('; '), values: statements.flatMap((each) => each.values) }
        const results = (await connection.query(...statementOptions(joined))) as unknown[]
        return results.map(toResult)
      }
      const settled = await untilClosed(connection, Promise.allSettled(statements.map(send)))
      const failed = settled.find((each): each is PromiseRejectedResult => each.status === 'rejected')
      if (failed) throw failed.reason
      return settled.map((each) => (each as PromiseFulfilledResult<MariadbResult>).value)
    }
    const opening = this.appsPool ? [{ sql: READ_COMMITTED_NEXT, values: [] }, BEGIN] : [BEGIN]
    try {
      const results = (await flight([...opening, ...first])).slice(opening.length)
      const next = second(results)
      await flight([...(next.statements ?? []), COMMIT])
      await connection.release()
      return next.result
    } catch (error) {
      try {
        await send(ROLLBACK)
        await connection.release()
      } catch {
        connection.destroy()
      }
      throw error
    }
  }

  /**
   * True when a transaction can be one flight: the pool the adapter opened,
   * whose connections take several statements in one query and stop at the
   * first that fails (see `oneFlight`).
   */
  get takesOneFlight(): boolean {
    return this.multipleStatements
  }

  /**
   * Runs `statements` between BEGIN and COMMIT as one multi-statement query
   * (one write, one reply; only when `takesOneFlight`): the server stops at
   * the first statement that fails, so COMMIT runs only if every statement
   * before it did; on an error the transaction is rolled back (or the
   * connection destroyed, and the server rolls back) and the error thrown.
   * Returns the results of `statements`, without BEGIN's and COMMIT's.
   *
   * Why one flight: a transaction left open across a client round trip keeps
   * the row locks of its locking read, and another worker's DELETE of its
   * own finished job waits for them (see `sql/claim-mariadb-pool.ts`).
   */
  async oneFlight(statements: MariadbStatement[]): Promise<MariadbResult[]> {
    const pool = await this.open()
    const connection = await pool.getConnection().catch((error: unknown) => {
      throw withCause(error)
    })
    const all = [BEGIN, ...statements, COMMIT]
    const joined = { sql: all.map((each) => each.sql).join('; '), values: all.flatMap((each) => each.values) }
    try {
      const results = ((await connection.query(...statementOptions(joined))) as unknown[]).map(toResult)
      await connection.release()
      return results.slice(1, -1)
    } catch (error) {
      try {
        await connection.query(...statementOptions(ROLLBACK))
        await connection.release()
      } catch {
        connection.destroy()
      }
      throw error
    }
  }

  /** Ends the pool the adapter opened; never one the app passed in. */
  async end(): Promise<void> {
    if (!('connectionString' in this.option) || !this.pool) return
    this.pool = undefined
    const pool = await this.openedPool?.catch(() => undefined)
    await pool?.end().catch((error: Error) => this.logger.warn(`[jobs-kit] closing the adapter's mariadb pool failed: ${error.message}`))
  }
}

/**
 * `settling`, or an error as soon as the connection's socket closes. A pool
 * whose connections do not pipeline (`pipelining: false`, which
 * `permitLocalInfile` implies) queues a flight's statements in the driver
 * until the one before is answered; when the connection dies (KILL, a server
 * restart) the `mariadb` driver (3.5) fails the statement on the wire but
 * never settles the queued ones, and the worker's find waited for ever.
 */
async function untilClosed<T>(connection: MariadbConnectionLike, settling: Promise<T>): Promise<T> {
  if (typeof connection.on !== 'function' || typeof connection.off !== 'function') return settling
  let onEnd!: () => void
  const closed = new Promise<never>((_, reject) => {
    onEnd = () => reject(new Error('[jobs-kit] the mariadb connection closed in the middle of a transaction (the server rolls it back unless its COMMIT had already reached it)'))
  })
  connection.on('end', onEnd)
  try {
    return await Promise.race([settling, closed])
  } finally {
    connection.off('end', onEnd)
  }
}

const BEGIN: MariadbStatement = { sql: 'BEGIN', values: [] }
const COMMIT: MariadbStatement = { sql: 'COMMIT', values: [] }
const ROLLBACK: MariadbStatement = { sql: 'ROLLBACK', values: [] }
