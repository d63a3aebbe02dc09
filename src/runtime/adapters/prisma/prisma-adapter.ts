import { DEFAULT_FIND_LIMIT, DEFAULT_MODEL_NAME, DEFAULT_STALE_LOCK_SECONDS } from '../../defaults.js'
import { InvalidConfigError, ModelNotFoundError } from '../../errors.js'
import type {
  AdapterCapabilities,
  ClearInput,
  ErrorInput,
  FindInput,
  JobsAdapter,
  Logger,
  QueueCounts,
  ScheduleInput,
  ScheduleManyInput,
  StoredJob,
} from '../../types.js'
import { detectProvider, normalizeProvider } from './detect-provider.js'
import { ChosenJobReports, type JobReport, type JobReports } from './job-reports.js'
import { qualifiedTable, resolveJobTable, type JobTable } from './job-table.js'
import type { PrismaClientLike, PrismaModelDelegate } from './prisma-client.js'
import type { SqlDialect } from './sql/dialect.js'
import type { DueFilter } from './sql/due-condition.js'
import { findWithCompareAndSet } from './sql/find-compare-and-set.js'
import { findMysql } from './sql/find-mysql.js'
import { findPostgresql, type ClaimedRows } from './sql/find-postgresql.js'
import { findSqlite } from './sql/find-sqlite.js'
import { finishAndFindMysql } from './sql/finish-and-find-mysql.js'
import { finishAndFindPostgresql } from './sql/finish-and-find-postgresql.js'
import { scheduleAndNotifyPostgresql } from './sql/schedule-and-notify-postgresql.js'
import { chunkJobs, SCHEDULE_MANY_BYTES_MYSQL, SCHEDULE_MANY_CHUNK_MYSQL, scheduleManyMysql } from './sql/schedule-many-mysql.js'
import { SCHEDULE_MANY_CHUNK_POSTGRESQL, scheduleManyPostgresql } from './sql/schedule-many-postgresql.js'
import { readSqliteDateFormat, SCHEDULE_MANY_CHUNK_SQLITE, scheduleManySqlite, type SqliteDateFormat } from './sql/schedule-many-sqlite.js'
import { ModelJobReports } from './model-reports.js'
import { NotifyListener } from './notify-listener.js'
import { SqliteCommitWatcher } from './sqlite-commit-watcher.js'
import { SqliteWakeFilter } from './sqlite-wake-filter.js'
import { anyDueJobSqlite } from './sql/any-due-job-sqlite.js'
import { AdapterPgPool } from './pg-pool.js'
import { AdapterMariadbPool } from './mariadb-pool.js'
import { claimOnMariadbPool } from './sql/claim-mariadb-pool.js'
import { MysqlJobReports } from './sql/report-mysql.js'
import { PostgresqlJobReports } from './sql/report-postgresql.js'
import { finishAndFindSqlite, SqliteJobReports } from './sql/report-sqlite.js'
import { SqliteDirect } from './sqlite-direct.js'
import { prismaQuery, type RunQuery } from './sql/run-query.js'
import { countJobsByQueue } from './status.js'
import { explainDatabaseFailure, isMissingTable } from './database-failure.js'
import { formatStoredError } from './stored-error.js'
import { FULL_CAPABILITIES } from '../capabilities.js'

