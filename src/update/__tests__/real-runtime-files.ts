/**
 * Two real runtime files exactly as committed in d9dc3e4 (`src/runtime/worker/`),
 * and a v2 of each with the kind of change a release makes, for the JavaScript
 * (types stripped) update tests. Kept as copies so later edits to the runtime
 * do not change what these tests merge.
 */

/** `src/runtime/worker/backoff.ts` at d9dc3e4. */
export const REAL_BACKOFF_V1 = "/**\n * How long a failed job waits before its next attempt: `attempts⁴` seconds,\n * where `attempts` counts the runs so far (1 after the first failure).\n *\n * 1 s, 16 s, 81 s, 4 min, 10 min, 22 min, 40 min, 68 min, … With the default\n * 24 attempts a job keeps being retried for about 20 days.\n *\n * No jitter, on purpose: the rule is the one the stored `runAt` documents,\n * so a developer reading a row can tell when it will run again, and tests can\n * check it exactly. Jitter spreads retries of many jobs that failed at the same\n * moment (a database outage); here those jobs already spread out because each\n * worker takes a few at a time, so the thundering herd jitter guards against\n * is small. Add it in your copy if your jobs call a rate-limited service.\n */\nexport function backoffSeconds(attempts: number): number {\n  return Math.max(attempts, 1) ** 4\n}\n\n/** The `runAt` of the next attempt after a job has failed `attempts` times. */\nexport function retryAt(attempts: number, now: Date = new Date()): Date {\n  return new Date(now.getTime() + backoffSeconds(attempts) * 1000)\n}\n"

/** `src/runtime/worker/stale-lock.ts` at d9dc3e4. */
export const REAL_STALE_LOCK_V1 = "import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS, DEFAULT_STALE_LOCK_SECONDS } from '../defaults.js'\n\n/**\n * When another worker may take a job whose lock stopped being renewed, and how\n * often this worker renews the locks of the jobs it runs.\n *\n * The adapter calls a lock stale when `lockedAt` is older than the\n * `maxRuntime` it is given in `find`. A worker whose adapter can renew locks\n * (`heartbeat`) passes a much shorter threshold than the job's `maxRuntime`:\n * four missed heartbeats, 60 s by default, so a SIGKILLed worker's jobs run\n * again within about a minute instead of after four hours.\n *\n * The trade-off: a worker that is alive but stalled for longer than the\n * threshold (a frozen event loop, a paused VM, a lost database connection)\n * stops renewing and can lose its job to another worker, which then runs it a\n * second time. Jobs should be idempotent anyway; if yours cannot bear that,\n * raise `DEFAULT_STALE_LOCK_SECONDS` in your copy of `defaults.ts`.\n *\n * `maxRuntime` is still enforced, by the worker itself: it aborts the job's\n * signal and records a failed attempt (see `execute-job.ts`).\n */\nexport interface LockTiming {\n  /** Passed to `find` as `maxRuntime`: seconds after which a lock is stale. */\n  staleAfterSeconds: number\n  /** Seconds between two renewals; undefined when the adapter cannot renew. */\n  heartbeatIntervalSeconds: number | undefined\n}\n\nexport function getLockTiming(maxRuntimeSeconds: number, canHeartbeat: boolean): LockTiming {\n  if (!canHeartbeat) return { staleAfterSeconds: maxRuntimeSeconds, heartbeatIntervalSeconds: undefined }\n  // Never later than maxRuntime: a worker with maxRuntime 10 s has given up on\n  // its job by then anyway. Renew four times per threshold whatever it is.\n  const staleAfterSeconds = Math.min(maxRuntimeSeconds, DEFAULT_STALE_LOCK_SECONDS)\n  const heartbeatIntervalSeconds = Math.min(DEFAULT_HEARTBEAT_INTERVAL_SECONDS, staleAfterSeconds / 4)\n  return { staleAfterSeconds, heartbeatIntervalSeconds }\n}\n"

/** `text` with `search` replaced, failing loudly when `search` is not there (a fixture that stops matching must not pass silently). */
export function replaceOnce(text: string, search: string, replacement: string): string {
  if (!text.includes(search)) throw new Error(`fixture: ${JSON.stringify(search)} not found`)
  return text.replace(search, replacement)
}

/** v2: the backoff stops growing after 27 attempts. */
export const REAL_BACKOFF_V2 = replaceOnce(
  REAL_BACKOFF_V1,
  'export function backoffSeconds(attempts: number): number {\n  return Math.max(attempts, 1) ** 4\n}',
  'export function backoffSeconds(attempts: number): number {\n  const counted: number = Math.min(Math.max(attempts, 1), MAX_BACKOFF_ATTEMPTS)\n  return counted ** 4\n}\n\n/** Past this many attempts the wait stops growing (about 6 days). */\nconst MAX_BACKOFF_ATTEMPTS: number = 27',
)

/** v2: locks are renewed five times per threshold instead of four. */
export const REAL_STALE_LOCK_V2 = replaceOnce(
  REAL_STALE_LOCK_V1,
  '  const heartbeatIntervalSeconds = Math.min(DEFAULT_HEARTBEAT_INTERVAL_SECONDS, staleAfterSeconds / 4)',
  '  const heartbeatIntervalSeconds: number = Math.min(DEFAULT_HEARTBEAT_INTERVAL_SECONDS, staleAfterSeconds / 5)',
)
