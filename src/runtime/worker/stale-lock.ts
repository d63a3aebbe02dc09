import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS, DEFAULT_STALE_LOCK_SECONDS } from '../defaults.js'

/**
 * When another worker may take a job whose lock stopped being renewed, and how
 * often this worker renews the locks of the jobs it runs.
 *
 * With an adapter that can renew locks (`heartbeat`), every worker uses the
 * same two numbers whatever its own settings: it renews every 15 s and calls
 * a lock stale after 60 s (`DEFAULT_HEARTBEAT_INTERVAL_SECONDS`,
 * `DEFAULT_STALE_LOCK_SECONDS`). One threshold for everyone is what keeps one
 * job with one live worker: when each worker derived its threshold from its
 * own `maxRuntime`, a worker started with `--maxRuntime 10` called a healthy
 * 25 s job of a default worker stale after 10 s and ran it a second time.
 * A SIGKILLed worker's jobs therefore run again after about a minute, not
 * after four hours.
 *
 * The trade-off: a worker that is alive but stalled for longer than the
 * threshold (a frozen event loop, a paused VM, a lost database connection)
 * stops renewing and can lose its job to another worker, which then runs it a
 * second time. Jobs should be idempotent anyway; if yours cannot bear that,
 * raise `DEFAULT_STALE_LOCK_SECONDS` in your copy of `defaults.ts` (every
 * worker on the table must run with the same copy).
 *
 * `maxRuntime` is enforced by the worker running the job: it aborts the job's
 * signal and records a failed attempt (see `execute-job.ts`).
 *
 * Without `heartbeat` (an adapter that cannot renew), a lock is stale after
 * the worker's `maxRuntime`: then give every worker on one table the same
 * `maxRuntime`.
 */
export interface LockTiming {
  /** Passed to `find` as `staleAfterSeconds`. */
  staleAfterSeconds: number
  /** Seconds between two renewals; undefined when the adapter cannot renew. */
  heartbeatIntervalSeconds: number | undefined
}

export function getLockTiming(maxRuntimeSeconds: number, canHeartbeat: boolean): LockTiming {
  if (!canHeartbeat) return { staleAfterSeconds: maxRuntimeSeconds, heartbeatIntervalSeconds: undefined }
  return { staleAfterSeconds: DEFAULT_STALE_LOCK_SECONDS, heartbeatIntervalSeconds: DEFAULT_HEARTBEAT_INTERVAL_SECONDS }
}
