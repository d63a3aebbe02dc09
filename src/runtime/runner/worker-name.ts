import { hostname } from 'node:os'

/**
 * The worker's process title: `jobs-kit-worker.<queue>.<id>`, with `*` shown
 * as `all` and several queues joined with `-` (`jobs-kit-worker.default-email.0`).
 * It names the pid file too, so two workers with the same title cannot both run.
 */
export function workerTitle(queues: '*' | readonly string[], id: number): string {
  return `jobs-kit-worker.${queueLabel(queues)}.${id}`
}

/** `all` for every queue, else the queue names joined with `-`. */
export function queueLabel(queues: '*' | readonly string[]): string {
  return queues === '*' ? 'all' : queues.join('-')
}

/**
 * `lockedBy` for this worker: host and title, so workers with the same title
 * on two machines never take each other's jobs as "their own" after a restart.
 */
export function workerProcessName(title: string, host: string = hostname()): string {
  return `${host}:${title}`
}
