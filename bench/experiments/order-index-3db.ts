/**
 * Should the jobs table's indexes end in `id`, like the claim's order
 * (`priority, runAt, id`)? On PostgreSQL, MariaDB and SQLite, with 20,000 due
 * jobs over 4 queues, two tables side by side: the shipped indexes
 * `(priority, runAt)` + `(queue, priority, runAt)` ("shipped": the previous
 * template's) and both with `id` appended ("id": the current template's). Runs the worker's own SQL (the adapter's due condition
 * and order): a finish-and-find per job (delete the previous job, claim the
 * next; one statement on PostgreSQL, one transaction on MariaDB, two
 * statements on SQLite), in rounds of 500 alternating between the tables so
 * load hits both alike. The first round runs on a fresh table, the later ones
 * after churn (the deleted rows of the rounds before, no vacuum). Two shapes:
 * every job its own runAt (`later()` one at a time) and 1,000 jobs per runAt
 * (a bulk enqueue, one `waitUntil` for many). Prints the plans (after churn)
 * of the claim on every queue, on one queue and on two. (diagnostic)
 *
 *   tsx bench/experiments/order-index-3db.ts [postgresql|mysql|sqlite ...]
 */
import { execSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as mariadb from 'mariadb'
import pg from 'pg'
import type { JobTable } from '../../src/runtime/adapters/prisma/job-table.js'
import { quoteIdentifier, SqlParameters, type SqlDialect } from '../../src/runtime/adapters/prisma/sql/dialect.js'
import { dueCondition, dueOrder, type DueFilter } from '../../src/runtime/adapters/prisma/sql/due-condition.js'
import { claimDueJobsSql } from '../../src/runtime/adapters/prisma/sql/find-postgresql.js'
import { createBenchDatabase, type BenchDatabase, type Provider } from '../lib/databases.js'
import { median } from '../lib/stats.js'

const ROWS = 20_000
const ROUND = 500
const ROUNDS = 6
const QUEUES = ['q0', 'q1', 'q2', 'q3']
const STALE_MS = 60_000
type Variant = 'shipped' | 'id'

function jobTable(dialect: SqlDialect): JobTable {
  const q = (name: string) => quoteIdentifier(dialect, name)
  const fields = ['id', 'attempts', 'handler', 'queue', 'priority', 'runAt', 'lockedAt', 'lockedBy', 'lastError', 'failedAt', 'createdAt', 'updatedAt'] as const
  return {
    delegateName: 'backgroundJob',
    table: q('BackgroundJob'),
    tableName: 'BackgroundJob',
    schema: undefined,
    column: Object.fromEntries(fields.map((field) => [field, q(field)])) as JobTable['column'],
    fieldOfColumn: new Map(fields.map((field) => [field, field])),
  }
}

function filter(queues: '*' | string[]): DueFilter {
  const now = new Date()
  return { now, staleBefore: new Date(now.getTime() - STALE_MS), processName: 'host:bench', queues }
}

/** The jobs table: "shipped" = the previous template's indexes (migrations/previous-indexes), "id" = the current template's. */
function tableSql(provider: Provider, variant: Variant): string {
  const folder = variant === 'shipped' ? 'templates/schema/migrations/previous-indexes' : 'templates/schema/migrations'
  return readFileSync(join(folder, `${provider}.sql`), 'utf8')
}

interface Table {
  /** Deletes `finished` (if any) and claims the next due job; returns its id. */
  finishAndFind(finished: number | undefined, queues: '*' | string[]): Promise<number>
  plan(queues: '*' | string[], limit: number): Promise<string>
  fill(jobsPerRunAt: number): Promise<void>
  close(): Promise<void>
}

const HANDLER = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
const BASE = Date.UTC(2020, 0, 1)
const runAtOf = (i: number, jobsPerRunAt: number) => new Date(BASE + Math.floor(i / jobsPerRunAt))

async function postgresTable(db: BenchDatabase, variant: Variant): Promise<Table> {
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  await client.query(tableSql('postgresql', variant))
  const table = jobTable('postgresql')
  const claim = (finished: number | undefined, queues: '*' | string[], limit = 1) => {
    const parameters = new SqlParameters('postgresql')
    const lead = finished === undefined ? '' : `finished AS (DELETE FROM ${table.table} WHERE "id" IN ${parameters.addList([finished])}),`
    const f = filter(queues)
    const sql = claimDueJobsSql(table, parameters, finished === undefined ? f : { ...f, excludeIds: [finished] }, limit, lead)
    return { sql, values: parameters.values }
  }
  return {
    async finishAndFind(finished, queues) {
      const { sql, values } = claim(finished, queues)
      const { rows } = await client.query(sql, values)
      return rows[0].id
    },
    async plan(queues, limit) {
      const { sql, values } = claim(undefined, queues, limit)
      await client.query('BEGIN')
      const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, values)
      await client.query('ROLLBACK')
      return rows.map((row) => row['QUERY PLAN']).filter((line: string) => /Sort|Index|Rows Removed|Buffers: shared hit=\d+$|Execution/.test(line)).join('\n')
    },
    async fill(jobsPerRunAt) {
      await client.query('DELETE FROM "BackgroundJob"')
      await client.query('VACUUM "BackgroundJob"')
      await client.query(
        `INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt")
         SELECT $1, 'q' || (i % 4), 50, $2::timestamp + (i / ${jobsPerRunAt}) * interval '1 ms', now(), now() FROM generate_series(0, ${ROWS - 1}) i`,
        [HANDLER, new Date(BASE).toISOString().replace('Z', '')],
      )
      await client.query('ANALYZE "BackgroundJob"')
    },
    close: () => client.end(),
  }
}

