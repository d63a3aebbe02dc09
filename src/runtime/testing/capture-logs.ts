import { format } from 'node:util'
import type { Logger } from '../types.js'

/** The four levels a jobs-kit logger has. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

/** One call to a captured logger. */
export interface CapturedLog {
  level: LogLevel
  /** The arguments as passed. */
  args: unknown[]
  /** The arguments formatted the way `console` prints them (`util.format`). */
  message: string
}

/** What `captureLogs` returns. */
export interface LogCapture {
  /** Every call since capturing started, oldest first. */
  readonly entries: CapturedLog[]
  /** The formatted messages, of one level or of all. */
  messages(level?: LogLevel): string[]
  /** Puts the logger's own methods back. Call it in `finally` or `afterEach`. */
  restore(): void
}

/**
 * Records what a job logs, for assertions:
 *
 * ```ts
 * const logs = captureLogs(jobs.logger)   // or captureLogs(jobs)
 * try {
 *   await SendWelcomeEmailJob.perform(42)
 * } finally {
 *   logs.restore()
 * }
 * expect(logs.messages('info')).toContain('SendWelcomeEmailJob: performing for user 42')
 * ```
 *
 * It swaps the logger's `debug`/`info`/`warn`/`error` methods in place (so it
 * also catches code that holds on to the logger object, `console` included)
 * until `restore()`. Captured calls are not printed unless `passThrough` is set.
 * Tests that run at the same time (`it.concurrent`) and share the logger
 * would capture each other's calls: capture in tests that run one at a time.
 */
export function captureLogs(target: Logger | { logger: Logger }, options: { passThrough?: boolean } = {}): LogCapture {
  const logger: Logger = isLogger(target) ? target : target.logger
  const entries: CapturedLog[] = []
  const saved = LEVELS.map((level) => ({
    level,
    own: Object.getOwnPropertyDescriptor(logger, level),
    original: logger[level],
  }))

  for (const { level, original } of saved) {
    const capture = (...args: unknown[]) => {
      entries.push({ level, args, message: format(...args) })
      if (options.passThrough) original.apply(logger, args)
    }
    Object.defineProperty(logger, level, { value: capture, configurable: true, writable: true, enumerable: false })
  }

  let restored = false
  return {
    entries,
    messages: (level) => entries.filter((entry) => level === undefined || entry.level === level).map((entry) => entry.message),
    restore() {
      if (restored) return
      restored = true
      for (const { level, own } of saved) {
        // A method the logger had itself goes back; one it inherited (a class's) is uncovered again.
        if (own) Object.defineProperty(logger, level, own)
        else delete (logger as unknown as Record<string, unknown>)[level]
      }
    },
  }
}

function isLogger(value: Logger | { logger: Logger }): value is Logger {
  return LEVELS.every((level) => typeof (value as Partial<Logger>)[level] === 'function')
}
