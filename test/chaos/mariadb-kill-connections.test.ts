/**
 * Several worker processes on one MariaDB queue (the adapter's own `mariadb`
 * pool, whose claim is one multi-statement flight), concurrency 1 and 4,
 * while random connections to the run's database are killed
 * (`KILL CONNECTION`, or `KILL QUERY`: the statement
 * stops, the transaction stays open) every 100–200 ms: every job runs (side effects
 * counted), no job runs twice at the same time, no row stays locked, and the
 * queue drains (nothing stalls behind a lock left held).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import mariadb from 'mariadb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PrismaAdapter } from '../../src/runtime/index.js'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'

const JOBS = 500
const CONCURRENCIES = [1, 4, 1, 4]

function connectionOptions(url: string) {
  const server = new URL(url)
  return { host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password), database: server.pathname.slice(1), connectTimeout: 20_000 }
}

describe.each(['CONNECTION', 'QUERY'] as const)('MariaDB own pool: worker processes while random connections are killed (KILL %s)', (kill) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase('mysql')
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('runs every job, never one job twice at once, leaves nothing locked, and does not stall', async () => {
    const options = connectionOptions(database.url)
    const admin = await mariadb.createConnection({ ...options, multipleStatements: true })
    const children: ChildProcess[] = []
    let killing = true
    try {
      await admin.query('CREATE TABLE job_runs (token VARCHAR(100) PRIMARY KEY, job INT NOT NULL, worker VARCHAR(100) NOT NULL, started DATETIME(6) NOT NULL, ended DATETIME(6) NULL)')
      const scheduler = new PrismaAdapter({ db: database.db, model: database.model })
      for (let n = 1; n <= JOBS; n += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            scheduler.schedule({ handler: { name: 'MarkJob', path: 'MarkJob/MarkJob', args: [n + i] }, queue: 'default', priority: 50, runAt: new Date() }),
          ),
        )
      }
      const child = resolve(import.meta.dirname, 'mariadb-kill-worker-child.ts')
      const logs: string[] = []
      for (const [i, concurrency] of CONCURRENCIES.entries()) {
        const proc = spawn(process.execPath, ['--import', 'tsx', child, database.url, `kill-host:w.${i}`, String(concurrency)], { stdio: ['ignore', 'pipe', 'pipe'] })
        proc.stderr!.on('data', (d) => logs.push(`w.${i}: ${String(d).trim()}`))
        children.push(proc)
      }
      // Kill a random connection to this database (the workers' claims, their Prisma clients, their side-effect pools) every 100–200 ms.
      let kills = 0
      const startedAt = Date.now()
      const killer = (async () => {
        while (killing) {
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 100))
          // Half the time a connection busy with a statement (a claim's flight, most often), else any.
          const busy = Math.random() < 0.5 ? " AND command = 'Query'" : ''
          const rows = (await admin.query(`SELECT id FROM information_schema.processlist WHERE db = ? AND id <> connection_id()${busy}`, [options.database])) as { id: number }[]
          if (rows.length === 0) continue
          const victim = rows[Math.floor(Math.random() * rows.length)]!
          await admin.query(`KILL ${kill} ${Number(victim.id)}`).then(() => kills++, () => {})
        }
      })()
      // Drained: no job rows left. Stalled: no progress for 25 s (under the 50 s lock wait timeout, over the workers' 10 s stale period).
      const remainingRows = async () => Number(((await admin.query('SELECT count(*) AS n FROM `BackgroundJob`')) as { n: bigint }[])[0]!.n)
      let remaining = await remainingRows()
      let lastProgress = Date.now()
      const history: string[] = []
      while (remaining > 0 && Date.now() - lastProgress < 25_000) {
        await new Promise((r) => setTimeout(r, 500))
        const now = await remainingRows()
        if (now < remaining) lastProgress = Date.now()
        if (now !== remaining) history.push(`${new Date().toISOString().slice(11, 19)} ${now}`)
        remaining = now
      }
      killing = false
      await killer
      const stuck = await admin.query('SELECT id, attempts, lockedBy, lockedAt, lastError FROM `BackgroundJob` ORDER BY id LIMIT 10')
      const waits = await admin.query('SELECT * FROM information_schema.INNODB_LOCK_WAITS')
      const trx = await admin.query('SELECT t.trx_mysql_thread_id, t.trx_state, t.trx_started, t.trx_rows_locked, p.command, p.time, p.info FROM information_schema.INNODB_TRX t JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id WHERE p.db = ?', [options.database])
      // What the workers saw: their warnings by the server's (or driver's) error number.
      const errors: Record<string, number> = {}
      for (const line of logs.join('\n').matchAll(/\[warn\] \[jobs-kit\] ([a-z ]+?)[^a-z ].*?no: (\d+)/g)) errors[`${line[1]} ${line[2]}`] = (errors[`${line[1]} ${line[2]}`] ?? 0) + 1
      console.log({ kill, kills, errors, runs: (await admin.query('SELECT count(*) AS n FROM job_runs'))[0], seconds: (Date.now() - startedAt) / 1000, remaining, history: history.slice(-10), stuck, waits, trx, logs: logs.slice(-5) })

      const runs = (await admin.query('SELECT job, worker, started, ended FROM job_runs ORDER BY job, started')) as { job: number; worker: string; started: string; ended: string | null }[]
      const completed = new Set(runs.filter((run) => run.ended !== null).map((run) => run.job))
      const neverRun = Array.from({ length: JOBS }, (_, i) => i + 1).filter((n) => !completed.has(n))
      // Two runs of one job overlapping in time: both started before either ended (a run cut by a kill has no end: it overlaps nothing after it).
      const overlapping: string[] = []
      for (let i = 1; i < runs.length; i++) {
        const [before, after] = [runs[i - 1]!, runs[i]!]
        if (before.job === after.job && before.ended !== null && new Date(after.started) < new Date(before.ended)) overlapping.push(`${after.job}: ${before.worker} ${after.worker}`)
      }
      // Enough kills to matter: a drain on a quiet machine takes ~5 s, at one kill per 100–200 ms (19–20 in a clean-clone CI run).
      expect(kills).toBeGreaterThanOrEqual(10)
      expect(neverRun).toEqual([])
      expect(overlapping).toEqual([])
      expect(remaining).toBe(0)
    } finally {
      killing = false
      for (const proc of children) proc.kill('SIGKILL')
      await admin.end()
    }
  }, 180_000)
})
