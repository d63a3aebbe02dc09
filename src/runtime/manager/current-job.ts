import { AsyncLocalStorage } from 'node:async_hooks'
import type { JobContext } from '../types.js'

/** Carries the running job's context through every `await` inside `perform`. */
export const jobContextStorage = new AsyncLocalStorage<JobContext>()

/**
 * The context of the job running right now (its id, name, attempt, abort
 * signal and logger), from anywhere inside its `perform`, including helpers
 * it calls. `undefined` outside a job.
 *
 * ```ts
 * const job = currentJob()
 * await fetch(url, { signal: job?.signal })
 * ```
 */
export function currentJob(): JobContext | undefined {
  return jobContextStorage.getStore()
}
