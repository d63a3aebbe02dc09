import { DEFAULT_PRIORITY } from '../defaults.js'
import { InvalidConfigError, UnknownAdapterError, UnknownQueueError } from '../errors.js'
import type { JobDefinition, ScheduleOptions } from '../types.js'
import { JOB_DEFINITION, type DefinedJob } from './job-definition.js'
import { checkHooks } from './check-hooks.js'
import { isLogger } from './is-logger.js'
import { isStoredInt } from './schedule-options.js'

/** What a job needs from its manager to run inline and to schedule itself. */
export interface JobScheduling {
  performInline(job: AnyJob, args: unknown[]): Promise<void>
  performLater(job: AnyJob, args: unknown[], options: ScheduleOptions | undefined): Promise<number>
}

/** A job of any queue and arguments, as the manager handles it internally. */
export type AnyJob = DefinedJob<string, unknown[]>

/**
 * Builds the job object `jobs.createJob(...)` returns, after checking the
 * definition. The object is frozen: its queue and priority are what the
 * scheduler and the registry saw.
 */
export function createJob<TQueue extends string, TArgs extends unknown[]>(
  definition: JobDefinition<TQueue, TArgs>,
  queues: readonly string[],
  adapters: readonly string[],
  scheduling: JobScheduling,
): DefinedJob<TQueue, TArgs> {
  if (typeof definition !== 'object' || definition === null) {
    throw new InvalidConfigError('createJob needs a definition: createJob({ queue: \'default\', perform: async (...args) => { … } }).')
  }
  const where = definition.name ? `createJob (${definition.name})` : 'createJob'
  if (typeof definition.perform !== 'function') {
    throw new InvalidConfigError(`${where}: \`perform\` must be a function, the work the job does: perform: async (userId: number) => { … }.`)
  }
  if (!queues.includes(definition.queue)) throw new UnknownQueueError(String(definition.queue), queues, where)
  if (definition.priority !== undefined && !isStoredInt(definition.priority)) {
    throw new InvalidConfigError(`${where}: priority must be a whole number (got ${String(definition.priority)}); lower runs first, default ${DEFAULT_PRIORITY}.`)
  }
  if (definition.name !== undefined && (typeof definition.name !== 'string' || definition.name.trim() === '')) {
    throw new InvalidConfigError(`${where}: name must be the job's export name in your jobs index, e.g. 'SendWelcomeEmailJob'.`)
  }

  if (definition.adapter !== undefined && !adapters.includes(definition.adapter)) {
    throw new UnknownAdapterError(String(definition.adapter), adapters, where)
  }
  if (definition.logger !== undefined && !isLogger(definition.logger)) {
    throw new InvalidConfigError(`${where}: logger must have debug, info, warn and error methods (console and pino do).`)
  }
  checkHooks(definition, where)

  const frozenDefinition = Object.freeze({ ...definition })
  const job: DefinedJob<TQueue, TArgs> = Object.freeze({
    queue: definition.queue,
    priority: definition.priority ?? DEFAULT_PRIORITY,
    name: definition.name,
    perform: (...args: TArgs) => scheduling.performInline(job as unknown as AnyJob, args),
    performLater: (...args: TArgs) => scheduling.performLater(job as unknown as AnyJob, args, undefined),
    set: (options: ScheduleOptions<TQueue>) => ({
      performLater: (...args: TArgs) => scheduling.performLater(job as unknown as AnyJob, args, options),
    }),
    [JOB_DEFINITION]: frozenDefinition,
  })
  return job
}

/** How error messages name a job that has no name yet. */
export function describeJob(definition: JobDefinition<string, unknown[]>): string {
  const performName = definition.perform.name
  const named = performName && performName !== 'perform' ? `, perform: ${performName}` : ''
  return `The job created with createJob({ queue: '${definition.queue}'${named} })`
}
