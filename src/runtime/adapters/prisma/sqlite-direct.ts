import { statSync } from 'node:fs'
import { importOptionalPeer } from '../../import-optional-peer.js'
import type { PrismaClientLike } from './prisma-client.js'
import { readSqliteDateFormat, type SqliteDateFormat } from './sql/schedule-many-sqlite.js'

/**
 * How long one attempt of a statement may wait, synchronously, for another
 * connection's write lock (better-sqlite3 blocks the event loop while SQLite
 * waits). Short on purpose: the lock may be held by a Prisma transaction of
 * this very process (`db.$transaction(async (tx) => …)` awaits between its
 * statements), which can only finish once the event loop runs again. So an
 * attempt gives up after this long, the event loop runs, and the statement is
 * tried again (`SQLITE_DIRECT_RETRY_MS` later) until `SQLITE_DIRECT_GIVE_UP_MS`.
 */
export const SQLITE_DIRECT_BUSY_TIMEOUT_MS = 20
/** The pause between two attempts of a statement refused as busy: the event loop runs meanwhile. */
export const SQLITE_DIRECT_RETRY_MS = 1
/** A statement still refused as busy after this long fails, as Prisma's (better-sqlite3's 5 s busy timeout) would. */
export const SQLITE_DIRECT_GIVE_UP_MS = 5_000

/**
 * How often, at most, a statement first checks that the database file at the
 * path is still the one opened (`SqliteDirect.checkFile`): one `stat` a
 * second, nothing per job.
 */
export const SQLITE_DIRECT_FILE_CHECK_MS = 1_000

/** What the adapter uses of a better-sqlite3 `Database`. */
interface BetterSqliteDatabase {
  prepare(sql: string): BetterSqliteStatement
  pragma(source: string, options?: { simple?: boolean }): unknown
  transaction<A extends unknown[], T>(fn: (...args: A) => T): { immediate(...args: A): T }
  close(): void
}
interface BetterSqliteStatement {
  readonly reader: boolean
  all(...values: unknown[]): Record<string, unknown>[]
  run(...values: unknown[]): { changes: number }
}

/** One statement of a `SqliteDirect.transaction`. */
export interface SqliteStatement {
  sql: string
  values: unknown[]
}

/**
 * The adapter's own connection to the SQLite file of the app's Prisma client,
 * opened with the app's `better-sqlite3` package, for the worker's statements
 * (the `betterSqlite3` option of PrismaAdapter). Statements run synchronously
 * and are prepared once; Dates are bound in the format the app's driver
 * adapter writes (`readSqliteDateFormat`), so rows written either way compare
 * like with like.
 *
 * Why: through Prisma's raw-query path a SQLite worker spent ~1.2 ms CPU per
 * job (V8 profile, 1 process, concurrency 1: Prisma's client and its query
 * interpreter ~57 %, the driver adapter ~24 % with a `prepare` per call),
 * against 0.08 ms for the same statements through better-sqlite3
 * (bench/ceiling). The adapter's calls alone, per job (successAndFind,
 * bench/experiments/sqlite-adapter-loop.ts, median of 5): 0.46 ms CPU through
 * Prisma, 0.10 ms here. Through the runner (bench/experiments/sqlite-throughput.ts,
 * 20,000 jobs, 3 rounds, median, 2-core machine at load 10–23, ceiling in the
 * same run; before → after):
 *
 * | worker processes | jobs/s (% of ceiling) | worker CPU ms/job | ceiling         |
 * |------------------|-----------------------|-------------------|-----------------|
 * | 1                | 520 (11 %) → 1,199 (26 %) | 0.86 → 0.25   | 4,672, 0.07 ms  |
 * | 4                | 152 (3 %) → 1,188 (26 %)  | 2.13 → 0.39   | 4,654, 0.09 ms  |
 *
 * Wall rates at that load follow CPU per job (every process gets about the
 * same share of a core); what is left above the ceiling's CPU is mostly the
 * worker loop's (~0.15 ms/job), not the adapter's. A later profile of a worker
 * draining 20,000 jobs in one process (bench/experiments/sqlite-worker-cpu.ts,
 * load 12) put ~2/3 of the drain in better-sqlite3's native calls and the
 * adapter's own JavaScript at ~2.5 µs a job (sqlite-claim-js.ts): the commit
 * per job is the cost left (bench/experiments/sqlite-tx-floor.ts and
 * docs/benchmarks.md, *No prefetch*).
 */
