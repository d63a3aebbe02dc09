/**
 * One ceiling worker process: claims and deletes jobs with the raw driver,
 * `BENCH_CONCURRENCY` loops at once (each with its own connection), polling
 * when the queue is empty, until the parent stops it. Env: BENCH_PROVIDER, BENCH_DB_URL (SQLite: BENCH_DB_FILE).
 */
import Database from 'better-sqlite3'
import * as mariadb from 'mariadb'
import pg from 'pg'
import { mariadbConnectionOptions } from '../lib/databases.js'
import {
  ceilingProcessName,
  MARIADB_DELETE,
  MARIADB_LOCK,
  MARIADB_SELECT,
  PG_CLAIM,
  PG_DELETE,
  SQLITE_CLAIM,
  SQLITE_DELETE,
  STALE_MS,
} from './claim-sql.js'
import { readyAndWaitForGo } from '../lib/go-signal.js'
import { sleep } from '../lib/processes.js'

/** An empty queue is polled again after this long, like a worker would; the parent stops the process. */
const IDLE_SLEEP_MS = 20

// The parent is gone (an interrupted run): do not linger as an orphan.
process.on('disconnect', () => process.exit(0))

const provider = process.env.BENCH_PROVIDER
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1)

async function loopPostgres(index: number): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.BENCH_DB_URL })
  await client.connect()
  const me = ceilingProcessName(index)
  for (;;) {
    const now = new Date()
    const { rows } = await client.query({ name: 'claim', text: PG_CLAIM, values: [now, new Date(now.getTime() - STALE_MS), me] })
    if (rows.length === 0) {
      await sleep(IDLE_SLEEP_MS)
      continue
    }
    await client.query({ name: 'delete', text: PG_DELETE, values: [rows[0].id] })
  }
}

async function loopMariadb(index: number): Promise<void> {
  const conn = await mariadb.createConnection(mariadbConnectionOptions(process.env.BENCH_DB_URL!))
  const me = ceilingProcessName(index)
  for (;;) {
    const now = new Date()
    await conn.beginTransaction()
    const rows = await conn.query(MARIADB_SELECT, [now, new Date(now.getTime() - STALE_MS), me])
    if (rows.length === 0) {
      await conn.commit()
      await sleep(IDLE_SLEEP_MS)
      continue
    }
    await conn.query(MARIADB_LOCK, [now, me, now, rows[0].id])
    await conn.commit()
    await conn.query(MARIADB_DELETE, [rows[0].id])
  }
}

async function loopSqlite(index: number): Promise<void> {
  const db = new Database(process.env.BENCH_DB_FILE!)
  db.pragma('busy_timeout = 5000')
  // Four processes can still starve one past busy_timeout: then it simply tries again.
  const retryBusy = <T>(statement: () => T): T => {
    for (;;) {
      try {
        return statement()
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error
      }
    }
  }
  const claim = retryBusy(() => db.prepare(SQLITE_CLAIM))
  const remove = retryBusy(() => db.prepare(SQLITE_DELETE))
  const me = ceilingProcessName(index)
  // BEGIN IMMEDIATE takes the write lock before reading, so writers queue in
  // busy_timeout instead of failing at once when two of them read first
  // (SQLite's deadlock rule for deferred transactions).
  const claimOne = db.transaction((now: string, stale: string) => claim.get(now, me, now, now, stale, me) as { id: number } | undefined)
  const removeOne = db.transaction((id: number) => remove.run(id))
  for (;;) {
    const now = new Date().toISOString()
    const row = retryBusy(() => claimOne.immediate(now, new Date(Date.now() - STALE_MS).toISOString()))
    if (!row) {
      await sleep(IDLE_SLEEP_MS)
      continue
    }
    retryBusy(() => removeOne.immediate(row.id))
  }
}

await readyAndWaitForGo()
if (provider === 'sqlite') {
  // better-sqlite3 is synchronous: concurrency inside one process would not overlap anyway.
  await loopSqlite(0)
} else {
  const loop = provider === 'postgresql' ? loopPostgres : loopMariadb
  await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)))
}
