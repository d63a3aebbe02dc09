/**
 * The chaos run: schedule jobs, run them with several jobs-kit worker
 * processes (the runner CLI), SIGKILL a worker every few hundred milliseconds
 * and restart it (alternately under the same name and under a new one),
 * disrupt the database once, then check that every job ran, that no job ran
 * twice unless the chaos explains it, and that no row is left locked.
 *
 * On every database jobs-kit supports: PostgreSQL (the server restarted, or
 * every connection to the run's database terminated), MariaDB/MySQL (every
 * connection to the run's database killed with `KILL CONNECTION`) and SQLite
 * (one database file in WAL mode shared by every worker process; the only
 * chaos there is the SIGKILLs, as a file has no connection to cut).
 *
 * Used by `npm run chaos` (bench/chaos.ts: 5,000 jobs per database) and by the
 * smaller tests in test/chaos/ (connections terminated instead of a server
 * restart, which would break the other suites running in parallel).
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import mariadb from 'mariadb'
import pg from 'pg'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { mariadbConnectionOptions, type Provider } from '../lib/databases.js'
import { sleep, spawnWorker, type WorkerProcess } from '../lib/processes.js'
import { runnerArgs } from '../jobs-kit/runner-args.js'
import { createRunsTableSql, selectRunsSql, toRunRow } from './chaos-runs-table.js'
import { verifyChaos, type ChaosVerdict } from './verify.js'

/**
 * What happens to the database once mid-run: the PostgreSQL server restarted,
 * every connection to the run's database ended (`pg_terminate_backend` on
 * PostgreSQL, `KILL CONNECTION` on MariaDB/MySQL), or nothing (SQLite).
 */
export type DatabaseDisruption = 'restart-postgresql' | 'terminate-connections' | 'none'

export interface ChaosOptions {
  provider: Provider
  jobs: number
  workers: number
  /** A worker is SIGKILLed every [min, max] ms (uniformly random), during the kill phase. */
  killIntervalMs: [number, number]
  /** How long workers are being killed; afterwards they finish the remaining jobs in peace. */
  killPhaseMs: number
  /**
   * The kill phase goes on past `killPhaseMs` until this many kills (while jobs
   * are left): a restarted worker takes seconds to boot, more on a loaded
   * machine, and only a worker that has run a job is a target.
   */
  minKills?: number
  /** What happens to the database once: when 40% of the jobs are done, 40% into the kill phase, or at its end at the latest. */
  disruption: DatabaseDisruption
  /** How long each job takes (so kills land on running jobs). */
  workMs: number
  /** Jobs each worker runs at once (default 1); above 1 its successes are recorded in batches (worker/success-batch.ts). */
  concurrency?: number
  /**
   * The workers' --maxRuntime. It no longer sets when another worker takes a
   * SIGKILLed worker's job: that is the runtime's one stale-lock threshold for
   * every worker (`DEFAULT_STALE_LOCK_SECONDS`, 60 s).
   */
  maxRuntimeSeconds: number
  /**
   * Restart every other killed worker under a new name (true, the default), so
   * its jobs come back only once their locks go stale, after
   * `DEFAULT_STALE_LOCK_SECONDS`; or always under the same name, which takes
   * its own jobs back at once (for runs that must end within a minute).
   */
  newNameRestarts?: boolean
  /** Give up waiting for the jobs after this long. */
  timeoutMs: number
  log?: (message: string) => void
}

export interface ChaosReport extends ChaosVerdict {
  provider: Provider
  workers: number
  kills: number
  restartsSameName: number
  restartsNewName: number
  /** Worker processes that exited without being killed (and were restarted). */
  crashes: number
  disruption: { kind: DatabaseDisruption; downMs?: number; terminatedConnections?: number }
  /** SQLite's journal mode during the run (`wal`); undefined on servers. */
  journalMode?: string
  /** Rows still in the table at the end / with a lock / given up. */
  remainingRows: number
  lockedRows: number
  failedRows: number
  /** The first rows left at the end, for the report. */
  rowsLeft: { id: number; attempts: number; runAt: string; lockedBy: string | null; lastError: string | null }[]
  /** What the workers logged at warn or error level (the first ones), for the report. */
  warnings: string[]
  elapsedMs: number
  /** Last lines of a crashed worker's output, for the report. */
  crashOutput: string[]
}

interface Slot {
  index: number
  id: number
  worker: WorkerProcess
  startedAt: number
  killed: boolean
}

/** Stops the workers and drops the database of the chaos run in progress (for an interrupted `npm run chaos`). */
export let abortChaos: () => Promise<void> = async () => {}