export class SqliteDirect {
  private readonly statements = new Map<string, BetterSqliteStatement>()
  private fileCheckedAt = Date.now()
  /**
   * Runs a list of statements in `BEGIN IMMEDIATE` … `COMMIT`: made once.
   * better-sqlite3's `transaction(fn)` builds four wrapper functions and
   * defines five properties on each every time it is called, so making it
   * per job cost ~5 µs CPU per job: 5.0–6.8 µs per call made each time against 0.7–0.9 made once, an empty
   * `BEGIN IMMEDIATE` … `COMMIT` on `:memory:` (100,000 calls, 5 rounds, load 13), plus the garbage.
   */
  private readonly runAll: (statements: SqliteStatement[]) => Record<string, unknown>[]

  private constructor(
    private readonly database: BetterSqliteDatabase,
    private readonly dateFormat: Exclude<SqliteDateFormat, undefined>,
    private readonly file: string,
    private readonly opened: { dev: number; ino: number } | undefined,
  ) {
    const inTransaction = database.transaction((statements: SqliteStatement[]) => {
      let rows: Record<string, unknown>[] = []
      for (const statement of statements) rows = this.runOne(statement)
      return rows
    })
    this.runAll = (statements) => inTransaction.immediate(statements)
  }

  /**
   * Opens the file the app's client uses, or returns why it cannot (an
   * in-memory database, dates written in a format we do not know): the
   * adapter then stays on Prisma.
   */
  static async open(db: PrismaClientLike): Promise<SqliteDirect | string> {
    const rows = (await db.$queryRawUnsafe(`SELECT file FROM pragma_database_list WHERE name = 'main'`)) as { file?: unknown }[]
    const file = rows[0]?.file
    if (typeof file !== 'string' || file === '') return 'the database is in memory (no file to open)'
    const dateFormat = await readSqliteDateFormat(db)
    if (!dateFormat) return 'the Prisma driver adapter writes dates in a format jobs-kit does not know'
    const module = await importOptionalPeer(
      'better-sqlite3',
      'PrismaAdapter `betterSqlite3: true` opens the database with the `better-sqlite3` package: install it (apps on @prisma/adapter-better-sqlite3 have it), or remove the option.',
    )
    const Database = (module.default ?? module) as new (file: string) => BetterSqliteDatabase
    const database = new Database(file)
    try {
      if (!(await sharesLibrary(db, database))) {
        database.close()
        return (
          "the app's Prisma client reaches SQLite through another copy of the SQLite library than this process's `better-sqlite3` " +
          '(`@prisma/adapter-libsql`, or a second `better-sqlite3` of another version under @prisma/adapter-better-sqlite3): two copies in one process ' +
          'do not see each other\'s locks, so both could write at once and corrupt the file'
        )
      }
    } catch (error) {
      database.close()
      throw error
    }
    database.pragma(`busy_timeout = ${SQLITE_DIRECT_BUSY_TIMEOUT_MS}`)
    return new SqliteDirect(database, dateFormat, file, statSync(file, { throwIfNoEntry: false }))
  }

  /** Runs one statement (rows for a statement that returns rows, else none). */
  query(sql: string, values: unknown[]): Promise<Record<string, unknown>[]> {
    return this.whenNotBusy(() => this.runOne({ sql, values }))
  }

  /**
   * Runs statements in one transaction that takes the write lock first
   * (`BEGIN IMMEDIATE`), all or none; returns the last one's rows. Never
   * awaits inside: no other statement of this process runs in between.
   */
  transaction(statements: SqliteStatement[]): Promise<Record<string, unknown>[]> {
    return this.whenNotBusy(() => this.runAll(statements))
  }

  close(): void {
    this.database.close()
  }

