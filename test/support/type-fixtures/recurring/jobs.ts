// Compiled by src/runtime/recurring/recurring-types.test.ts: an app's jobs
// config whose recurring entries are type-checked against its jobs index
// (which imports this very config). Every @ts-expect-error must fail to
// compile, everything else must compile. Never run.
import { JobManager, PrismaAdapter, recurringJobs, type RecurringEntry } from '../../../../src/runtime/index.js'

export const jobs = new JobManager({
  adapters: { prisma: new PrismaAdapter({ db: {} }) },
  queues: ['default', 'reports'] as const,
  workers: [{ adapter: 'prisma', queue: '*' }],
  jobs: () => import('./index.js'),
  recurring: (): RecurringEntry[] =>
    recurringJobs<typeof import('./index.js')>([
      { job: 'NightlyReportJob', cron: '0 3 * * *', timezone: 'Europe/Berlin', missed: 'once' },
      { job: 'CleanupJob', name: 'cleanup-hourly', cron: '0 * * * *', args: [24] },
      // @ts-expect-error a job the index does not export
      { job: 'MissingJob', cron: '0 3 * * *' },
      // @ts-expect-error args of the wrong type
      { job: 'CleanupJob', cron: '0 3 * * *', args: ['24'] },
      // @ts-expect-error args left out although perform needs them
      { job: 'CleanupJob', cron: '0 3 * * *' },
      // @ts-expect-error a missed policy that does not exist
      { job: 'NightlyReportJob', cron: '0 3 * * *', missed: 'never' },
    ]),
})

/** The plain form of the contract: queues are checked, job names and args at worker start. */
export const plain = new JobManager({
  adapters: { prisma: new PrismaAdapter({ db: {} }) },
  queues: ['default'] as const,
  workers: [],
  jobs: () => ({}),
  recurring: [
    { job: 'NightlyReportJob', cron: '0 3 * * *', args: [] },
    // @ts-expect-error a queue that is not configured
    { job: 'NightlyReportJob', cron: '0 3 * * *', queue: 'email' },
  ],
})