const POSTGRES_ADMIN_URL = process.env.JOBS_KIT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const MYSQL_ADMIN_URL = process.env.JOBS_KIT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

/** Set by the first run: the bench app's `db` module binds to that run's database for the life of the process. */
let ranInThisProcess = false

/** One chaos run. Once per process: start another process for another run (bench/chaos.ts does for `--db all`). */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  if (ranInThisProcess) throw new Error('runChaos runs once per process: the bench app\'s db module is bound to the first run\'s database. Start a new process.')
  ranInThisProcess = true
  const log = options.log ?? (() => {})
  const started = Date.now()
  await generateTestClients()
  const database = await createTestDatabase(options.provider)
  const appRoot = mkdtempSync(join(tmpdir(), 'jkchaos-app-'))
  const slots: Slot[] = []
  let stopping = false
  abortChaos = async () => {
    stopping = true
    for (const slot of slots) slot.worker.child.kill('SIGKILL')
    await database.drop().catch(() => {})
    rmSync(appRoot, { recursive: true, force: true })
  }
  try {
    if (options.disruption === 'restart-postgresql' && options.provider !== 'postgresql') throw new Error('Only a PostgreSQL chaos run can restart its server.')
    if (options.disruption === 'terminate-connections' && options.provider === 'sqlite') throw new Error('A SQLite file has no connections to terminate: use disruption "none".')
    for (const sql of createRunsTableSql(options.provider)) await database.db.$executeRawUnsafe(sql)
    const journalMode = options.provider === 'sqlite' ? useWal(database.url) : undefined
    process.env.BENCH_PROVIDER = options.provider
    process.env.BENCH_DB_URL = database.url
    const { later } = await import('../jobs-kit/app/lib/jobs.js')
    const { db } = await import('../jobs-kit/app/lib/db.js')
    const { ChaosJob } = await import('../jobs-kit/app/jobs/chaos-job.js')

    log(`scheduling ${options.jobs} jobs`)
    const scheduled = new Map<number, number>()
    for (let offset = 0; offset < options.jobs; offset += 500) {
      await db.$transaction(
        async (tx: unknown) => {
          for (let sequence = offset; sequence < Math.min(options.jobs, offset + 500); sequence++) {
            scheduled.set(await later(ChaosJob, [sequence, options.workMs], { db: tx }), sequence)
          }
        },
        { timeout: 120_000 },
      )
    }

    const killedAt = new Map<number, number>()
    const crashedAt = new Map<number, number>()
    const unrecordedSuccessJobIds = new Set<number>()
    const failedAttemptRetryAt = new Map<number, number[]>()
    const crashOutput: string[] = []
    const warnings: string[] = []
    let nextNewId = options.workers
    let restartsSameName = 0
    let restartsNewName = 0

    const spawnSlot = (index: number, id: number): Slot => {
      const worker = spawnWorker({
        name: `chaos worker ${id}`,
        nodeArgs: runnerArgs(id, { concurrency: options.concurrency ?? 1, sleepDelaySeconds: 0.1, maxRuntimeSeconds: options.maxRuntimeSeconds }),
        cwd: appRoot,
        env: { BENCH_PROVIDER: options.provider, BENCH_DB_URL: database.url },
        onOutput: (text) => {
          for (const line of text.split('\n')) if (line.trim() !== '' && warnings.length < 200) warnings.push(`worker ${id} (pid ${worker.child.pid}): ${line.slice(0, 300)}`)
          for (const match of text.matchAll(/\(id (\d+),[^)]*\) succeeded in \d+ ms but could not be marked done/g)) {
            unrecordedSuccessJobIds.add(Number(match[1]))
          }
          for (const match of text.matchAll(/\(id (\d+),[^)]*\) failed on attempt \d+ of \d+, retrying at (\S+?Z)/g)) {
            const jobId = Number(match[1])
            failedAttemptRetryAt.set(jobId, [...(failedAttemptRetryAt.get(jobId) ?? []), Date.parse(match[2]!)])
          }
        },
      })
      const slot: Slot = { index, id, worker, startedAt: Date.now(), killed: false }
      worker.exited.then(() => {
        if (slot.killed || stopping) return
        // Died on its own (e.g. the database went away): note it and start it again.
        crashedAt.set(worker.child.pid!, Date.now())
        crashOutput.push(`worker ${id} (pid ${worker.child.pid}) exited ${worker.child.exitCode ?? worker.child.signalCode}: ${worker.output().split('\n').filter(Boolean).slice(-3).join(' / ')}`)
        slots[index] = spawnSlot(index, id)
      })
      return slot
    }
    for (let i = 0; i < options.workers; i++) slots.push(spawnSlot(i, i))

    const remaining = async (): Promise<number | undefined> => {
      try {
        return await database.db.backgroundJob.count()
      } catch {
        return undefined // the database is restarting, or busy (SQLite)
      }
    }

    log(`${options.workers} workers; killing one every ${options.killIntervalMs.join('–')} ms for ${options.killPhaseMs} ms`)
    const q = (name: string) => (options.provider === 'mysql' ? `\`${name}\`` : `"${name}"`)
    /** Pids that have run a job: a worker proves it booted and works before it is a target. */
    const workingPids = async (): Promise<Set<number>> => {
      try {
        const rows = (await database.db.$queryRawUnsafe(`SELECT DISTINCT ${q('pid')} AS pid FROM ${q('ChaosRun')}`)) as { pid: unknown }[]
        return new Set(rows.map((row) => Number(row.pid)))
      } catch {
        return new Set()
      }
    }

    let disruptionDone: Promise<ChaosReport['disruption']> | undefined
    let kills = 0
    let killPhaseStart: number | undefined
    while (Date.now() - started < options.timeoutMs) {
      const [min, max] = options.killIntervalMs
      await sleep(min + Math.random() * (max - min))
      const working = await workingPids()
      const candidates = slots.filter((slot) => working.has(slot.worker.child.pid!) && slot.worker.child.exitCode === null)
      // The kill phase starts once a worker runs jobs (booting takes a second or two).
      if (killPhaseStart === undefined) {
        if (candidates.length === 0) continue
        killPhaseStart = Date.now()
      }
      const sincePhaseStart = Date.now() - killPhaseStart
      if (sincePhaseStart > options.killPhaseMs && (kills >= (options.minKills ?? 0) || (await remaining()) === 0)) break
      if (!disruptionDone) {
        // Once 40% of the jobs are done, or 40% into the kill phase, while workers are busy.
        const left = await remaining()
        if (candidates.length >= 2 && ((left !== undefined && left <= options.jobs * 0.6) || sincePhaseStart > options.killPhaseMs * 0.4)) {
          disruptionDone = disruptDatabase(options.disruption, options.provider, database.url, log)
        }
      }
      if (candidates.length === 0) continue
      const victim = candidates[Math.floor(Math.random() * candidates.length)]
      victim.killed = true
      // Before the signal: a run that started after this moment cannot overlap the victim's.
      killedAt.set(victim.worker.child.pid!, Date.now())
      victim.worker.child.kill('SIGKILL')
      kills += 1
      log(`SIGKILLed worker ${victim.id} (pid ${victim.worker.child.pid}, up ${Date.now() - victim.startedAt} ms)`)
      await victim.worker.exited
      // Half come back under the same name (they take back their own jobs at once), half under a new one
      // (their jobs wait for the stale-lock threshold).
      const sameName = options.newNameRestarts === false || kills % 2 === 0
      const id = sameName ? victim.id : nextNewId++
      if (sameName) restartsSameName += 1
      else restartsNewName += 1
      slots[victim.index] = spawnSlot(victim.index, id)
      if ((await remaining()) === 0) break
    }
    log(`kill phase over after ${kills} kills; waiting for the remaining jobs`)

    let left: number | undefined
    for (;;) {
      left = await remaining()
      // Not disrupted yet (no two workers were busy during the kill phase): as soon as one is, or
      // when the jobs are done (the workers are still connected, polling).
      if (!disruptionDone) {
        const working = await workingPids()
        if (left === 0 || slots.some((slot) => working.has(slot.worker.child.pid!) && slot.worker.child.exitCode === null)) {
          disruptionDone = disruptDatabase(options.disruption, options.provider, database.url, log)
          await disruptionDone
          continue
        }
      }
      if (left === 0) break
      if (Date.now() - started > options.timeoutMs) break
      await sleep(200)
    }
    const disruption = disruptionDone ? await disruptionDone : { kind: 'none' as const }
    stopping = true
    await Promise.all(
      slots.map(async (slot) => {
        slot.worker.child.kill('SIGTERM')
        await slot.worker.exited
      }),
    )

    const rawRuns = (await database.db.$queryRawUnsafe(selectRunsSql(options.provider))) as Record<string, unknown>[]
    const runs = rawRuns.map(toRunRow)
    const countWhere = async (where: string) =>
      Number(((await database.db.$queryRawUnsafe(`SELECT count(*) AS n FROM ${q('BackgroundJob')} WHERE ${where}`)) as { n: unknown }[])[0].n)
    const verdict = verifyChaos({ scheduled, runs, killedAt, crashedAt, unrecordedSuccessJobIds, failedAttemptRetryAt })
    const report: ChaosReport = {
      ...verdict,
      provider: options.provider,
      workers: options.workers,
      kills,
      restartsSameName,
      restartsNewName,
      crashes: crashedAt.size,
      disruption,
      journalMode,
      remainingRows: await countWhere('1 = 1'),
      lockedRows: await countWhere(`${q('lockedAt')} IS NOT NULL`),
      failedRows: await countWhere(`${q('failedAt')} IS NOT NULL`),
      rowsLeft: (await database.db.backgroundJob.findMany({ take: 5, orderBy: { id: 'asc' } })).map((row: Record<string, unknown>) => ({
        id: Number(row.id),
        attempts: Number(row.attempts),
        runAt: row.runAt instanceof Date ? row.runAt.toISOString() : String(row.runAt),
        lockedBy: row.lockedBy === null ? null : String(row.lockedBy),
        lastError: row.lastError === null ? null : String(row.lastError).split('\n')[0].slice(0, 200),
      })),
      warnings: warnings.slice(0, 20),
      elapsedMs: Date.now() - started,
      crashOutput,
    }
    await db.$disconnect()
    return report
  } finally {
    stopping = true
    for (const slot of slots) slot.worker.child.kill('SIGKILL')
    await database.drop().catch(() => {})
    rmSync(appRoot, { recursive: true, force: true })
  }
}

