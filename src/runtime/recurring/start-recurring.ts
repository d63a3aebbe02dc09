import { ModelNotFoundError } from '../errors.js'
import type { PrismaClientLike } from '../adapters/prisma/prisma-client.js'
import type { RunnerJobManager } from '../runner/job-manager-shape.js'
import type { JobsAdapter, Logger } from '../types.js'
import { RecurringConfigError } from './errors.js'
import { RecurringScheduler } from './recurring-scheduler.js'
import { ScheduleStore } from './schedule-store.js'

/**
 * The recurring scheduler of the app's config, or undefined when it has no
 * `recurring` entries (croner is then never loaded). Throws
 * `RecurringConfigError` naming the entry when an expression, a time zone or
 * a job is wrong.
 *
 * The schedules and their jobs are stored through the Prisma adapter
 * `preferredAdapter` names, if it is one, else the first Prisma adapter of the config.
 */
export async function createRecurringScheduler(
  jobs: RunnerJobManager,
  options: { logger: Logger; preferredAdapter?: string; now?: () => Date },
): Promise<RecurringScheduler | undefined> {
  const entries = jobs.recurring ?? []
  if (entries.length === 0) return undefined
  const adapter = pickPrismaAdapter(jobs.adapters, options.preferredAdapter)
  return RecurringScheduler.create({
    entries,
    adapter,
    db: adapter.db,
    loadJob: (name) => jobs.loadJob(name),
    logger: options.logger,
    now: options.now,
  })
}

/**
 * At the start of a worker whose config has no `recurring` entries: deletes
 * the schedule rows left by entries since removed (`sync()` does it while
 * some remain), so an entry added back later starts afresh instead of
 * catching up on every slot in between. Returns how many it deleted; 0, and
 * no error, when there is no Prisma adapter or its client has no schedule
 * model (an app that never had recurring jobs) or the read fails: a worker
 * without recurring jobs must start regardless.
 */
export async function removeSchedulesOfRemovedEntries(
  jobs: RunnerJobManager,
  options: { logger: Logger; preferredAdapter?: string },
): Promise<number> {
  if ((jobs.recurring ?? []).length > 0) return 0
  let adapter: PrismaBackedAdapter
  try {
    adapter = pickPrismaAdapter(jobs.adapters, options.preferredAdapter)
  } catch {
    return 0
  }
  try {
    const removed = await new ScheduleStore(adapter.db).deleteExcept([])
    if (removed > 0) options.logger.info(`[jobs-kit] removed ${removed} recurring schedule(s) no longer in the jobs config`)
    return removed
  } catch (error) {
    if (!(error instanceof ModelNotFoundError)) options.logger.debug(`[jobs-kit] could not look for schedules of removed recurring entries: ${(error as Error)?.message ?? error}`)
    return 0
  }
}

/** An adapter that stores through a Prisma client (`PrismaAdapter`): it has the `db` that claims run transactions on. */
type PrismaBackedAdapter = JobsAdapter & { db: PrismaClientLike }

function pickPrismaAdapter(adapters: Record<string, JobsAdapter>, preferred: string | undefined): PrismaBackedAdapter {
  const isPrisma = (adapter: JobsAdapter | undefined): adapter is PrismaBackedAdapter =>
    typeof (adapter as { db?: { $transaction?: unknown } } | undefined)?.db?.$transaction === 'function'
  const chosen = preferred !== undefined && isPrisma(adapters[preferred]) ? adapters[preferred] : Object.values(adapters).find(isPrisma)
  if (!chosen) {
    throw new RecurringConfigError(
      'Your jobs config has `recurring` entries, which keep their schedules in your database through a PrismaAdapter, ' +
        'and none of its adapters is one. Add `prisma: new PrismaAdapter({ db })` to `adapters`.',
    )
  }
  return chosen as PrismaBackedAdapter
}
