import { DEFAULT_PRIORITY } from '../defaults.js'
import { InvalidScheduleOptionsError, UnknownQueueError } from '../errors.js'
import type { JobDefinition, ScheduleOptions } from '../types.js'

const KNOWN_OPTIONS = new Set(['wait', 'waitUntil', 'queue', 'priority', 'db'])

/** The latest `runAt` every supported database stores and reads back: MySQL's DATETIME ends there, and Prisma reads no 5-digit year. */
const LATEST_RUN_AT = Date.UTC(9999, 11, 31, 23, 59, 59, 999)

/** Where and when one run goes, once the options are checked. */
export interface ScheduleTarget {
  queue: string
  priority: number
  runAt: Date
  db: unknown
}

/**
 * Checks `later()`'s options and works out queue, priority and `runAt`.
 * `runAt` is taken from this process's clock (see the adapter on time).
 */
export function resolveScheduleOptions(
  jobName: string,
  definition: JobDefinition<string, unknown[]>,
  options: ScheduleOptions | undefined,
  queues: readonly string[],
  now = new Date(),
): ScheduleTarget {
  const fail = (message: string): never => {
    throw new InvalidScheduleOptionsError(jobName, message)
  }
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    fail('options must be an object like { wait: 60 } or { waitUntil: new Date(...) }.')
  }
  const { wait, waitUntil, queue, priority, db } = options ?? {}
  for (const key of Object.keys(options ?? {})) {
    if (!KNOWN_OPTIONS.has(key)) fail(`unknown option "${key}". Use wait (seconds), waitUntil (a Date), queue, priority or db.`)
  }

  if (wait !== undefined && waitUntil !== undefined) fail('give either wait (seconds from now) or waitUntil (a Date), not both.')
  let runAt = now
  if (wait !== undefined) {
    if (typeof wait !== 'number' || !Number.isFinite(wait) || wait < 0) {
      fail(`wait must be a number of seconds, 0 or more (got ${String(wait)}).`)
    }
    runAt = new Date(now.getTime() + wait * 1000)
  }
  if (waitUntil !== undefined) {
    if (!(waitUntil instanceof Date) || Number.isNaN(waitUntil.getTime())) {
      fail(`waitUntil must be a valid Date (got ${describe(waitUntil)}).`)
    }
    // A copy: the app may reuse its Date, and an adapter that keeps the value (MemoryAdapter) must not move with it.
    runAt = new Date(waitUntil.getTime())
  }

  if (!(runAt.getTime() <= LATEST_RUN_AT)) {
    fail(
      `${wait !== undefined ? `wait (${String(wait)} s)` : 'waitUntil'} puts runAt after the year 9999, which not every database stores ` +
        '(MySQL refuses it, PostgreSQL reads it back as an invalid date). Schedule it for a nearer date.',
    )
  }

  const targetQueue = queue ?? definition.queue
  // A class job scheduled without a JobManager has no queue list to be checked against: check the shape at least.
  if (typeof targetQueue !== 'string' || targetQueue === '') fail(`queue must be a queue name (a non-empty string), got ${JSON.stringify(targetQueue) ?? String(targetQueue)}.`)
  if (!queues.includes(targetQueue)) throw new UnknownQueueError(targetQueue, queues, `Scheduling ${jobName}`)

  const targetPriority = priority ?? definition.priority ?? DEFAULT_PRIORITY
  if (!isStoredInt(targetPriority)) fail(`priority must be a whole number (got ${String(targetPriority)}); lower runs first, default ${DEFAULT_PRIORITY}.`)

  return { queue: targetQueue, priority: targetPriority, runAt, db }
}

/** Fits the `Int` column (32-bit signed) every provider uses for priority. */
export function isStoredInt(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= -2_147_483_648 && (value as number) <= 2_147_483_647
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'an invalid Date'
  if (typeof value === 'string') return `the string "${value}"; pass new Date("${value}")`
  return String(value)
}
