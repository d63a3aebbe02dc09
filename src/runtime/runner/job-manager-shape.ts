import type { ResolvedRecurringEntry } from '../recurring/resolve-recurring.js'
import type { Job, JobsAdapter, LifecycleHooks, Logger, ResolvedWorkerConfig } from '../types.js'

/**
 * What the runner uses of the app's `jobs` export (a `JobManager`). Checked
 * structurally, so a config that imports the runtime through another path
 * (a `.js` build next to the `.ts` sources) still works.
 */
export interface RunnerJobManager {
  readonly adapters: Record<string, JobsAdapter>
  readonly queues: readonly string[]
  readonly logger: Logger
  /** Optional: a config from before lifecycle hooks has none. */
  readonly hooks?: LifecycleHooks
  readonly workers: readonly ResolvedWorkerConfig[]
  /** Missing in configs made by a runtime from before recurring jobs. */
  readonly recurring?: readonly ResolvedRecurringEntry[]
  loadJob(name: string): Promise<Job<string, unknown[]> | undefined>
}

/** Whether `value` looks like a `JobManager`. */
export function isJobManager(value: unknown): value is RunnerJobManager {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<Record<keyof RunnerJobManager, unknown>>
  return (
    typeof candidate.adapters === 'object' &&
    candidate.adapters !== null &&
    Array.isArray(candidate.queues) &&
    Array.isArray(candidate.workers) &&
    typeof candidate.loadJob === 'function'
  )
}
