/**
 * Every default of the runtime, in one place. The worker, the manager and the
 * adapter read these constants; the docs quote them.
 *
 * Times are in seconds unless the name says otherwise.
 */

/** Priority of a job that does not set one. Lower runs first. */
export const DEFAULT_PRIORITY = 50

/** Attempts before a job is given up and `failedAt` is set. */
export const DEFAULT_MAX_ATTEMPTS = 24

/** Seconds a job may run before it is aborted, failed and retried (4 hours). */
export const DEFAULT_MAX_RUNTIME_SECONDS = 14_400

/** Seconds an idle worker sleeps between two polls for due jobs. */
export const DEFAULT_SLEEP_DELAY_SECONDS = 5

/** Keep a job that used up its attempts (with `failedAt` set) so someone can look at it. */
export const DEFAULT_DELETE_FAILED_JOBS = false

/** Delete a job's row once it succeeded. */
export const DEFAULT_DELETE_SUCCESSFUL_JOBS = true

/** Jobs one worker process runs at the same time. */
export const DEFAULT_CONCURRENCY = 1

/** Worker processes `start` runs for one `workers` entry. */
export const DEFAULT_WORKER_COUNT = 1

/** The queue a worker serves when its config does not name one: every queue. */
export const DEFAULT_WORKER_QUEUE = '*'

/** How many jobs `find` locks in one call when the caller does not say. */
export const DEFAULT_FIND_LIMIT = 1

/** The Prisma model the adapter stores jobs in. */
export const DEFAULT_MODEL_NAME = 'BackgroundJob'

/**
 * Seconds between two lock renewals (`heartbeat`) while a job runs. A lock is
 * only renewed by the worker that holds it, so a crashed worker's locks age.
 */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 15

/**
 * Seconds after which a lock that stopped being renewed is stale and its job
 * may be taken by another worker: four missed heartbeats. Every worker whose
 * adapter renews locks passes this to `find` whatever its own `maxRuntime`,
 * so workers with different settings agree on when a job is abandoned (see
 * `worker/stale-lock.ts`); one whose adapter cannot renew passes its `maxRuntime`.
 */
export const DEFAULT_STALE_LOCK_SECONDS = 60

/**
 * Seconds to wait before each new try of a job's status write (success,
 * failed attempt, given up) that the database refused, while the worker still
 * holds the job and renews its lock. 15 s in all, well inside
 * `DEFAULT_STALE_LOCK_SECONDS`; after the last, the job stays locked and runs
 * again once stale (never sooner, never past `maxAttempts`).
 */
export const STATUS_WRITE_RETRY_DELAYS_SECONDS: readonly number[] = [1, 2, 4, 8]

/** The largest `maxRuntime`/`sleepDelay` in seconds: Node's timers overflow past 2³¹−1 ms (about 24.8 days). */
export const MAX_TIMER_SECONDS = 2_147_483

/** The port `npm run jobs -- dashboard` listens on without `--port`. */
export const DEFAULT_DASHBOARD_PORT = 8787

/** The address the standalone dashboard binds without `--host`: this machine only, since it can delete jobs. */
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1'

/** Jobs per page of the dashboard's jobs list (`createDashboard({ pageSize })`). */
export const DEFAULT_DASHBOARD_PAGE_SIZE = 50

/** Seconds between two refreshes of an open dashboard page. */
export const DASHBOARD_REFRESH_SECONDS = 5

/**
 * The dashboard token's minimum with NODE_ENV=production: 32 characters, at
 * least 10 of them different (`openssl rand -hex 16` or 24 random bytes in
 * base64url pass; a word repeated does not).
 */
export const DASHBOARD_TOKEN_MIN_LENGTH = 32
export const DASHBOARD_TOKEN_MIN_DISTINCT_CHARACTERS = 10

/**
 * Wrong tokens one client address (an IPv6 /64) may send per window; past
 * that, every request from it answers 429 until the window ends. 10 per 5
 * minutes is under 3,000 guesses a day: nothing against a 32-character token.
 */
export const DASHBOARD_LOGIN_FAILURES_PER_WINDOW = 10
export const DASHBOARD_LOGIN_WINDOW_SECONDS = 300
/** Client addresses the login limit remembers at most: its memory stays bounded whoever sends requests. */
export const DASHBOARD_LOGIN_MAX_ADDRESSES = 10_000

/** What a recurring entry does with slots that passed while no worker ran: nothing (see `recurring/plan-slots.ts`). */
export const DEFAULT_MISSED_POLICY = 'skip'

/** `missed: 'all'` enqueues at most this many missed slots (the most recent ones), oldest first. */
export const MAX_MISSED_SLOTS = 100

/**
 * Seconds a slot may be late and still run as an ordinary (not a backfill)
 * run: a worker restarting across a slot (a deploy) still fires it. Later
 * than that, the slot counts as missed and its entry's `missed` policy
 * decides. Sixty seconds, as sidekiq-cron's `reschedule_grace_period`.
 */
export const RECURRING_GRACE_SECONDS = 60

/**
 * Seconds between two looks of a worker's recurring scheduler at its clock.
 * A look that finds no slot due costs no query; the database is read only
 * when a slot is due (see `recurring/recurring-scheduler.ts`).
 */
export const RECURRING_CHECK_INTERVAL_SECONDS = 1

/** Seconds a worker's recurring scheduler waits after a failed check (the database away) before it tries again. */
export const RECURRING_RETRY_SECONDS = 10

/** The Prisma model recurring schedules are kept in. */
export const DEFAULT_SCHEDULE_MODEL_NAME = 'BackgroundJobSchedule'

/** The Prisma model workers register themselves in (`registry/worker-registry.ts`). */
export const DEFAULT_WORKER_MODEL_NAME = 'BackgroundJobWorker'

/** The Prisma model of per-minute counts of jobs done and given up, for the dashboard's last hour. */
export const DEFAULT_JOB_COUNT_MODEL_NAME = 'BackgroundJobCount'

/**
 * Seconds after which a worker row whose heartbeat stopped is deleted (its
 * worker was killed or lost its database): until then `status` and the
 * dashboard show it as dead, so a crash stays visible for a while.
 */
export const DEAD_WORKER_KEPT_SECONDS = 3_600

/** Seconds per-minute job counts are kept: the dashboard shows the last hour, plus a margin for clocks that disagree. */
export const JOB_COUNTS_KEPT_SECONDS = 2 * 3_600

/** The time zone of a recurring entry that does not name one. */
export const DEFAULT_RECURRING_TIMEZONE = 'UTC'
