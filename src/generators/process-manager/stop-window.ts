import { STATUS_WRITE_RETRY_DELAYS_SECONDS } from '../../runtime/defaults.js'
import type { WorkerDescription } from '../../runtime/runner/worker-specs.js'

/**
 * Seconds a worker may need after `maxRuntime` to exit: the job in hand is
 * aborted at `maxRuntime`, then its failed attempt is written, with up to
 * 15 s of retries when the database refuses (`STATUS_WRITE_RETRY_DELAYS_SECONDS`),
 * then the worker deletes its registry row (it waits at most 5 s for that;
 * docs/workers.md) and the adapters close. 15 s more covers those and a
 * loaded machine.
 */
export const STOP_MARGIN_SECONDS = STATUS_WRITE_RETRY_DELAYS_SECONDS.reduce((sum, delay) => sum + delay, 0) + 15

/**
 * How long a process manager must wait, after the SIGINT that asks a worker
 * to finish its jobs in hand, before it kills it: the longest a job in hand
 * can still run (`maxRuntime`) plus the margin. Killing sooner is safe (the
 * job runs again) but throws its work away.
 */
export function stopWindowSeconds(worker: Pick<WorkerDescription, 'maxRuntime'>): number {
  return Math.ceil(worker.maxRuntime) + STOP_MARGIN_SECONDS
}