export interface PrismaAdapterOptions {
  /** The app's PrismaClient (the adapter never creates or closes one). */
  db: unknown
  /** The Prisma model that stores jobs. Default `BackgroundJob`. */
  model?: string
  /**
   * PostgreSQL: the schema of the jobs table, when the adapter cannot read it
   * from the client. Read from the model's `@@schema` (multiSchema) or from
   * `@prisma/adapter-pg` (its `schema` option, else `public`, as Prisma
   * qualifies its own queries); with another client (Prisma 6's own engine)
   * the table is left to the search_path of Prisma's connections. Give it if
   * your driver adapter is not `@prisma/adapter-pg`'s factory itself.
   */
  schema?: string
  /**
   * The datasource provider (`postgresql`, `mysql`, `sqlite`, …). Detected
   * from the client when left out; pass it if detection fails.
   */
  provider?: string
  logger?: Logger
  /**
   * PostgreSQL only, opt-in: wake idle workers the moment a job is scheduled
   * (LISTEN/NOTIFY) instead of at their next poll. `schedule` then notifies in
   * the same statement as the insert (delivered at commit), and each worker
   * holds one extra connection, opened with the `pg` package (install it;
   * apps on `@prisma/adapter-pg` have it). `connectionString`: the database
   * the workers listen on, usually `process.env.DATABASE_URL`.
   */
  notify?: { connectionString: string }
  /**
   * PostgreSQL only, opt-in: run the worker's queries (`find`,
   * `successAndFind`, `success`, `error`, `failure`, `heartbeat`) through a
   * `pg` pool instead of Prisma's raw-query path, which costs a busy worker
   * most of its CPU (see docs/worker.md for figures). The finding SQL is the
   * same statement either way; `schedule`, `clear` and `status` stay on Prisma.
   *
   * `{ pool }`: a `pg.Pool` of the app's (never ended by the adapter).
   * `{ connectionString }`: the adapter opens a small pool with the app's
   * `pg` package (install it; apps on `@prisma/adapter-pg` have it) and ends
   * it in `close()`.
   */
  pg?: { pool: unknown } | { connectionString: string }
  /**
   * MySQL/MariaDB only, opt-in: the same for a pool of the `mariadb` package
   * (apps on `@prisma/adapter-mariadb` have it): the worker's queries run on
   * it, a find or a finish-and-find as one transaction in two flights of
   * pipelined statements instead of five round trips through Prisma's
   * raw-query path (see `sql/claim-mariadb-pool.ts` for figures).
   * `schedule`, `clear` and `status` stay on Prisma.
   *
   * `{ pool }`: a `mariadb` pool of the app's (`mariadb.createPool`, never
   * ended by the adapter; its sessions are left as they are).
   * `{ connectionString }`: a `mysql://` or `mariadb://` URL (Prisma's MySQL
   * URL works); the adapter opens a small pool and ends it in `close()`.
   */
  mariadb?: { pool: unknown } | { connectionString: string }
  /**
   * SQLite only: wake idle workers when any process commits to the database
   * file (watched with `fs.watch`; see `sqlite-commit-watcher.ts`) and a read
   * finds a due job for them (`sqlite-wake-filter.ts`), so a job
   * scheduled by your app is picked up within milliseconds instead of at the
   * next poll. Default true; `false` leaves polling alone.
   */
  watchSqliteFile?: boolean
  /**
   * SQLite only: switch the database file to WAL journal mode when a worker
   * starts (`PRAGMA journal_mode = WAL`). The mode is kept by the file, so
   * this changes it once; every connection then uses it. With WAL, reads
   * never wait for a write and a commit is one append. A database that
   * cannot switch (busy, in memory, a file system without shared memory)
   * stays as it is, with a warning. `jobs-kit setup` writes `true` unless
   * told `--no-sqlite-wal`.
   */
  sqliteWal?: boolean
  /**
   * SQLite only, opt-in: run the worker's statements (`find`,
   * `successAndFind`, `success`, `error`, `failure`, `heartbeat`) on a
   * connection of the adapter's own to the same database file, opened with
   * the app's `better-sqlite3` package (apps on
   * `@prisma/adapter-better-sqlite3` have it), instead of through Prisma's
   * raw-query path, which costs a busy worker most of its CPU (see
   * `sqlite-direct.ts` for figures). The statements are the same; dates are
   * written in the format of the app's driver adapter. `schedule`, `clear`,
   * `release` and `status` stay on Prisma. An in-memory database stays on
   * Prisma (with a warning).
   */
  betterSqlite3?: boolean
}

/**
 * Stores jobs in the app's database through its own Prisma client.
 *
 * Finding due jobs is the part that must be right under contention; it uses
 * the strongest tool each database has (see `sql/find-*.ts`). Everything
 * else goes through the Prisma model API, but for the worker's reports
 * (`JobReports`) on PostgreSQL, which are raw statements too. With the `pg`
 * option (PostgreSQL, opt-in) the worker's queries and reports run on a `pg`
 * pool, else through the client's `$queryRawUnsafe`. The constructor picks
 * one or the other, once.
 *
 * Time: every timestamp (runAt, lockedAt, the stale-lock cut-off) comes from
 * the clock of the process calling the adapter, never from the database's
 * `NOW()`, so scheduling and finding compare like with like whatever the
 * database's time zone. Keep the clocks of app servers and workers in sync (NTP).
 */
export class PrismaAdapter implements JobsAdapter {
  /** Jobs live in the app's database: the whole contract (docs/adapters.md). */
  readonly capabilities: AdapterCapabilities = FULL_CAPABILITIES
  readonly db: PrismaClientLike
  readonly model: string
  /** The `schema` option, as given. */
  readonly schema: string | undefined
  readonly logger: Logger
  private readonly providerOption: string | undefined
  private resolved: { provider: string; dialect: SqlDialect | undefined; table: JobTable } | undefined
  private readonly notify: { connectionString: string } | undefined
  /** Workers of this process waiting for new jobs (see `subscribe`). */
  private readonly subscribers = new Set<{ queues: '*' | string[]; wake: () => void; sleeping?: () => boolean }>()
  private listener: NotifyListener | undefined
  private readonly watchSqliteFile: boolean
  private fileWatcher: SqliteCommitWatcher | undefined
  private wakeFilter: SqliteWakeFilter | undefined
  private readonly sqliteWal: boolean
  private walApplied = false
  /** The pool of the `pg` option. */
  private readonly pgPool: AdapterPgPool | undefined
  /** The `pg` pool's jobs table: qualified with the schema Prisma's connections find it in (see `qualifyForPool`). */
  private poolTable: JobTable | undefined
  private poolTableLookup: Promise<JobTable> | undefined
  /** A `find` succeeded: a missing table later is an outage to retry, not a setup to fix (see `find`). */
  private foundOnce = false
  /** The pool of the `mariadb` option. */
  private readonly mariadbPool: AdapterMariadbPool | undefined
  /** Runs the worker's finding statements: on the `pg` pool with the `pg` option, else through Prisma. */
  private readonly workerQuery: () => Promise<RunQuery>
  /** Writes the worker's reports (success, failed attempt, given up, heartbeat): the same choice. */
  private readonly reports: JobReports
  /** PostgreSQL: how the claim returns its rows, as fits the runner (see `ClaimedRows` in `sql/find-postgresql.ts`): columns on the `pg` pool, one JSON text through Prisma. */
  private readonly claimedRows: ClaimedRows = 'json'
  /** SQLite with `betterSqlite3`: the connection, opened when the worker first needs it (undefined: it cannot be, stay on Prisma). */
  private readonly betterSqlite3: boolean
  private sqliteDirect: Promise<SqliteDirect | undefined> | undefined
  /** SQLite: how the driver adapter writes dates, for `scheduleMany` (see `sql/schedule-many-sqlite.ts`). */
  private sqliteDateFormat: Promise<SqliteDateFormat> | undefined

