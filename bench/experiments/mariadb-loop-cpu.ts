/**
 * Where the client CPU of a MariaDB job goes, in one process without the
 * runner: the ceiling's loop (bench/ceiling/ceiling-process.ts loopMariadb:
 * BEGIN, SELECT … FOR UPDATE SKIP LOCKED, UPDATE, COMMIT, DELETE, each awaited
 * on one connection) against the adapter's `successAndFind` on its own pool
 * (`mariadb` option), and the adapter's two flights written by hand, to split
 * the difference: on a plain connection with the session options set once
 * (`flights-conn-opts`), with the adapter's per-statement options object
 * (`flights-stmt-opts`), and through a pool's getConnection/release
 * (`flights-pool`). Reports this process's CPU ms per job
 * (process.cpuUsage), median of several interleaved rounds.
 *
 *   tsx bench/experiments/mariadb-loop-cpu.ts [jobs=2000] [rounds=5] [modes=comma list]
 *
 * With --cpu-prof, the profile is of all modes together; pass one mode to profile it alone.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import mariadb from 'mariadb'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { PrismaAdapter } from '../../src/runtime/index.js'
import type { StoredJob } from '../../src/runtime/types.js'
import { MARIADB_DELETE, MARIADB_LOCK, MARIADB_SELECT } from '../ceiling/claim-sql.js'

const jobs = Number(process.argv[2] ?? 2000)
const rounds = Number(process.argv[3] ?? 5)
await generateTestClients()
const database = await createTestDatabase('mysql')
const server = new URL(database.url)
const connectionOptions = {
  host: server.hostname,
  port: Number(server.port || 3306),
  user: decodeURIComponent(server.username),
  database: server.pathname.slice(1),
}
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
const me = 'bench:w.0'
const STALE_MS = 300_000

const SELECT =
  'SELECT * FROM `BackgroundJob` WHERE `runAt` <= ? AND `failedAt` IS NULL AND (`lockedAt` IS NULL OR `lockedAt` < ? OR (`lockedBy` = ? AND `lockedAt` < ?)) ' +
  'ORDER BY `priority` ASC, `runAt` ASC, `id` ASC LIMIT ? FOR UPDATE SKIP LOCKED'
const UPDATE = 'UPDATE `BackgroundJob` SET `attempts` = `attempts` + 1, `lockedAt` = ?, `lockedBy` = ?, `updatedAt` = ? WHERE `id` IN (?)'
const DELETE = 'DELETE FROM `BackgroundJob` WHERE `id` IN (?)'
const SESSION = { dateStrings: true, bigIntAsNumber: true, insertIdAsNumber: true, multipleStatements: true, timezone: '+00:00' }
const STATEMENT_OPTIONS = { dateStrings: true, bigIntAsNumber: true, insertIdAsNumber: true, namedPlaceholders: false, rowsAsArray: false, nestTables: false, metaAsArray: false, typeCast: undefined }
const utc = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '')
const startedAt = utc(new Date())

type Query = (sql: string, values: unknown[]) => Promise<unknown>
/** The adapter's claim as two multi-statement flights on `query`; returns the id claimed (or undefined). */
async function flights(query: Query, finished: number | undefined): Promise<number | undefined> {
  const now = new Date()
  const nowText = utc(now)
  const selectValues = [nowText, utc(new Date(now.getTime() - STALE_MS)), me, startedAt, 1]
  const first = finished === undefined ? `BEGIN; ${SELECT}` : `BEGIN; ${DELETE}; ${SELECT}`
  const results = (await query(first, finished === undefined ? selectValues : [finished, ...selectValues])) as unknown[]
  const rows = results[results.length - 1] as Record<string, unknown>[]
  if (rows.length === 0) {
    await query('COMMIT', [])
    return undefined
  }
  const id = rows[0]!.id as number
  await query(`${UPDATE}; COMMIT`, [nowText, me, nowText, id])
  return id
}

/** The claim in one flight: the locked id kept in a session variable, so the UPDATE and the read back need no round trip. */
async function oneFlight(query: Query, finished: number | undefined): Promise<number | undefined> {
  const now = new Date()
  const nowText = utc(now)
  const selectValues = [nowText, utc(new Date(now.getTime() - STALE_MS)), me, startedAt, 1]
  const select = SELECT.replace('SELECT * FROM', 'SELECT `id` INTO @jk_claim FROM')
  const sql = [
    'SET @jk_claim = NULL',
    'BEGIN',
    ...(finished === undefined ? [] : [DELETE]),
    select,
    'UPDATE `BackgroundJob` SET `attempts` = `attempts` + 1, `lockedAt` = ?, `lockedBy` = ?, `updatedAt` = ? WHERE `id` = @jk_claim',
    'SELECT * FROM `BackgroundJob` WHERE `id` = @jk_claim',
    'COMMIT',
  ].join('; ')
  const results = (await query(sql, [...(finished === undefined ? [] : [finished]), ...selectValues, nowText, me, nowText])) as unknown[]
  const rows = results[results.length - 2] as Record<string, unknown>[]
  return rows.length === 0 ? undefined : (rows[0]!.id as number)
}

