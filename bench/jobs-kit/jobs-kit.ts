/**
 * jobs-kit on one database, measured the way an app uses it: `later()` from
 * the app's jobs config (jobs-kit/app/lib/jobs.ts), workers started with the
 * runner CLI (`src/runtime/runner/cli.ts --config … --id <n>`), one process
 * each.
 *
 * The app config reads BENCH_PROVIDER and BENCH_DB_URL when it is imported,
 * so one process can measure one database only: `run.ts` gives every system
 * its own driver process.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createTestDatabase } from '../../test/support/databases.js'
import type { Provider } from '../lib/databases.js'
import { spawnWorker, type WorkerProcess } from '../lib/processes.js'
import { runnerArgs } from './runner-args.js'
import type { JobKind, QueueSystem } from '../lib/queue-system.js'

/** Seconds an idle jobs-kit worker sleeps between polls in the benchmark (the default is 5). */
export const BENCH_SLEEP_DELAY_SECONDS = 0.1
const PROVIDER_NAMES: Record<Provider, string> = { postgresql: 'PostgreSQL', mysql: 'MariaDB', sqlite: 'SQLite' }
/** How idle workers hear of a new job, with the adapter options setup writes for each database. */
const PICKUP_NOTES: Record<Provider, string> = {
  postgresql: 'polling plus LISTEN/NOTIFY (`notify`); finding queries through a pg pool (`pg` option)',
  sqlite:
    'polling plus a watch on the database file that wakes them on every commit (`watchSqliteFile`, on by default); WAL journal (`sqliteWal`), ' +
    'switched on before the measured workers start, as after the app\'s first worker start (they run synchronous NORMAL, as the ceiling)',
  mysql: 'polling; no notifications; worker queries through a mariadb pool (`mariadb` option)',
}
/** PostgreSQL as setup writes it without the `pg` package (BENCH_WITHOUT_PG=1, read by app/lib/jobs.ts). */
const WITHOUT_PG_NOTE = 'polling only, every query through Prisma (no `pg` pool, no LISTEN/NOTIFY): setup comments out `pg` and `notify` when the app has no `pg` package'

export interface JobsKitOptions {
  /** PostgreSQL: the adapter options setup writes for an app without `pg` (none), not the `pg`/`notify` ones. */
  withoutPg?: boolean
}