/**
 * Switches the SQLite file to WAL mode (it persists in the file), as the
 * README advises for SQLite apps: readers no longer block the writer, so
 * several worker processes share the file. Returns the mode now in force.
 */
function useWal(url: string): string {
  const file = new Database(url.replace(/^file:/, ''))
  try {
    return String(file.pragma('journal_mode = WAL', { simple: true }))
  } finally {
    file.close()
  }
}

/** Restarts the PostgreSQL server (and waits until it accepts connections), or terminates the workers' connections. */
async function disruptDatabase(kind: DatabaseDisruption, provider: Provider, url: string, log: (m: string) => void): Promise<ChaosReport['disruption']> {
  if (kind === 'none') return { kind }
  if (kind === 'terminate-connections' && provider === 'mysql') return { kind, terminatedConnections: await killMysqlConnections(url, log) }
  if (kind === 'terminate-connections') {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
    await admin.connect()
    try {
      const name = new URL(url).pathname.slice(1)
      const { rows } = await admin.query('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])
      log(`terminated ${rows[0].n} connections to ${name}`)
      return { kind, terminatedConnections: rows[0].n }
    } finally {
      await admin.end()
    }
  }
  const version = readdirSync('/etc/postgresql')[0]
  const downAt = Date.now()
  log(`restarting PostgreSQL ${version}`)
  try {
    await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { timeout: 60_000 })
  } finally {
    await waitForPostgres(version, log)
  }
  const downMs = Date.now() - downAt
  log(`PostgreSQL is back after ${downMs} ms`)
  return { kind, downMs }
}