type Mode = { open(): Promise<{ loop(): Promise<number>; close(): Promise<void> }> }
const modes: Record<string, Mode> = {
  ceiling: {
    async open() {
      const conn = await mariadb.createConnection(connectionOptions)
      return {
        async loop() {
          let done = 0
          for (;;) {
            const now = new Date()
            await conn.beginTransaction()
            const rows = await conn.query(MARIADB_SELECT, [now, new Date(now.getTime() - STALE_MS), me])
            if (rows.length === 0) {
              await conn.commit()
              return done
            }
            await conn.query(MARIADB_LOCK, [now, me, now, rows[0].id])
            await conn.commit()
            await conn.query(MARIADB_DELETE, [rows[0].id])
            done += 1
          }
        },
        close: () => conn.end(),
      }
    },
  },
  adapter: {
    async open() {
      const adapter = new PrismaAdapter({ db: database.db, mariadb: { connectionString: database.url } })
      const next = { processName: me, staleAfterSeconds: 300, queues: '*' as const, limit: 1 }
      await adapter.find({ ...next, limit: 0 })
      return {
        async loop() {
          let done = 0
          let held: StoredJob[] = await adapter.find(next)
          while (held.length > 0) {
            done += held.length
            held = await adapter.successAndFind({ jobs: held, deleteJob: true, next })
          }
          return done
        },
        close: () => adapter.close(),
      }
    },
  },
  // As in a worker: executeJob runs each job inside an AsyncLocalStorage (currentJob()), which in Node 20
  // turns on promise hooks for every promise of the process, the driver's included.
  'adapter+ALS': {
    async open() {
      const opened = await modes.adapter!.open()
      const storage = new AsyncLocalStorage<object>()
      return { loop: () => storage.run({}, () => opened.loop()), close: opened.close }
    },
  },
  'flights-conn-opts': {
    async open() {
      const conn = await mariadb.createConnection({ ...connectionOptions, ...SESSION })
      await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
      return handLoop((sql, values) => conn.query(sql, values), () => conn.end())
    },
  },
  'flights-stmt-opts': {
    async open() {
      const conn = await mariadb.createConnection({ ...connectionOptions, multipleStatements: true, timezone: '+00:00' })
      await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
      return handLoop((sql, values) => conn.query({ ...STATEMENT_OPTIONS, sql }, values), () => conn.end())
    },
  },
  'one-flight-conn-opts': {
    async open() {
      const conn = await mariadb.createConnection({ ...connectionOptions, ...SESSION })
      await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
      return handLoop((sql, values) => conn.query(sql, values), () => conn.end(), oneFlight)
    },
  },
  'flights-pool': {
    async open() {
      const pool = mariadb.createPool({ ...connectionOptions, ...SESSION, connectionLimit: 4, minimumIdle: 0, idleTimeout: 60, initSql: 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED' })
      const query: Query = async (sql, values) => {
        const conn = await pool.getConnection()
        try {
          return await conn.query(sql, values)
        } finally {
          await conn.release()
        }
      }
      // One connection per flight pair, as the adapter does: getConnection for each transaction.
      return {
        async loop() {
          let done = 0
          let finished: number | undefined
          for (;;) {
            const conn = await pool.getConnection()
            const id = await flights((sql, values) => conn.query(sql, values), finished)
            await conn.release()
            if (id === undefined) return done
            done += 1
            finished = id
          }
        },
        close: async () => {
          void query
          await pool.end()
        },
      }
    },
  },
}

function handLoop(query: Query, close: () => Promise<void>, claim = flights) {
  return {
    async loop() {
      let done = 0
      let finished: number | undefined
      for (;;) {
        const id = await claim(query, finished)
        if (id === undefined) {
          if (finished !== undefined) await query(DELETE, [finished])
          return done
        }
        done += 1
        finished = id
      }
    },
    close,
  }
}

const chosen = process.argv[4] ? process.argv[4].split(',') : Object.keys(modes)
const samples = new Map<string, number[]>()
try {
  for (let round = 1; round <= rounds; round++) {
    for (const name of chosen) {
      const mode = modes[name]!
      const past = Date.now() - 3_600_000
      await database.db.backgroundJob.deleteMany({})
      await database.db.backgroundJob.createMany({ data: Array.from({ length: jobs }, (_, i) => ({ handler, queue: 'default', priority: 50, runAt: new Date(past + i) })) })
      const opened = await mode.open()
      const cpuBefore = process.cpuUsage()
      const started = performance.now()
      const done = await opened.loop()
      const ms = performance.now() - started
      const cpu = process.cpuUsage(cpuBefore)
      await opened.close()
      const perJob = (cpu.user + cpu.system) / 1000 / done
      samples.set(name, [...(samples.get(name) ?? []), perJob])
      console.log(`round ${round} ${name}: ${done} jobs, ${((done / ms) * 1000).toFixed(0)} jobs/s, ${perJob.toFixed(3)} CPU ms/job`)
    }
  }
} finally {
  await database.drop()
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
console.log(`\nmedian of ${rounds} rounds, ${jobs} jobs, one loop, CPU ms/job:`)
for (const [name, values] of samples) console.log(`${name.padEnd(20)} ${median(values).toFixed(3)}  (${values.map((v) => v.toFixed(3)).join(' ')})`)
