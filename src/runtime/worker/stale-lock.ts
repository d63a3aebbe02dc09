import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS, DEFAULT_STALE_LOCK_SECONDS } from '../defaults.js'

/**
 * When another worker may take a job whose lock stopped being renewed, and how
 * often this worker renews the locks of the jobs it runs.
 *
 * The adapter calls a lock stale when `lockedAt` is older than the
 * `maxRuntime` it is given in `find`. A worker whose adapter can renew locks
 * (`heartbeat`) passes a much shorter threshold than the job's `maxRuntime`:
 * four missed heartbeats, 60 s by default, so a SIGKILLed worker's jobs run
 * again within about a minute instead of after four hours.
 *
 * The trade-off: a worker that is alive but stalled for longer than the
 * threshold (a frozen event loop, a paused VM, a lost database connection)
 * stops renewing and can lose its job to another worker, which then runs it a
 * second time. Jobs should be idempotent anyway; if yours cannot bear that,
 * raise `DEFAULT_STALE_LOCK_SECONDS` in your copy of `defaults.ts`.
 *
 * `maxRuntime` is still enforced, by the worker itself: it aborts the job's
 * signal and records a failed attempt (see `execute-job.ts`).
 */
export interface LockTiming {
  /** Passed to `find` as `maxRuntime`: seconds after which a lock is stale. */
  staleAfterSeconds: number
  /** Seconds between two renewals; undefined when the adapter cannot renew. */
  heartbeatIntervalSeconds: number | undefined
}

export function getLockTiming(maxRuntimeSeconds: number, canHeartbeat: boolean): LockTiming {
  if (!canHeartbeat) return { staleAfterSeconds: maxRuntimeSeconds, heartbeatIntervalSeconds: undefined }
  // Never later than maxRuntime: a worker with maxRuntime 10 s has given up on
  // its job by then anyway. Renew four times per threshold whatever it is.
  const staleAfterSeconds = Math.min(maxRuntimeSeconds, DEFAULT_STALE_LOCK_SECONDS)
  const heartbeatIntervalSeconds = Math.min(DEFAULT_HEARTBEAT_INTERVAL_SECONDS, staleAfterSeconds / 4)
  return { staleAfterSeconds, heartbeatIntervalSeconds }
}
