import { capabilitiesOf } from '../adapters/capabilities.js'
import { InvalidScheduleOptionsError } from '../errors.js'
import type { JobDefinition, JobsAdapter, Logger, ScheduleOptions } from '../types.js'
import { checkArgs } from './check-args.js'
import { resolveScheduleOptions } from './schedule-options.js'

/** One job stored by `later()`, `performLater()` or a class job, as scheduling listeners see it. */
export interface ScheduledJob {
  /** What the app scheduled: a `createJob` job, or a `RedwoodJob` class. */
  job: object
  name: string
  args: unknown[]
  queue: string
  priority: number
  runAt: Date
  /** The id the adapter returned. */
  id: number
  adapter: JobsAdapter
}

const listeners = new Set<(scheduled: ScheduledJob) => void>()

/**
 * Calls `listener` for every job stored from now on, in this process,
 * whichever style or adapter stored it. Returns the function that stops it.
 * The testing helpers (`testing/scheduled.ts`) are built on it.
 */
export function onScheduled(listener: (scheduled: ScheduledJob) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export interface ScheduleJobInput {
  /** What the app passed (job object or class), for listeners. */
  job: object
  name: string
  definition: JobDefinition<string, unknown[]>
  args: unknown[] | undefined
  options: ScheduleOptions | undefined
  adapter: JobsAdapter
  /** The configured queues; undefined when no config is known (a class job without `RedwoodJob.config({ jobs })`). */
  queues: readonly string[] | undefined
  logger: Logger
}

/**
 * The one path every scheduling call takes, in both job styles: checks the
 * arguments survive JSON, works out queue, priority and `runAt`, stores the
 * job and returns its id.
 */
export async function scheduleJob(input: ScheduleJobInput): Promise<number> {
  const { name, definition, args, options, adapter, logger } = input
  if (args !== undefined && !Array.isArray(args)) {
    throw new InvalidScheduleOptionsError(name, `args must be an array of perform's arguments, e.g. later(${name}, [user.id]).`)
  }
  const list = args ?? []
  checkArgs(name, list)
  const target = resolveScheduleOptions(name, definition, options, input.queues ?? [options?.queue ?? definition.queue])
  if (target.db !== undefined && !capabilitiesOf(adapter).transactionalEnqueue) {
    // Storing it anyway would break the promise `db` makes: the job would be
    // queued even if the transaction rolls back.
    throw new InvalidScheduleOptionsError(
      name,
      `its adapter (${adapter.constructor?.name ?? 'this adapter'}) cannot store a job inside your database transaction, so \`db\` cannot be honoured. ` +
        'Call later() after the transaction commits (without db), or give this job a Prisma adapter (createJob({ adapter: … })) to keep the all-or-nothing guarantee. See docs/adapters.md.',
    )
  }
  const id = await adapter.schedule({
    // `path` is informational (where `g job` puts the file); workers find jobs by `name` only.
    handler: { name, path: `${name}/${name}`, args: list },
    queue: target.queue,
    priority: target.priority,
    runAt: target.runAt,
    db: target.db,
  })
  try {
    logger.debug(`[jobs-kit] scheduled ${name} (id ${id}) on queue ${target.queue} for ${target.runAt.toISOString()}`)
  } catch {
    // The job is stored: a logger that throws must not make the caller think
    // it was not (and schedule it again).
  }
  const scheduled: ScheduledJob = { job: input.job, name, args: list, queue: target.queue, priority: target.priority, runAt: target.runAt, id, adapter }
  for (const listener of listeners) listener(scheduled)
  return id
}
