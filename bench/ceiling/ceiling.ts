/**
 * The ceiling for one database: the claim and delete of `claim-sql.ts` run
 * straight through the driver (pg, mariadb, better-sqlite3) by real worker
 * processes, on the same table jobs-kit uses (created by the migration SQL we
 * ship). Enqueue ceilings: one `INSERT` per job, and multi-row `INSERT`s of
 * 1,000 rows.
 */
import Database from 'better-sqlite3'
import * as mariadb from 'mariadb'
import pg from 'pg'
import { readMigrationSql } from '../../test/support/prisma-clients.js'
import { HIGH_CONCURRENCY_DRAIN } from '../lib/counts.js'
import { createBenchDatabase, mariadbConnectionOptions, type Provider } from '../lib/databases.js'
import { spawnWorker, type WorkerProcess } from '../lib/processes.js'
import type { QueueSystem } from '../lib/queue-system.js'
import { NOOP_HANDLER } from './claim-sql.js'

const WORKER_SCRIPT = 'bench/ceiling/ceiling-process.ts'
const COLUMNS = ['handler', 'queue', 'priority', 'runAt', 'createdAt', 'updatedAt']
const PROVIDER_NAMES: Record<Provider, string> = { postgresql: 'PostgreSQL', mysql: 'MariaDB', sqlite: 'SQLite' }
/**
 * better-sqlite3 12 is built with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1: a connection that opens a
 * WAL file runs synchronous NORMAL (checked: PRAGMA synchronous = 1, through Prisma's
 * better-sqlite3 adapter too, which sets no pragma), one that switched to WAL itself keeps FULL.
 */
const SQLITE_JOURNAL_NOTE =
  'SQLite: WAL journal, as jobs-kit\'s (`sqliteWal: true`), set before the workers open the file, so they run synchronous NORMAL ' +
  '(better-sqlite3\'s WAL default), as jobs-kit\'s workers do through Prisma\'s better-sqlite3 adapter'

/** Runs SQL against the bench database, whatever the driver. */
interface RawConnection {
  exec(sql: string): Promise<void>
  insertRows(count: number): Promise<void>
  count(): Promise<number>
  close(): Promise<void>
}

export async function createCeiling(provider: Provider): Promise<QueueSystem> {
  const db = await createBenchDatabase(provider, 'ceiling')
  const raw = await connect(provider, db.url, db.file)
  const system: QueueSystem = {
    id: `ceiling/${provider}`,
    label: `ceiling: raw SQL (${PROVIDER_NAMES[provider]})`,
    provider,
    measuresLatency: false,
    notes: [
      'one claim + one delete per job through the raw driver; enqueue: one INSERT per job, bulk: 1,000-row INSERTs',
      ...(provider === 'sqlite' ? [SQLITE_JOURNAL_NOTE] : []),
      ...(provider === 'postgresql' ? [`${HIGH_CONCURRENCY_DRAIN.processes} × ${HIGH_CONCURRENCY_DRAIN.concurrency} drain: ${HIGH_CONCURRENCY_DRAIN.concurrency} claim loops per process, each on its own connection`] : []),
    ],
    async prepare() {
      await raw.exec(readMigrationSql(provider, 'default'))
    },
    async enqueueOne() {
      await raw.insertRows(1)
    },
    async enqueueBulk(count) {
      for (let offset = 0; offset < count; offset += 1000) await raw.insertRows(Math.min(1000, count - offset))
    },
    async fill(count) {
      await system.enqueueBulk(count)
    },
    analyze: () => raw.exec(provider === 'mysql' ? 'ANALYZE TABLE `BackgroundJob`' : 'ANALYZE "BackgroundJob"'),
    remaining: () => raw.count(),
    async startWorkers(processes, concurrency, onMessage) {
      const workers: WorkerProcess[] = []
      for (let i = 0; i < processes; i++) {
        workers.push(
          spawnWorker({
            name: `ceiling-${provider}-${i}`,
            nodeArgs: ['--import', 'tsx', WORKER_SCRIPT],
            env: { BENCH_HOLD: '1', BENCH_PROVIDER: provider, BENCH_DB_URL: db.url, BENCH_DB_FILE: db.file ?? '', BENCH_CONCURRENCY: String(concurrency) },
            onMessage,
          }),
        )
      }
      return workers
    },
    async clear() {
      await raw.exec('DELETE FROM ' + (provider === 'mysql' ? '`BackgroundJob`' : '"BackgroundJob"'))
    },
    async close() {
      await raw.close()
      await db.drop()
    },
  }
  return system
}

