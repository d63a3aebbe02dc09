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
}

const PROVIDER_NAMES: Record<Provider, string> = { postgresql: 'PostgreSQL', mysql: 'MariaDB', sqlite: 'SQLite' }

const jobsKit = (provider: Provider): SystemSpec => ({
  id: `jobs-kit/${provider}`,
  label: `jobs-kit (${PROVIDER_NAMES[provider]})`,
  provider,
  // Imported lazily: the jobs-kit app config binds its module to one database.
  create: async () => (await import('../jobs-kit/jobs-kit.js')).createJobsKit(provider),
})

const ceiling = (provider: Provider): SystemSpec => ({
  id: `ceiling/${provider}`,
  label: `ceiling: raw SQL (${PROVIDER_NAMES[provider]})`,
  provider,
  create: () => createCeiling(provider),
})

export function getSystemSpecs(counts: Counts): SystemSpec[] {
  return [
    ceiling('postgresql'),
    { id: 'graphile-worker', label: 'graphile-worker 0.17 (PostgreSQL)', provider: 'postgresql', create: createGraphileWorker },
    { id: 'pg-boss/loop', label: 'pg-boss 10 fetch/complete loop (PostgreSQL)', provider: 'postgresql', create: () => createPgBoss('loop') },
    {
      id: 'pg-boss/work',
      label: 'pg-boss 10 work() (PostgreSQL)',
      provider: 'postgresql',
      create: () => createPgBoss('work'),
      capMs: counts.pgBossWorkCapMs,
      skipEnqueue: 'same send()/insert() calls as the fetch/complete row',
    },
    jobsKit('postgresql'),
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
