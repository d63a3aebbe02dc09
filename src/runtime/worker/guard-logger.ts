import type { Logger } from '../types.js'

/** Log levels, quietest last. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/**
 * Wraps the app's logger so that a logger that throws (a closed stream, a
 * broken transport) can never stop the worker, and drops messages below
 * `level`.
 *
 * Every call passes one string, which suits both `console` and pino
 * (`logger.info(msg)`).
 */
export function guardLogger(logger: Logger, level: LogLevel = 'debug'): Logger {
  const minimum = LOG_LEVELS.indexOf(level)
  const guarded = {} as Logger
  minimumLevels.set(guarded, minimum)
  for (const [index, name] of LOG_LEVELS.entries()) {
    guarded[name] = (...args: unknown[]) => {
      if (index < minimum) return
      try {
        logger[name](...args)
      } catch {
        // Nothing sensible to do: the logger is the place we would report it.
      }
    }
  }
  return guarded
}

/** The lowest level each guarded logger writes, by logger. */
const minimumLevels = new WeakMap<Logger, number>()

/**
 * Whether `logger` writes messages at `level`: false only for a guarded
 * logger set to a higher level. Lets a per-job message that would be dropped
 * skip building its text (and the values in it).
 */
export function logsAt(logger: Logger, level: LogLevel): boolean {
  const minimum = minimumLevels.get(logger)
  return minimum === undefined || LOG_LEVELS.indexOf(level) >= minimum
}

/** Whether `value` names a log level. */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value)
}
