/**
 * The process tests' app config, shaped like the `lib/jobs.ts` that
 * `jobs-kit setup` writes: a JobManager over the real PrismaAdapter.
 *
 * Env: DB_PROVIDER, DATABASE_URL, SIDE_EFFECT_FILE, and optionally
 * WORKER_MAX_RUNTIME / WORKER_SLEEP_DELAY / WORKER_MAX_ATTEMPTS (seconds, count), and
 * WORKER_PG_QUERIES=1 for the adapter's `pg` option (PostgreSQL; WORKER_PG_URL instead of DATABASE_URL, e.g. through
 * PgBouncer), WORKER_NOTIFY_URL for the `notify` option, WORKER_CONCURRENCY, CLOSE_MARKER_FILE to see `close()` called,
 * RECURRING_CRON for a recurring entry enqueuing SlotJob, WATCH_SQLITE_FILE=0 for `watchSqliteFile: false`,
 * WORKER_BETTER_SQLITE3=1 for the `betterSqlite3` option (SQLite), STARTUP_MARKER_FILE / STARTUP_DELAY_MS (below).
 */
import { appendFileSync } from 'node:fs'
import { JobManager, PrismaAdapter } from '../../../src/runtime/index.js'
import { db } from './db.js'

// STARTUP_MARKER_FILE: each process that loads this config notes it there, then takes STARTUP_DELAY_MS longer to load
// (as an app's config importing a large client does), so tests can signal a runner while it starts.
if (process.env.STARTUP_MARKER_FILE) {
  appendFileSync(process.env.STARTUP_MARKER_FILE, `loading ${process.pid}\n`)
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.STARTUP_DELAY_MS ?? 0)))
}

/** The real adapter; with CLOSE_MARKER_FILE set, notes in that file that the runner closed it. */
class ObservedPrismaAdapter extends PrismaAdapter {
  override async close(): Promise<void> {
    await super.close()
    if (process.env.CLOSE_MARKER_FILE) appendFileSync(process.env.CLOSE_MARKER_FILE, `closed ${process.pid}\n`)
  }
}

export const jobs = new JobManager({
  adapters: {
    prisma: new ObservedPrismaAdapter({
      db,
      pg: process.env.WORKER_PG_QUERIES === '1' ? { connectionString: process.env.WORKER_PG_URL || process.env.DATABASE_URL! } : undefined,
      notify: process.env.WORKER_NOTIFY_URL ? { connectionString: process.env.WORKER_NOTIFY_URL } : undefined,
      watchSqliteFile: process.env.WATCH_SQLITE_FILE !== '0',
      betterSqlite3: process.env.WORKER_BETTER_SQLITE3 === '1',
    }),
  },
  queues: ['default', 'email'] as const,
  logger: console,
  workers: [
    {
      adapter: 'prisma',
      queue: '*',
      count: 1,
      maxAttempts: Number(process.env.WORKER_MAX_ATTEMPTS ?? 5),
      maxRuntime: Number(process.env.WORKER_MAX_RUNTIME ?? 60),
      sleepDelay: Number(process.env.WORKER_SLEEP_DELAY ?? 0.2),
      deleteFailedJobs: false,
      concurrency: process.env.WORKER_CONCURRENCY ? Number(process.env.WORKER_CONCURRENCY) : undefined,
    },
  ],
  jobs: () => import('./jobs/index.js'),
  recurring: process.env.RECURRING_CRON ? [{ job: 'SlotJob', name: 'slots', cron: process.env.RECURRING_CRON }] : [],
})

export const later = jobs.createScheduler({ adapter: 'prisma' })
