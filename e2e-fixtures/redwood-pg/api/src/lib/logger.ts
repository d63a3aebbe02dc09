/**
 * The app's logger. Redwood apps use `createLogger` from `@redwoodjs/api/logger`;
 * this one keeps the same shape (`debug`, `info`, `warn`, `error`) on top of console.
 */
export const logger = {
  debug: (...args: unknown[]) => {
    if (process.env.LOG_LEVEL === 'debug') console.debug(...args)
  },
  info: (...args: unknown[]) => console.info(...args),
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
}
