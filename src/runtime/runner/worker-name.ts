import { createHash } from 'node:crypto'
import { hostname } from 'node:os'

/**
 * The worker's process title: `jobs-kit-worker.<queue>.<id>`, with `*` shown
 * as `all` and several queues joined with `+` (`jobs-kit-worker.default+email.0`).
 * It names the pid file too, so two workers with the same title cannot both run.
 *
 * `+` cannot be part of a queue name (see `QUEUE_NAME` in
 * `manager/job-manager.ts`), so two different queue lists never share a title;
 * with `-`, queues `['a-b']` and `['a', 'b']` did, and took each other's jobs
 * as their own after a restart.
 */
export function workerTitle(queues: '*' | readonly string[], id: number): string {
  return `jobs-kit-worker.${queueLabel(queues)}.${id}`
}

/** The longest queue label in a title, so `lockedBy` always fits its column (see `workerProcessName`). */
const MAX_LABEL_LENGTH = 80

/**
 * `all` for every queue, else the queue names joined with `+`. A list longer
 * than 80 characters is cut and ends with `~` and a hash of the whole list,
 * which keeps labels of different lists apart.
 */
export function queueLabel(queues: '*' | readonly string[]): string {
  if (queues === '*') return 'all'
  const joined = queues.join('+')
  if (joined.length <= MAX_LABEL_LENGTH) return joined
  const hash = createHash('sha256').update(joined).digest('hex').slice(0, 8)
  return `${joined.slice(0, MAX_LABEL_LENGTH - hash.length - 1)}~${hash}`
}

/** The longest host name kept in `lockedBy`. */
const MAX_HOST_LENGTH = 64

/**
 * `lockedBy` for this worker: host and title, so workers with the same title
 * on two machines never take each other's jobs as "their own" after a restart.
 *
 * At most 64 + 1 + 16 + 80 + 1 + 10 = 172 characters: MySQL stores `String` as
 * `VARCHAR(191)`, and a longer `lockedBy` made every find of that worker fail.
 */
export function workerProcessName(title: string, host: string = hostname()): string {
  return `${host.slice(0, MAX_HOST_LENGTH)}:${title}`
}
