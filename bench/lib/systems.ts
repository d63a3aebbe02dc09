/** Every system `npm run bench` measures, in table order. */
import { createCeiling } from '../ceiling/ceiling.js'
import { createGraphileWorker } from '../peers/graphile-worker.js'
import { createPgBoss } from '../peers/pg-boss.js'
import type { Counts } from './counts.js'
import type { Provider } from './databases.js'
import type { QueueSystem, Store } from './queue-system.js'

export interface SystemSpec {
  id: string
  label: string
  provider: Store
  create: () => Promise<QueueSystem>
  /** For queues too slow to drain the full count: measure this long, on at most 2,000 jobs. */
  capMs?: number
  /** Why enqueue is not measured for this row. */
  skipEnqueue?: string
  /**
   * The 4 processes × concurrency 10 drain (counts.ts, HIGH_CONCURRENCY_DRAIN):
   * `true` to measure it, or why this row skips it. Unset: not drained so
   * (the rows of other databases; the × graphile ratio needs PostgreSQL).
   */
  highConcurrency?: true | string
}

const PROVIDER_NAMES: Record<Provider, string> = { postgresql: 'PostgreSQL', mysql: 'MariaDB', sqlite: 'SQLite' }

const jobsKit = (provider: Provider): SystemSpec => ({
  id: `jobs-kit/${provider}`,
  label: `jobs-kit (${PROVIDER_NAMES[provider]})`,
  provider,
  // Imported lazily: the jobs-kit app config binds its module to one database.
  create: async () => (await import('../jobs-kit/jobs-kit.js')).createJobsKit(provider),
  highConcurrency: provider === 'postgresql' ? true : undefined,
})

const ceiling = (provider: Provider): SystemSpec => ({
  id: `ceiling/${provider}`,
  label: `ceiling: raw SQL (${PROVIDER_NAMES[provider]})`,
  provider,
  create: () => createCeiling(provider),
  highConcurrency: provider === 'postgresql' ? true : undefined,
})

const PG_BOSS_SKIPS_HIGH_CONCURRENCY = 'not measured: its concurrency-1 rates are a few % of graphile-worker\'s, and the run stays short'

export function getSystemSpecs(counts: Counts): SystemSpec[] {
  return [
    ceiling('postgresql'),
    { id: 'graphile-worker', label: 'graphile-worker 0.17 (PostgreSQL)', provider: 'postgresql', create: createGraphileWorker, highConcurrency: true },
    {
      id: 'pg-boss/loop',
      label: 'pg-boss 10 fetch/complete loop (PostgreSQL)',
      provider: 'postgresql',
      create: () => createPgBoss('loop'),
      highConcurrency: PG_BOSS_SKIPS_HIGH_CONCURRENCY,
    },
    {
      id: 'pg-boss/work',
      label: 'pg-boss 10 work() (PostgreSQL)',
      provider: 'postgresql',
      create: () => createPgBoss('work'),
      capMs: counts.pgBossWorkCapMs,
      skipEnqueue: 'same send()/insert() calls as the fetch/complete row',
      highConcurrency: PG_BOSS_SKIPS_HIGH_CONCURRENCY,
    },
    jobsKit('postgresql'),
    {
      // The app as `jobs-kit setup` writes it for a PostgreSQL app without the `pg` package:
      // the adapter's pg and notify options commented out, so Prisma runs every query and workers poll.
      id: 'jobs-kit/postgresql-prisma-only',
      label: 'jobs-kit (PostgreSQL, Prisma only)',
      provider: 'postgresql',
      create: async () => (await import('../jobs-kit/jobs-kit.js')).createJobsKit('postgresql', { withoutPg: true }),
      highConcurrency: true,
    },
    ceiling('mysql'),
    jobsKit('mysql'),
    ceiling('sqlite'),
    jobsKit('sqlite'),
    // Redis: BullMQ used directly, and jobs-kit's worker on the BullMQAdapter, side by side.
    { id: 'bullmq', label: 'BullMQ 6 Worker (Redis)', provider: 'redis', create: async () => (await import('../peers/bullmq.js')).createBullMQ() },
    {
      id: 'jobs-kit/bullmq',
      label: 'jobs-kit + BullMQAdapter (Redis)',
      provider: 'redis',
      create: async () => (await import('../jobs-kit/jobs-kit-bullmq.js')).createJobsKitBullMQ(),
    },
  ]
}
