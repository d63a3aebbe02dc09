import type { RunnerJobManager } from '../../runner/job-manager-shape.js'
import type { RecurringScheduler } from '../../recurring/recurring-scheduler.js'
import { createRecurringScheduler } from '../../recurring/start-recurring.js'
import type { Logger } from '../../types.js'
import type { DashboardJobs } from './job-source.js'

/** The schedules page's access to the recurring scheduler; undefined when the config has no `recurring` entries. */
export type SchedulesSource = () => Promise<RecurringScheduler | undefined>

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** Whether `jobs` has recurring entries the dashboard can show (a JobManager with `recurring` and `loadJob`). */
export function hasSchedules(jobs: DashboardJobs): boolean {
  return (jobs.recurring?.length ?? 0) > 0 && typeof jobs.loadJob === 'function'
}

/**
 * The scheduler of the app's recurring entries, built on first use (it loads
 * croner, an optional peer, and each entry's job) and kept; a failure is not
 * kept, so fixing the config and reloading the page works. The schedules live
 * in the same Prisma adapter the dashboard reads jobs through.
 */
export function resolveSchedulesSource(jobs: DashboardJobs, adapterName: string): SchedulesSource | undefined {
  if (!hasSchedules(jobs)) return undefined
  let ready: Promise<RecurringScheduler | undefined> | undefined
  // Named fields, not a spread: `loadJob` is a method on the JobManager's prototype.
  const manager = {
    adapters: jobs.adapters,
    queues: jobs.queues ?? [],
    workers: [],
    recurring: jobs.recurring,
    logger: jobs.logger ?? quiet,
    loadJob: (name: string) => jobs.loadJob!(name),
  } as RunnerJobManager
  return () => {
    ready ??= createRecurringScheduler(manager, { logger: manager.logger, preferredAdapter: adapterName })
    ready.catch(() => {
      ready = undefined
    })
    return ready
  }
}
