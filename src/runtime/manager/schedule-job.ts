import { capabilitiesOf } from '../adapters/capabilities.js'
import { InvalidScheduleOptionsError } from '../errors.js'
import type { JobDefinition, JobsAdapter, Logger, ScheduleInput, ScheduleOptions } from '../types.js'
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
  const { job, adapter, logger } = input
  const prepared = prepareJob(input)
  const id = await adapter.schedule(prepared)
  announceScheduled(logger, [{ job, input: prepared, id, adapter }])
  return id
}

/**
 * Checks one job's arguments and options and returns what the adapter
 * stores (`later()` and `later.many()` share it, so a bulk job is stored
 * exactly as `later()` stores it). Throws before anything is written.
 */
export function prepareJob(input: Omit<ScheduleJobInput, 'logger'>, now = new Date()): ScheduleInput {
  const { name, definition, args, options, adapter } = input
  if (args !== undefined && !Array.isArray(args)) {
    throw new InvalidScheduleOptionsError(name, `args must be an array of perform's arguments, e.g. later(${name}, [user.id]).`)
  }
  const list = args ?? []
  checkArgs(name, list)
  const target = resolveScheduleOptions(name, definition, options, input.queues ?? [options?.queue ?? definition.queue], now)
  if (target.db !== undefined && !capabilitiesOf(adapter).transactionalEnqueue) {
    // Storing it anyway would break the promise `db` makes: the job would be
    // queued even if the transaction rolls back.
    throw new InvalidScheduleOptionsError(
      name,
      `its adapter (${adapter.constructor?.name ?? 'this adapter'}) cannot store a job inside your database transaction, so \`db\` cannot be honoured. ` +
        'Call later() after the transaction commits (without db), or give this job a Prisma adapter (createJob({ adapter: … })) to keep the all-or-nothing guarantee. See docs/adapters.md.',
    )
  }
  return {
    // `path` is informational (where `g job` puts the file); workers find jobs by `name` only.
    handler: { name, path: `${name}/${name}`, args: list },
    queue: target.queue,
    priority: target.priority,
    runAt: target.runAt,
    db: target.db,
  }
}

/** Logs stored jobs at debug level and tells the `onScheduled` listeners, one call per job, in order. */
export function announceScheduled(logger: Logger, stored: { job: object; input: ScheduleInput; id: number; adapter: JobsAdapter }[]): void {
  try {
    if (stored.length === 1) {
      const { input, id } = stored[0]!
      logger.debug(`[jobs-kit] scheduled ${input.handler.name} (id ${id}) on queue ${input.queue} for ${input.runAt.toISOString()}`)
    } else if (stored.length > 1) {
      // One line for a bulk call: 5,000 debug lines would cost more than the insert.
      const names = [...new Set(stored.map(({ input }) => input.handler.name))].join(', ')
      logger.debug(`[jobs-kit] scheduled ${stored.length} jobs (${names}), ids ${stored[0]!.id}…${stored[stored.length - 1]!.id}`)
    }
  } catch {
    // The jobs are stored: a logger that throws must not make the caller think
    // they were not (and schedule them again).
  }
  if (listeners.size === 0) return
  for (const { job, input, id, adapter } of stored) {
    const { handler, queue, priority, runAt } = input
    const scheduled: ScheduledJob = { job, name: handler.name, args: handler.args, queue, priority, runAt, id, adapter }
    for (const listener of listeners) listener(scheduled)
  }
}