/** `KILL CONNECTION` for every connection to the run's MariaDB/MySQL database (the workers', the harness's own included). */
async function killMysqlConnections(url: string, log: (m: string) => void): Promise<number> {
  // On the server, not in a database: the run's own database is the one being cut off.
  const admin = await mariadb.createConnection({ ...mariadbConnectionOptions(MYSQL_ADMIN_URL), database: undefined })
  try {
    const name = new URL(url).pathname.slice(1)
    const rows: { id: unknown }[] = await admin.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [name])
    let killed = 0
    for (const row of rows) {
      // A connection may close by itself between the list and the kill ("Unknown thread id").
      await admin.query(`KILL CONNECTION ${Number(row.id)}`).then(() => (killed += 1), () => {})
    }
    log(`killed ${killed} connections to ${name}`)
    return killed
  } finally {
    await admin.end()
  }
}

/** Waits until PostgreSQL accepts connections again; starts it if a restart left it down. */
async function waitForPostgres(version: string, log: (m: string) => void): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.query('SELECT 1')
      await client.end()
      return
    } catch {
      await client.end().catch(() => {})
      if (attempt === 20) {
        log('PostgreSQL is still down 10 s after the restart: starting it')
        await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']).catch(() => {})
      }
      await sleep(500)
    }
  }
  throw new Error(`PostgreSQL did not come back after the chaos restart. Start it: pg_ctlcluster --skip-systemctl-redirect ${version} main start`)
}
