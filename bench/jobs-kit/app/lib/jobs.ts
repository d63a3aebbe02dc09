/**
 * The benchmark app's jobs config, shaped like the one `jobs-kit setup`
 * writes (lib/jobs.ts), importing the runtime from src/runtime in place.
 */
import { JobManager, PrismaAdapter } from '../../../../src/runtime/index.js'
import { readyAndWaitForGo } from '../../../lib/go-signal.js'
import { db } from './db.js'

/** Warnings and errors only: a debug line per job would measure the terminal. */
const logger = {
  debug: () => {},
  info: () => {},
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
}

// The adapter options `jobs-kit setup` writes (src/generators/setup/fast-pickup.ts) for an app on
// BENCH_PROVIDER whose client connects with BENCH_DB_URL and that has `pg`, `mariadb` and `better-sqlite3`
// (BENCH_WITHOUT_PG=1 / BENCH_WITHOUT_MARIADB=1 / BENCH_WITHOUT_BETTER_SQLITE3=1: one without); a test
// (src/generators/setup/fast-pickup.test.ts) checks these lines are setup's own.
const databaseUrl = process.env.BENCH_DB_URL
const asSetUp = {
  postgresql:
    process.env.BENCH_WITHOUT_PG === '1'
      ? {
          // Without `pg`, setup writes the pg and notify lines commented out: no options.
        }
      : {
          pg: databaseUrl ? { connectionString: databaseUrl } : undefined,
          notify: databaseUrl ? { connectionString: databaseUrl } : undefined,
        },
  sqlite:
    process.env.BENCH_WITHOUT_BETTER_SQLITE3 === '1'
      ? {
          // An app without better-sqlite3 (bench/experiments/sqlite-throughput.ts's "before"): setup writes only WAL.
          sqliteWal: true,
        }
      : {
          sqliteWal: true,
          betterSqlite3: true,
        },
  mysql:
    process.env.BENCH_WITHOUT_MARIADB === '1'
      ? {
          // Without `mariadb`, setup writes the mariadb line commented out: no options.
        }
      : {
          mariadb: databaseUrl ? { connectionString: databaseUrl } : undefined,
        },
}[process.env.BENCH_PROVIDER as 'postgresql' | 'sqlite' | 'mysql']

export const jobs = new JobManager({
  adapters: { prisma: new PrismaAdapter({ db, ...asSetUp }) },
  queues: ['default'] as const,
  logger,
  workers: [{ adapter: 'prisma', queue: '*', count: 1 }],
  jobs: () => import('../jobs/index.js'),
})

export const later = jobs.createScheduler({ adapter: 'prisma' })

// Benchmark only: a worker process connects, warms up Prisma (its query
// compiler loads on first use) and waits here until every worker is up (see
// bench/lib/go-signal.ts), so neither start-up nor first-query cost is measured.
if (process.env.BENCH_HOLD === '1') {
  await db.$queryRawUnsafe('SELECT 1')
  await db.backgroundJob.deleteMany({ where: { id: -1 } })
}
await readyAndWaitForGo()
