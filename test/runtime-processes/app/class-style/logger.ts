/** The app's `src/lib/logger` of the seed's samples: prints each line tagged, so tests see it was used. */
export const logger = {
  debug: (...args: unknown[]) => console.log('[app logger] debug', ...args),
  info: (...args: unknown[]) => console.log('[app logger] info', ...args),
  warn: (...args: unknown[]) => console.log('[app logger] warn', ...args),
  error: (...args: unknown[]) => console.log('[app logger] error', ...args),
}