async function mariadbTable(db: BenchDatabase, variant: Variant): Promise<Table> {
  const connection = await mariadb.createConnection({ ...parse(db.url), multipleStatements: true, timezone: 'Z' })
  await connection.query(tableSql('mysql', variant))
  await connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
  const table = jobTable('mysql')
  const select = (queues: '*' | string[], limit: number, excludeIds?: number[]) => {
    const parameters = new SqlParameters('mysql')
    const due = dueCondition(table, parameters, { ...filter(queues), excludeIds })
    return { sql: `SELECT * FROM ${table.table} WHERE ${due} ORDER BY ${dueOrder(table)} LIMIT ${parameters.add(limit)} FOR UPDATE SKIP LOCKED`, values: parameters.values }
  }
  return {
    async finishAndFind(finished, queues) {
      await connection.beginTransaction()
      if (finished !== undefined) await connection.query('DELETE FROM `BackgroundJob` WHERE `id` IN (?)', [finished])
      const { sql, values } = select(queues, 1, finished === undefined ? undefined : [finished])
      const rows = await connection.query(sql, values)
      const now = new Date()
      await connection.query('UPDATE `BackgroundJob` SET `attempts` = `attempts` + 1, `lockedAt` = ?, `lockedBy` = ?, `updatedAt` = ? WHERE `id` IN (?)', [now, 'host:bench', now, rows[0].id])
      await connection.commit()
      return rows[0].id
    },
    async plan(queues, limit) {
      const { sql, values } = select(queues, limit)
      await connection.beginTransaction()
      const rows = await connection.query(`ANALYZE ${sql}`, values)
      await connection.rollback()
      return rows.map((row: Record<string, unknown>) => `key=${row.key} type=${row.type} rows=${row.rows} r_rows=${row.r_rows} r_filtered=${row.r_filtered} Extra=${row.Extra}`).join('\n')
    },
    async fill(jobsPerRunAt) {
      await connection.query('DELETE FROM `BackgroundJob`')
      for (let start = 0; start < ROWS; start += 1000) {
        const rows = Array.from({ length: 1000 }, (_, k) => start + k).map((i) => [HANDLER, QUEUES[i % 4], 50, runAtOf(i, jobsPerRunAt), new Date(), new Date()])
        await connection.batch('INSERT INTO `BackgroundJob` (handler, queue, priority, runAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)', rows)
      }
      await connection.query('ANALYZE TABLE `BackgroundJob`')
    },
    close: () => connection.end(),
  }
}

async function sqliteTable(db: BenchDatabase, variant: Variant): Promise<Table> {
  const sqlite = new Database(db.file!)
  sqlite.pragma('journal_mode = WAL')
  sqlite.exec(tableSql('sqlite', variant))
  const table = jobTable('sqlite')
  // The Prisma driver adapter binds dates as ISO text by default.
  const bind = (values: unknown[]) => values.map((value) => (value instanceof Date ? value.toISOString() : value))
  const claim = (queues: '*' | string[], limit: number, excludeIds?: number[]) => {
    const parameters = new SqlParameters('sqlite')
    const f = { ...filter(queues), excludeIds }
    const set = `"attempts" = "attempts" + 1, "lockedAt" = ${parameters.add(f.now)}, "lockedBy" = ${parameters.add(f.processName)}, "updatedAt" = ${parameters.add(f.now)}`
    const due = dueCondition(table, parameters, f)
    const inner = `SELECT "id" FROM ${table.table} WHERE ${due} ORDER BY ${dueOrder(table)} LIMIT ${parameters.add(limit)}`
    return { sql: `UPDATE ${table.table} SET ${set} WHERE "id" IN (${inner}) RETURNING *`, values: bind(parameters.values) }
  }
  const remove = sqlite.prepare('DELETE FROM "BackgroundJob" WHERE "id" IN (?)')
  return {
    async finishAndFind(finished, queues) {
      if (finished !== undefined) remove.run(finished)
      const { sql, values } = claim(queues, 1, finished === undefined ? undefined : [finished])
      return (sqlite.prepare(sql).get(...values) as { id: number }).id
    },
    async plan(queues, limit) {
      const { sql, values } = claim(queues, limit)
      return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>).map((row) => row.detail).join('\n')
    },
    async fill(jobsPerRunAt) {
      sqlite.exec('DELETE FROM "BackgroundJob"')
      const insert = sqlite.prepare('INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") VALUES (?, ?, 50, ?, ?, ?)')
      const now = new Date().toISOString()
      sqlite.transaction(() => {
        for (let i = 0; i < ROWS; i++) insert.run(HANDLER, QUEUES[i % 4], runAtOf(i, jobsPerRunAt).toISOString(), now, now)
      })()
    },
    close: async () => sqlite.close(),
  }
}