async function connect(provider: Provider, url: string, file?: string): Promise<RawConnection> {
  // Each row gets its own runAt, one millisecond apart, as jobs scheduled one
  // after the other get. Rows sharing a runAt make PostgreSQL sort them by id
  // on every claim (see docs/benchmarks.md, Findings), which would measure the
  // data, not the queue.
  let nextRunAtMs = Date.now() - 3_600_000
  const rowValues = () => {
    const now = new Date()
    return [NOOP_HANDLER, 'default', 50, new Date(nextRunAtMs++), now, now]
  }
  if (provider === 'postgresql') {
    const client = new pg.Client({ connectionString: url })
    client.on('error', () => {})
    await client.connect()
    return {
      exec: async (sql) => void (await client.query(sql)),
      async insertRows(count) {
        const values: unknown[] = []
        const tuples: string[] = []
        for (let i = 0; i < count; i++) {
          tuples.push(`(${COLUMNS.map((_, j) => `$${values.length + j + 1}`).join(', ')})`)
          values.push(...rowValues())
        }
        await client.query(`INSERT INTO "BackgroundJob" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, values)
      },
      count: async () => (await client.query('SELECT count(*)::int AS n FROM "BackgroundJob"')).rows[0].n,
      close: () => client.end(),
    }
  }
  if (provider === 'mysql') {
    const conn = await mariadb.createConnection({ ...mariadbConnectionOptions(url), multipleStatements: true })
    return {
      exec: async (sql) => void (await conn.query(sql)),
      async insertRows(count) {
        const tuple = `(${COLUMNS.map(() => '?').join(', ')})`
        await conn.query(
          `INSERT INTO \`BackgroundJob\` (${COLUMNS.map((c) => `\`${c}\``).join(', ')}) VALUES ${Array(count).fill(tuple).join(', ')}`,
          Array.from({ length: count }, rowValues).flat(),
        )
      },
      count: async () => Number((await conn.query('SELECT count(*) AS n FROM `BackgroundJob`'))[0].n),
      close: () => conn.end(),
    }
  }
  let lastCount = Number.POSITIVE_INFINITY
  const sqlite = new Database(file!)
  sqlite.pragma('busy_timeout = 5000')
  // WAL, as jobs-kit's SQLite runs (setup writes `sqliteWal: true`): set before any worker opens the
  // file, so each opens it in WAL and gets better-sqlite3's WAL default, synchronous NORMAL, like
  // jobs-kit's workers (SQLITE_JOURNAL_NOTE). In rollback journal mode this ceiling was 630 jobs/s
  // against jobs-kit's 2,139 in WAL: "% of ceiling" above 100 meant nothing.
  const mode = sqlite.pragma('journal_mode = WAL', { simple: true })
  if (mode !== 'wal') throw new Error(`ceiling: the SQLite file did not switch to WAL (${String(mode)})`)
  const insertSql = `INSERT INTO "BackgroundJob" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`
  const insertMany = sqlite.transaction((count: number) => {
    const insert = sqlite.prepare(insertSql)
    for (let i = 0; i < count; i++) insert.run(...rowValues().map((v) => (v instanceof Date ? v.toISOString() : v)))
  })
  return {
    exec: async (sql) => void sqlite.exec(sql),
    insertRows: async (count) => insertMany(count),
    count: async () => {
      try {
        lastCount = (sqlite.prepare('SELECT count(*) AS n FROM "BackgroundJob"').get() as { n: number }).n
      } catch (error) {
        // Four writers can keep a reader out past busy_timeout; the next poll will see.
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error
      }
      return lastCount
    },
    close: async () => void sqlite.close(),
  }
}
