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

// PostgreSQL: the finding queries through a pg pool (the adapter's `pg`
// option) and LISTEN/NOTIFY wake-ups (`notify`), as an app would opt in.
const postgresql = process.env.BENCH_PROVIDER === 'postgresql' ? { connectionString: process.env.BENCH_DB_URL! } : undefined

export const jobs = new JobManager({
  adapters: { prisma: new PrismaAdapter({ db, pg: postgresql, notify: postgresql }) },
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