function parse(url: string) {
  const u = new URL(url)
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: u.pathname.slice(1) }
}

const open: Record<Provider, (db: BenchDatabase, variant: Variant) => Promise<Table>> = { postgresql: postgresTable, mysql: mariadbTable, sqlite: sqliteTable }

async function measure(provider: Provider) {
  const databases = { shipped: await createBenchDatabase(provider, 'ordidx_a'), id: await createBenchDatabase(provider, 'ordidx_b') }
  const tables = { shipped: await open[provider](databases.shipped, 'shipped'), id: await open[provider](databases.id, 'id') }
  try {
    for (const jobsPerRunAt of [1, 1000]) {
      console.log(`\n=== ${provider}, ${ROWS} due jobs, ${jobsPerRunAt === 1 ? 'own runAt each' : `${jobsPerRunAt} jobs per runAt`}; load ${execSync('cat /proc/loadavg').toString().trim()}`)
      for (const table of Object.values(tables)) await table.fill(jobsPerRunAt)
      const last: Record<Variant, number | undefined> = { shipped: undefined, id: undefined }
      const perRound: Record<Variant, number[]> = { shipped: [], id: [] }
      for (let round = 0; round < ROUNDS; round++) {
        for (const variant of (round % 2 ? ['id', 'shipped'] : ['shipped', 'id']) as Variant[]) {
          const started = performance.now()
          for (let i = 0; i < ROUND; i++) last[variant] = await tables[variant].finishAndFind(last[variant], '*')
          perRound[variant].push((performance.now() - started) / ROUND)
        }
      }
      for (const variant of ['shipped', 'id'] as Variant[]) {
        const rounds = perRound[variant]
        console.log(`finish-and-find ms/job, ${variant.padEnd(7)}: fresh ${rounds[0]!.toFixed(3)}, after churn median ${median(rounds.slice(1)).toFixed(3)} [${rounds.slice(1).map((ms) => ms.toFixed(3)).join(' ')}]`)
      }
      const queued: Record<Variant, number[]> = { shipped: [], id: [] }
      for (let round = 0; round < 4; round++) {
        for (const variant of (round % 2 ? ['id', 'shipped'] : ['shipped', 'id']) as Variant[]) {
          const started = performance.now()
          for (let i = 0; i < 200; i++) last[variant] = await tables[variant].finishAndFind(last[variant], ['q1'])
          queued[variant].push((performance.now() - started) / 200)
        }
      }
      for (const variant of ['shipped', 'id'] as Variant[]) console.log(`queue q1 finish-and-find ms/job, ${variant.padEnd(7)}: median ${median(queued[variant]).toFixed(3)} [${queued[variant].map((ms) => ms.toFixed(3)).join(' ')}]`)
      for (const variant of ['shipped', 'id'] as Variant[]) {
        for (const [label, queues, limit] of [['every queue, limit 1', '*', 1], ['queue q1, limit 1', ['q1'], 1], ['queues q1,q2, limit 5', ['q1', 'q2'], 5]] as const) {
          console.log(`-- plan ${variant}, ${label} (after churn):\n${(await tables[variant].plan(queues as '*' | string[], limit)).replace(/^/gm, '    ')}`)
        }
      }
    }
  } finally {
    for (const table of Object.values(tables)) await table.close()
    for (const db of Object.values(databases)) await db.drop()
  }
}

const providers = (process.argv.slice(2).length ? process.argv.slice(2) : ['postgresql', 'mysql', 'sqlite']) as Provider[]
for (const provider of providers) await measure(provider)