  constructor(options: PrismaAdapterOptions) {
    if (!options || typeof options.db !== 'object' || options.db === null) {
      throw new InvalidConfigError('PrismaAdapter needs your Prisma client: new PrismaAdapter({ db }).')
    }
    this.db = options.db as PrismaClientLike
    this.model = options.model ?? DEFAULT_MODEL_NAME
    if (options.schema !== undefined && (typeof options.schema !== 'string' || options.schema === '')) {
      throw new InvalidConfigError('PrismaAdapter `schema` must be the name of a PostgreSQL schema, e.g. new PrismaAdapter({ db, schema: \'myapp\' }).')
    }
    this.schema = options.schema
    this.providerOption = options.provider
    this.logger = options.logger ?? console
    if (options.notify !== undefined && typeof options.notify?.connectionString !== 'string') {
      throw new InvalidConfigError(
        'PrismaAdapter `notify` needs the connection string workers listen on: new PrismaAdapter({ db, notify: { connectionString: process.env.DATABASE_URL } }).',
      )
    }
    this.notify = this.unlessAccelerate('notify', options.notify)
    this.watchSqliteFile = options.watchSqliteFile ?? true
    this.sqliteWal = options.sqliteWal ?? false
    this.betterSqlite3 = options.betterSqlite3 === true
    const pgOption = this.unlessAccelerate('pg', options.pg)
    const pgPool = pgOption === undefined ? undefined : AdapterPgPool.fromOption(pgOption, this.logger)
    this.pgPool = pgPool
    const mariadbOption = this.unlessAccelerate('mariadb', options.mariadb)
    const mariadbPool = mariadbOption === undefined ? undefined : AdapterMariadbPool.fromOption(mariadbOption, this.logger)
    this.mariadbPool = mariadbPool
    // Chosen once: the worker's queries and reports go through the `pg` or `mariadb` pool, or all through Prisma.
    if (mariadbPool) {
      this.workerQuery = async () => prismaQuery(this.db)
      this.reports = new MysqlJobReports(mariadbPool, () => this.resolve().table)
    } else if (pgPool) {
      // The table is qualified for the pool before its first statement (a lookup through Prisma, once).
      const onQualifiedPool = async (options?: { prepare?: boolean }) => {
        if (!this.poolTable) await this.qualifyForPool()
        return pgPool.runQuery(options)
      }
      this.workerQuery = () => onQualifiedPool()
      this.reports = new PostgresqlJobReports(this.workerQuery, () => onQualifiedPool({ prepare: false }), () => this.workerTable())
      this.claimedRows = 'columns'
    } else if (this.betterSqlite3) {
      this.workerQuery = async () => {
        const direct = await this.direct()
        return direct ? (sql, values) => direct.query(sql, values) : prismaQuery(this.db)
      }
      this.reports = new SqliteJobReports(() => this.direct(), new ModelJobReports(() => this.delegate(this.db)), () => this.resolve().table)
    } else {
      this.workerQuery = async () => prismaQuery(this.db)
      // On PostgreSQL the reports run as raw statements through the client too: the model API cost
      // twice the client CPU (bench/experiments/prisma-report-cpu.ts, median of 3 rounds of 1,500
      // calls at load ~10: heartbeat 0.342 vs 0.165 ms, failed attempt 0.312 vs 0.195 ms). No prepared
      // statements here (Prisma sends every statement unnamed), so one runner serves both.
      const modelReports = new ModelJobReports(() => this.delegate(this.db))
      const rawReports = new PostgresqlJobReports(this.workerQuery, this.workerQuery, () => this.resolve().table)
      this.reports = new ChosenJobReports(() => (this.resolve().dialect === 'postgresql' ? rawReports : modelReports))
    }
  }