  private runOne({ sql, values }: SqliteStatement): Record<string, unknown>[] {
    let statement = this.statements.get(sql)
    if (!statement) {
      // Statements differ by the length of their id lists (batch size) and queues: few, but bound the cache anyway.
      if (this.statements.size >= 200) this.statements.clear()
      statement = this.database.prepare(sql)
      this.statements.set(sql, statement)
    }
    const bound = values.map((value) => this.bind(value))
    if (statement.reader) return statement.all(...bound)
    statement.run(...bound)
    return []
  }

  private bind(value: unknown): unknown {
    if (value instanceof Date) {
      if (this.dateFormat === 'epoch-ms') return value.getTime()
      const iso = value.toISOString()
      return this.dateFormat === 'iso-z' ? iso : `${iso.slice(0, -1)}+00:00`
    }
    if (typeof value === 'boolean') return value ? 1 : 0
    return value
  }

  /** Runs `attempt`; while SQLite refuses it as busy, tries again after letting the event loop run (never a spin: each try waits up to the busy timeout). */
  private async whenNotBusy<T>(attempt: () => T): Promise<T> {
    const startedAt = Date.now()
    this.checkFile(startedAt)
    for (;;) {
      try {
        return attempt()
      } catch (error) {
        if (!isBusy(error) || Date.now() - startedAt >= SQLITE_DIRECT_GIVE_UP_MS) throw error
      }
      await new Promise((resolve) => setTimeout(resolve, SQLITE_DIRECT_RETRY_MS))
    }
  }

  /**
   * Throws when the database file at the path is gone or is another file than
   * the one opened (`prisma migrate reset`, a restored backup, `rm dev.db`
   * while workers run). This connection, like the app's Prisma client, keeps
   * the old file open and would go on finding nothing in it, without a word,
   * while new jobs go to the new file: the worker says so instead, at each
   * poll, until restarted. Checked at most every `SQLITE_DIRECT_FILE_CHECK_MS`.
   */
  private checkFile(now: number): void {
    if (!this.opened || now - this.fileCheckedAt < SQLITE_DIRECT_FILE_CHECK_MS) return
    this.fileCheckedAt = now
    const current = statSync(this.file, { throwIfNoEntry: false })
    if (current && current.dev === this.opened.dev && current.ino === this.opened.ino) return
    this.fileCheckedAt = 0 // and every statement after this one fails too
    throw new Error(
      `the SQLite database file ${this.file} was ${current ? 'replaced by another file' : 'deleted'} after this process opened it ` +
        '(`prisma migrate reset`, a restored copy?): this process still has the old file open, so it would never see jobs stored in the new one. ' +
        'Restart the workers (and the app) to open the new file.',
    )
  }
}

/**
 * Whether `database` and the app's client run on the same copy of the SQLite
 * library. Two copies in one process (libsql beside better-sqlite3, or two
 * better-sqlite3 builds) share no locks: POSIX locks belong to the process,
 * and each copy tracks only its own (sqlite.org/howtocorrupt.html, 2.2);
 * then both connections get the write lock at once
 * (bench/experiments/atk-sqlite-two-copies.cjs: the second copy's
 * `BEGIN IMMEDIATE` succeeds while the first holds the lock, and the first's
 * commit fails with SQLITE_IOERR_DELETE_NOENT).
 *
 * How: `soft_heap_limit` is a setting of the library, not of a connection.
 * `database` sets it to a mark (over 1 TiB: no limit in effect) and the
 * client reads it back: the same copy sees the mark. Then the setting is put
 * back. No lock, no transaction: an earlier version that took the write lock
 * through a Prisma transaction delayed each worker's first find enough that,
 * with several processes racing for a few hundred jobs, one took them all.
 * Once per process, at open.
 */
async function sharesLibrary(db: PrismaClientLike, database: BetterSqliteDatabase): Promise<boolean> {
  const before = Number(database.pragma('soft_heap_limit', { simple: true }))
  const mark = 2 ** 40 + Math.floor(Math.random() * 1_000_000)
  database.pragma(`soft_heap_limit = ${mark}`)
  try {
    const rows = (await db.$queryRawUnsafe('PRAGMA soft_heap_limit')) as Record<string, unknown>[]
    return Number(Object.values(rows[0] ?? {})[0]) === mark
  } finally {
    database.pragma(`soft_heap_limit = ${before}`)
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}