export async function createJobsKit(provider: Provider, options: JobsKitOptions = {}): Promise<QueueSystem> {
  const withoutPg = provider === 'postgresql' && options.withoutPg === true
  const database = await createTestDatabase(provider)
  process.env.BENCH_PROVIDER = provider
  process.env.BENCH_DB_URL = database.url
  // Before the app config is imported: it picks its adapter options when it loads.
  process.env.BENCH_WITHOUT_PG = withoutPg ? '1' : '0'
  const { later } = await import('./app/lib/jobs.js')
  const { db } = await import('./app/lib/db.js')
  const { NoopJob, ReportJob } = await import('./app/jobs/bench-jobs.js')
  // Worker pid files (.jobs-kit/pids) go here, not into the repository.
  const appRoot = mkdtempSync(join(tmpdir(), 'jkbench-app-'))
  let lastCount = Number.POSITIVE_INFINITY
  // The drain polls the row count every 20 ms from this driver process, which shares the 2 cores with the
  // workers. Through Prisma a count took 0.8–1.6 ms of this process's CPU, through pg 0.21–0.33 ms (same
  // process and table, 300 calls each, load 11–12; 2026-12-03): on PostgreSQL it counts through pg, as the
  // graphile-worker and ceiling rows do, so the harness costs every PostgreSQL row alike.
  const counter = provider === 'postgresql' ? new pg.Client({ connectionString: database.url }) : undefined
  if (counter) {
    counter.on('error', () => {})
    await counter.connect()
  }

  return {
    id: withoutPg ? `jobs-kit/${provider}-prisma-only` : `jobs-kit/${provider}`,
    label: withoutPg ? `jobs-kit (${PROVIDER_NAMES[provider]}, Prisma only)` : `jobs-kit (${PROVIDER_NAMES[provider]})`,
    provider,
    measuresLatency: true,
    notes: [
      `workers: runner CLI, one process each, --concurrency as the drain says, --sleepDelay ${BENCH_SLEEP_DELAY_SECONDS} ` +
        `(${withoutPg ? WITHOUT_PG_NOTE : PICKUP_NOTES[provider]}); adapter options as \`jobs-kit setup\` writes them`,
      'bulk enqueue: later.many(NoopJob, items) (one call); throughput runs start from rows inserted with raw multi-row INSERTs',
    ],
    async prepare() {
      // SQLite: the file in WAL before the measured workers open it, as it is after the app's first worker
      // start (the adapter's sqliteWal switch is kept by the file). A connection that opens a WAL file runs
      // synchronous NORMAL (better-sqlite3's WAL default), the one that switched it keeps FULL: without this,
      // the 1-process drain's worker would be that one and fsync every commit, unlike the WAL ceiling's workers.
      if (provider === 'sqlite') await db.$queryRawUnsafe('PRAGMA journal_mode = WAL')
    },
    async enqueueOne(kind: JobKind, key: string) {
      if (kind === 'report') await later(ReportJob, [key])
      else await later(NoopJob, [])
    },
    async enqueueBulk(count: number) {
      // One call, as an app would write it: later.many() chunks and wraps it in one transaction itself.
      await later.many(NoopJob, Array.from({ length: count }, () => []))
    },
    async fill(count: number) {
      // The rows later(NoopJob, []) writes, 1,000 per INSERT, runAt 1 ms apart as one-by-one scheduling gives.
      const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
      const columns = ['handler', 'queue', 'priority', 'runAt', 'createdAt', 'updatedAt']
      const q = (name: string) => (provider === 'mysql' ? `\`${name}\`` : `"${name}"`)
      let runAtMs = Date.now() - count
      for (let offset = 0; offset < count; offset += 1000) {
        const size = Math.min(1000, count - offset)
        const values: unknown[] = []
        const tuples: string[] = []
        for (let i = 0; i < size; i++) {
          const placeholders = columns.map((_, j) => (provider === 'postgresql' ? `$${values.length + j + 1}` : '?'))
          tuples.push(`(${placeholders.join(', ')})`)
          const now = new Date()
          values.push(handler, 'default', 50, new Date(runAtMs++), now, now)
        }
        await db.$executeRawUnsafe(`INSERT INTO ${q('BackgroundJob')} (${columns.map(q).join(', ')}) VALUES ${tuples.join(', ')}`, ...values)
      }
    },
    async analyze() {
      await db.$executeRawUnsafe(provider === 'mysql' ? 'ANALYZE TABLE `BackgroundJob`' : 'ANALYZE "BackgroundJob"')
    },
    async remaining() {
      try {
        lastCount = counter
          ? (await counter.query('SELECT count(*)::int AS n FROM "BackgroundJob"')).rows[0].n
          : await db.backgroundJob.count()
      } catch (error) {
        // SQLite: four busy writers can keep this reader out; the next poll will see.
        if (provider !== 'sqlite') throw error
      }
      return lastCount
    },
    async startWorkers(processes, concurrency, onMessage) {
      const workers: WorkerProcess[] = []
      for (let i = 0; i < processes; i++) {
        workers.push(
          spawnWorker({
            name: `jobs-kit-${provider}-${i}`,
            nodeArgs: runnerArgs(i, { concurrency, sleepDelaySeconds: BENCH_SLEEP_DELAY_SECONDS }),
            cwd: appRoot,
            env: { BENCH_HOLD: '1', BENCH_PROVIDER: provider, BENCH_DB_URL: database.url, BENCH_WITHOUT_PG: withoutPg ? '1' : '0' },
            onMessage,
          }),
        )
      }
      return workers
    },
    async clear() {
      await db.backgroundJob.deleteMany({})
      lastCount = Number.POSITIVE_INFINITY
    },
    async close() {
      await counter?.end()
      await db.$disconnect()
      await database.drop()
      rmSync(appRoot, { recursive: true, force: true })
    },
  }
}