  /** The `betterSqlite3` connection, opened once (a failed open is tried again next time); undefined without the option or when it cannot be opened. */
  private direct(): Promise<SqliteDirect | undefined> {
    if (!this.betterSqlite3) return Promise.resolve(undefined)
    this.resolve()
    this.sqliteDirect ??= SqliteDirect.open(this.db).then(
      (opened) => {
        if (typeof opened !== 'string') return opened
        this.logger.warn(`[jobs-kit] PrismaAdapter \`betterSqlite3\` is ignored: ${opened}; workers run their statements through Prisma.`)
        return undefined
      },
      (error: unknown) => {
        this.sqliteDirect = undefined
        throw error
      },
    )
    return this.sqliteDirect
  }

  /**
   * The `pg` or `notify` option, or undefined with a warning when its
   * connection string is Prisma Accelerate's (`prisma://`,
   * `prisma+postgres://`): HTTP, not PostgreSQL's protocol, so `pg` cannot
   * connect and every `find` would fail. `jobs-kit setup` gives both options
   * the app's URL variable, whose value it often cannot see (set only where
   * the app is deployed). Without them workers query through Prisma and poll.
   */
  private unlessAccelerate<T>(name: 'pg' | 'notify' | 'mariadb', option: T): T | undefined {
    const url = (option as { connectionString?: unknown } | undefined)?.connectionString
    if (typeof url !== 'string' || !/^prisma(\+postgres)?:\/\//i.test(url.trim())) return option
    this.logger.warn(
      `[jobs-kit] PrismaAdapter \`${name}\` is ignored: its connectionString is a Prisma Accelerate URL (${url.trim().split(':')[0]}://), ` +
        `which ${name === 'mariadb' ? 'mariadb' : 'pg'} cannot connect to. Give it a direct ${name === 'mariadb' ? 'mysql://' : 'postgresql://'} URL ` +
        '(your directUrl), or remove the option; workers query through Prisma and poll.',
    )
    return undefined
  }

  /**
   * Ends the `pg` or `mariadb` pool the adapter opened from a `connectionString` and the
   * LISTEN connection of `notify`; never the app's Prisma client or a pool the
   * app passed in.
   */
  async close(): Promise<void> {
    const listener = this.listener
    this.listener = undefined
    await listener?.stop()
    this.fileWatcher?.stop()
    this.fileWatcher = undefined
    await this.pgPool?.end()
    await this.mariadbPool?.end()
    const direct = this.sqliteDirect
    this.sqliteDirect = undefined
    ;(await direct?.catch(() => undefined))?.close()
  }

  /**
   * The jobs table as the worker's statements name it: on the `pg` pool, once
   * qualified (`qualifyForPool`, done before the pool's first statement), else
   * as resolved.
   */
  private workerTable(): JobTable {
    return this.poolTable ?? this.resolve().table
  }

  /**
   * The `pg` option's pool connects with the URL as given, and node-postgres
   * ignores Prisma's `?schema=`: an unqualified table there resolves on the
   * pool's own search_path (`public`), not where Prisma's connections find it
   * (Prisma 6's own engine sets search_path from `?schema=`). So when no
   * schema is known (`resolveJobTable`), ask
   * Prisma's connection, once, which schema its unqualified name resolves in,
   * and qualify the pool's statements with it. A table Prisma's connections
   * cannot see is an error here, at the worker's first find, not a
   * "relation does not exist" later.
   */
  private async qualifyForPool(): Promise<void> {
    const table = this.resolve().table
    if (table.schema !== undefined) {
      this.poolTable = table
      return
    }
    this.poolTableLookup ??= lookUpSchema(this.db, table).then(
      (schema) => ({ ...table, schema, table: qualifiedTable('postgresql', table.tableName, schema) }),
      (error: unknown) => {
        this.poolTableLookup = undefined
        throw error
      },
    )
    this.poolTable = await this.poolTableLookup
  }

  /** The provider in use (detected from the client unless given). */
  get provider(): string {
    return this.resolve().provider
  }

  async schedule(input: ScheduleInput): Promise<number> {
    const client = (input.db ?? this.db) as PrismaClientLike
    const due = input.runAt.getTime() <= Date.now()
    const { dialect, table } = this.resolve()
    let id: number
    if (this.notify && dialect === 'postgresql' && due) id = await scheduleAndNotifyPostgresql(client, table, input)
    else id = await this.insert(client, input)
    // Workers in this very process (a job scheduling another) need no database to hear of it.
    if (due) this.wakeSubscribers(input.queue)
    return id
  }

  /**
   * Stores many jobs, all or none, and returns their ids in order: a few
   * statements per chunk on PostgreSQL, MySQL/MariaDB and SQLite (see
   * `sql/schedule-many-*.ts`), one `create` per job elsewhere. Several
   * chunks, or MySQL's three statements, run in one transaction: the
   * caller's `db` when given, else one the adapter opens.
   */
  async scheduleMany(input: ScheduleManyInput): Promise<number[]> {
    const { jobs } = input
    if (jobs.length === 0) return []
    const { dialect, table } = this.resolve()
    const now = new Date()
    const dueQueues = [...new Set(jobs.filter((job) => job.runAt.getTime() <= now.getTime()).map((job) => job.queue))]
    const chunkSize =
      dialect === 'postgresql' ? SCHEDULE_MANY_CHUNK_POSTGRESQL : dialect === 'mysql' ? SCHEDULE_MANY_CHUNK_MYSQL : dialect === 'sqlite' ? SCHEDULE_MANY_CHUNK_SQLITE : 1
    const maxBytes = dialect === 'mysql' ? SCHEDULE_MANY_BYTES_MYSQL : Number.POSITIVE_INFINITY
    const chunks = chunkJobs(jobs, chunkSize, maxBytes)
    const store = async (client: PrismaClientLike): Promise<number[]> => {
      const ids: number[] = []
      let offset = 0
      for (const chunk of chunks) {
        if (dialect === 'postgresql') {
          // The notification rides with the first chunk: delivered at commit, with every chunk.
          const notifyQueues = this.notify && offset === 0 ? dueQueues : []
          ids.push(...(await scheduleManyPostgresql(client, table, this.idColumnName(), chunk, now, notifyQueues)))
        } else if (dialect === 'mysql') ids.push(...(await scheduleManyMysql(client, table, chunk, now)))
        else if (dialect === 'sqlite') {
          // Asked once per adapter, through the client in use (a query on another connection would wait for this transaction).
          this.sqliteDateFormat ??= readSqliteDateFormat(client)
          ids.push(...(await scheduleManySqlite(client, table, chunk, now, await this.sqliteDateFormat)))
        }
        else for (const job of chunk) ids.push(await this.insert(client, job))
        offset += chunk.length
      }
      return ids
    }
    const oneStatement = chunks.length === 1 && dialect !== 'mysql' && dialect !== undefined
    let ids: number[]
    if (input.db !== undefined) ids = await store(input.db as PrismaClientLike)
    else if (oneStatement) ids = await store(this.db)
    else {
      if (typeof this.db.$transaction !== 'function') {
        throw new InvalidConfigError('PrismaAdapter.scheduleMany needs the app\'s PrismaClient (with $transaction) to store jobs in one transaction.')
      }
      // A large call can outlast Prisma's default 5 s transaction timeout on a loaded machine; the rows are ours alone until commit.
      ids = (await this.db.$transaction((tx) => store(tx), { maxWait: 10_000, timeout: SCHEDULE_MANY_TIMEOUT_MS })) as number[]
    }
    for (const queue of dueQueues) this.wakeSubscribers(queue)
    return ids
  }

  /** The id column's name as the database knows it (`@map`ped or not), for PostgreSQL's `pg_get_serial_sequence`. */
  private idColumnName(): string {
    const { table } = this.resolve()
    for (const [column, field] of table.fieldOfColumn) if (field === 'id') return column
    return 'id'
  }

  /** Wakes this process's idle workers that serve `queue` (a due job was scheduled there). */
  private wakeSubscribers(queue: string): void {
    for (const subscriber of this.subscribers) if (servesQueue(subscriber.queues, queue)) subscriber.wake()
  }

  /**
   * Wakes `wake` for due jobs scheduled through this adapter in this process;
   * with `notify` on PostgreSQL, for jobs scheduled anywhere; on SQLite (unless
   * `watchSqliteFile: false`), whenever any process commits to the database file.
   */
  async subscribe(input: { queues: '*' | string[]; wake: () => void; sleeping?: () => boolean }): Promise<() => Promise<void>> {
    const subscriber = { queues: input.queues, wake: input.wake, sleeping: input.sleeping }
    this.subscribers.add(subscriber)
    if (this.notify && this.resolve().dialect === 'postgresql' && !this.listener) {
      const listener = new NotifyListener(
        this.notify.connectionString,
        (queue) => {
          this.wakeSubscribers(queue)
        },
        this.logger,
      )
      this.listener = listener
      try {
        await listener.start()
      } catch (error) {
        this.listener = undefined
        this.subscribers.delete(subscriber)
        await listener.stop()
        throw error
      }
    }
    if (this.sqliteWal && this.resolve().dialect === 'sqlite' && !this.walApplied) {
      this.walApplied = true
      await this.switchToWal()
    }
    if (this.watchSqliteFile && this.resolve().dialect === 'sqlite' && !this.fileWatcher) {
      try {
        await this.watchDatabaseFile()
      } catch (error) {
        // Not fatal: this process's own schedules still wake its workers, and everyone polls.
        this.logger.warn(
          `[jobs-kit] cannot watch the SQLite database file for commits by other processes (${(error as Error).message}); ` +
            'workers pick up their jobs at their next poll (sleepDelay)',
        )
      }
    }
    return async () => {
      this.subscribers.delete(subscriber)
      if (this.subscribers.size > 0) return
      this.fileWatcher?.stop()
      this.fileWatcher = undefined
      this.wakeFilter?.stop()
      this.wakeFilter = undefined
      if (this.listener) {
        const listener = this.listener
        this.listener = undefined
        await listener.stop()
      }
    }
  }

  /**
   * SQLite: `PRAGMA journal_mode = WAL`, which answers with the mode in force
   * (the old one when the switch was refused). Never throws: a database left
   * in its journal mode works, only slower.
   */
  private async switchToWal(): Promise<void> {
    let mode = 'unknown'
    try {
      const rows = (await this.db.$queryRawUnsafe('PRAGMA journal_mode = WAL')) as Record<string, unknown>[]
      mode = String(Object.values(rows[0] ?? {})[0] ?? 'unknown').toLowerCase()
    } catch (error) {
      mode = `unchanged: ${(error as Error).message}`
    }
    if (mode === 'wal') return
    this.logger.warn(
      `[jobs-kit] sqliteWal: the database did not switch to WAL journal mode (${mode}); it works as it is, but reads wait for writes. ` +
        'It switches once no other connection is writing (the next worker start tries again), or remove `sqliteWal` from the adapter options.',
    )
  }

  /**
   * SQLite: after a commit by any process, looks whether a job is due for one
   * of the subscribers (a read) and wakes them all if so; the file does not
   * say what was committed. See `sqlite-wake-filter.ts` for why the look.
   */
  private async watchDatabaseFile(): Promise<void> {
    const rows = (await this.db.$queryRawUnsafe(`SELECT file FROM pragma_database_list WHERE name = 'main'`)) as { file?: unknown }[]
    const file = rows[0]?.file
    // An in-memory or temporary database has no file, and no other process can write to it.
    if (typeof file !== 'string' || file === '') return
    // Another subscribe started it while we asked, or every worker left meanwhile.
    if (this.fileWatcher || this.subscribers.size === 0) return
    const filter = new SqliteWakeFilter(
      async () => {
        const queues = this.subscribedQueues()
        // Every worker left while the watcher still had a commit to tell.
        if (queues !== '*' && queues.length === 0) return false
        return anyDueJobSqlite(this.db, this.resolve().table, queues, new Date())
      },
      () => {
        for (const each of this.subscribers) each.wake()
      },
      // A subscriber that cannot say counts as asleep: it is looked for on every commit.
      () => [...this.subscribers].some((each) => each.sleeping?.() ?? true),
    )
    const watcher = new SqliteCommitWatcher(file, () => filter.committed(), this.logger)
    watcher.start()
    this.fileWatcher = watcher
    this.wakeFilter = filter
  }

  /** Every queue some subscriber serves: `'*'` if one serves all. */
  private subscribedQueues(): '*' | string[] {
    const queues = new Set<string>()
    for (const subscriber of this.subscribers) {
      if (subscriber.queues === '*') return '*'
      for (const queue of subscriber.queues) queues.add(queue)
    }
    return [...queues]
  }

  private async insert(client: PrismaClientLike, input: Omit<ScheduleInput, 'db'>): Promise<number> {
    const row = await this.delegate(client).create({
      data: {
        handler: JSON.stringify(input.handler),
        queue: input.queue,
        priority: input.priority,
        runAt: input.runAt,
      },
      select: { id: true },
    })
    return Number(row.id)
  }

  async find(input: FindInput): Promise<StoredJob[]> {
    const limit = findLimit(input)
    if (limit === 0) return []
    const { dialect, table } = this.resolve()
    const filter = this.dueFilter(input)
    let jobs: StoredJob[]
    try {
      if (dialect === 'postgresql') {
        const query = await this.workerQuery()
        jobs = await findPostgresql(query, this.workerTable(), filter, limit, this.claimedRows)
      }
      else if (dialect === 'mysql' && this.mariadbPool) jobs = await claimOnMariadbPool(this.mariadbPool, table, [], filter, limit)
      else if (dialect === 'mysql') jobs = await findMysql(this.db, table, filter, limit)
      else if (dialect === 'sqlite') jobs = await findSqlite(await this.workerQuery(), table, filter, limit)
      else jobs = await findWithCompareAndSet(this.delegate(this.db), filter, limit)
    } catch (error) {
      // No jobs table where this adapter looks (no migration, or a schema that does not exist): a worker logged
      // the driver's stack every sleepDelay for ever. Before any find succeeded, say so once and let the worker stop.
      if (!this.foundOnce && isMissingTable(error)) throw this.missingTableError(error)
      throw error
    }
    this.foundOnce = true
    return jobs
  }

  /** What a worker says, and stops with, when its first find meets no jobs table. */
  private missingTableError(error: unknown): ModelNotFoundError {
    const table = this.workerTable()
    const where =
      table.schema !== undefined
        ? ` It is looked for as ${table.table}: schema "${table.schema}" comes from the model's @@schema, PrismaAdapter's \`schema\` option or the driver adapter's (new PrismaPg({ connectionString }, { schema })); check that it names the schema your migrations created.`
        : ''
    return new ModelNotFoundError(`The jobs table of model ${this.model} is missing. ${explainDatabaseFailure(error, this.model)}${where}`)
  }

  /**
   * `success` for each of `jobs`, then `find` when `next` is given. With
   * `deleteJob`, on PostgreSQL one statement does both
   * (`sql/finish-and-find-postgresql.ts`), on MySQL one transaction
   * (`sql/finish-and-find-mysql.ts`); elsewhere one `deleteMany` for the
   * batch, then the find. Those files say how the guarantees hold.
   */
  async successAndFind({ jobs, deleteJob, next }: { jobs: StoredJob[]; deleteJob: boolean; next?: FindInput }): Promise<StoredJob[]> {
    const limit = next ? findLimit(next) : 0
    if (jobs.length === 0) return next ? this.find(next) : []
    const ids = jobs.map((job) => job.id)
    const { dialect, table } = this.resolve()
    if (deleteJob && next && limit > 0) {
      if (dialect === 'postgresql') {
        const query = await this.workerQuery()
        return finishAndFindPostgresql(query, this.workerTable(), ids, this.dueFilter(next), limit, this.claimedRows)
      }
      if (dialect === 'mysql' && this.mariadbPool) return claimOnMariadbPool(this.mariadbPool, table, ids, this.dueFilter(next), limit)
      if (dialect === 'mysql') return finishAndFindMysql(this.db, table, ids, this.dueFilter(next), limit)
      const direct = dialect === 'sqlite' ? await this.direct() : undefined
      if (direct) return finishAndFindSqlite(direct, table, ids, this.dueFilter(next), limit)
    }
    if (deleteJob) await this.reports.deleteFinished(ids)
    else await this.keepFinished(jobs)
    return next ? this.find(next) : []
  }

  /**
   * Keeps a batch of succeeded jobs as done: one statement per holder (a
   * worker's batch has one), so a write the database refuses records none of
   * them and the worker can record each again alone without any having been
   * recorded already (one `success` per job, the first recorded before a
   * later one failed, made each retried one look taken by another worker).
   */
  private async keepFinished(jobs: StoredJob[]): Promise<void> {
    const byHolder = new Map<string | null, number[]>()
    for (const job of jobs) byHolder.set(job.lockedBy, [...(byHolder.get(job.lockedBy) ?? []), job.id])
    for (const [lockedBy, ids] of byHolder) {
      const count = await this.reports.keepFinished(ids, lockedBy)
      if (count === ids.length) continue
      this.logger.warn(
        `[jobs-kit] ${ids.length - count} of jobs ${ids.join(', ')}: their success was not recorded because ${lockedBy ?? 'this worker'} no longer holds them ` +
          `(their lock went stale and another worker took them, or the rows were deleted).`,
      )
    }
  }

  async success({ job, deleteJob }: { job: StoredJob; deleteJob: boolean }): Promise<void> {
    await this.record(job, deleteJob ? { kind: 'deleteFinished' } : { kind: 'keepFinished' }, 'success')
  }

  async error({ job, error, retryAt }: ErrorInput): Promise<void> {
    await this.record(job, { kind: 'retry', lastError: formatStoredError(error), retryAt }, 'failed attempt')
  }

  async failure({ job, error, deleteJob }: { job: StoredJob; error: Error; deleteJob: boolean }): Promise<void> {
    await this.record(job, deleteJob ? { kind: 'deleteGivenUp' } : { kind: 'giveUp', lastError: formatStoredError(error) }, 'failure')
  }

  /** Unlocks jobs found but not run, taking back the attempt `find` counted; only where this process still holds them. */
  async release({ jobs }: { jobs: StoredJob[] }): Promise<void> {
    for (const job of jobs) {
      // Through Prisma with or without the `pg` option: it is rare (a worker stopped while a find was in flight).
      await this.delegate(this.db).updateMany({
        where: { id: job.id, lockedBy: job.lockedBy },
        data: { lockedAt: null, lockedBy: null, attempts: { decrement: 1 } },
      })
    }
  }

  async clear(input: ClearInput = {}): Promise<number> {
    const where = input.queues ? { queue: { in: input.queues } } : {}
    const { count } = await this.delegate(this.db).deleteMany({ where })
    return count
  }

  /** Renews `lockedAt` of the given jobs, only where this process still holds them. */
  async heartbeat({ jobs, processName }: { jobs: StoredJob[]; processName: string }): Promise<void> {
    if (jobs.length === 0) return
    await this.reports.heartbeat(jobs.map((job) => job.id), processName)
  }

  /**
   * Counts per queue. `running` counts locks fresher than `staleAfterSeconds`;
   * an older lock is stale and its job counts as waiting again. The default is
   * the stale threshold workers use with this adapter (they renew their locks
   * by heartbeat): `DEFAULT_STALE_LOCK_SECONDS`.
   */
  async status(input: { staleAfterSeconds?: number } = {}): Promise<QueueCounts[]> {
    try {
      return await countJobsByQueue(this.delegate(this.db), new Date(), input.staleAfterSeconds ?? DEFAULT_STALE_LOCK_SECONDS)
    } catch (error) {
      // `status` prints this: the reason and what to do, not Prisma's code frame.
      throw new Error(explainDatabaseFailure(error, this.model), { cause: error })
    }
  }

  /**
   * Writes a worker's report. A report that changed nothing came too late: the
   * worker no longer holds the job (a deleted finished job needs no warning:
   * its work is done whoever held it).
   */
  private async record(job: StoredJob, report: JobReport, outcome: string): Promise<void> {
    const count = await this.reports.report(job, report)
    if (count > 0 || report.kind === 'deleteFinished') return
    this.logger.warn(
      `[jobs-kit] job ${job.id}: its ${outcome} was not recorded because ${job.lockedBy ?? 'this worker'} no longer holds it ` +
        `(its lock went stale and another worker took it, or the row was deleted).`,
    )
  }

  /** The due rule's values for one `find`. */
  private dueFilter(input: FindInput): DueFilter {
    const now = new Date()
    const staleAfterSeconds = input.staleAfterSeconds ?? DEFAULT_STALE_LOCK_SECONDS
    return {
      now,
      staleBefore: new Date(now.getTime() - staleAfterSeconds * 1000),
      processName: input.processName,
      takeBackLockedBefore: input.workerStartedAt,
      queues: input.queues,
    }
  }

  private delegate(client: PrismaClientLike): PrismaModelDelegate {
    const { table } = this.resolve()
    const delegate = client[table.delegateName] as PrismaModelDelegate | undefined
    if (!delegate || typeof delegate.create !== 'function') {
      throw new ModelNotFoundError(
        `The Prisma client passed to PrismaAdapter has no \`${table.delegateName}\` model delegate. ` +
          `Run \`npx prisma generate\` after adding the ${this.model} model, and pass that client (or its transaction client).`,
      )
    }
    return delegate
  }

  private resolve(): { provider: string; dialect: SqlDialect | undefined; table: JobTable } {
    if (this.resolved) return this.resolved
    const provider = this.providerOption ? normalizeProvider(this.providerOption) : detectProvider(this.db)
    const dialect: SqlDialect | undefined =
      provider === 'postgresql' || provider === 'mysql' || provider === 'sqlite' ? provider : undefined
    if (this.betterSqlite3 && dialect !== 'sqlite') {
      throw new InvalidConfigError(
        `PrismaAdapter \`betterSqlite3\` opens the SQLite database file with better-sqlite3, but this Prisma client's provider is ${provider}. ` +
          'Remove the `betterSqlite3` option: it is for SQLite only.',
      )
    }
    if (this.pgPool && dialect !== 'postgresql') {
      throw new InvalidConfigError(
        `PrismaAdapter \`pg\` runs the worker's queries through a PostgreSQL pool, but this Prisma client's provider is ${provider}. ` +
          'Remove the `pg` option: it is for PostgreSQL only.',
      )
    }
    if (this.mariadbPool && dialect !== 'mysql') {
      throw new InvalidConfigError(
        `PrismaAdapter \`mariadb\` runs the worker's queries through a MySQL/MariaDB pool, but this Prisma client's provider is ${provider}. ` +
          'Remove the `mariadb` option: it is for MySQL and MariaDB only.',
      )
    }
    const table = resolveJobTable(this.db, this.model, dialect ?? 'postgresql', { schema: this.schema })
    this.resolved = { provider, dialect, table }
    return this.resolved
  }
}

/**
 * How long `scheduleMany`'s own transaction may take (Prisma's default is 5 s):
 * 40,000 jobs took 3–5 s on the 2-core test machine at load 10–28.
 */
const SCHEDULE_MANY_TIMEOUT_MS = 120_000

function servesQueue(queues: '*' | string[], queue: string): boolean {
  return queues === '*' || queues.includes(queue)
}

/** How many jobs a `find` may lock: 0 when it should not look at all. */
function findLimit(input: FindInput): number {
  const limit = Math.floor(input.limit ?? DEFAULT_FIND_LIMIT)
  if (!(limit >= 1) || (input.queues !== '*' && input.queues.length === 0)) return 0
  return limit
}

/**
 * The schema in which Prisma's connection resolves the unqualified jobs table
 * (its search_path), or a `ModelNotFoundError` saying what to do when it does
 * not find it there.
 */
async function lookUpSchema(db: PrismaClientLike, table: JobTable): Promise<string> {
  const rows = (await db.$queryRawUnsafe(
    'SELECT n.nspname::text AS "schema", current_setting(\'search_path\') AS "searchPath" FROM (SELECT to_regclass($1::text) AS oid) AS t ' +
      'LEFT JOIN pg_catalog.pg_class c ON c.oid = t.oid LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace',
    table.table,
  )) as { schema: string | null; searchPath: string }[]
  const found = rows[0]
  if (typeof found?.schema === 'string') return found.schema
  throw new ModelNotFoundError(
    `The jobs table ${table.table} is not on the search_path of your Prisma client's connections (${found?.searchPath ?? 'unknown'}), ` +
      'so the worker cannot query it through the `pg` pool. If your tables live in a schema other than public, tell the adapter: ' +
      "new PrismaAdapter({ db, schema: 'myapp', pg: { … } }) (or give the driver adapter its schema: new PrismaPg({ connectionString }, { schema: 'myapp' })); " +
      'else create the table (`npx prisma migrate deploy`).',
  )
}
