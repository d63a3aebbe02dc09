/** Whether `value` has the four methods of a `Logger` (console and pino do). */
export function isLogger(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  return ['debug', 'info', 'warn', 'error'].every((level) => typeof (value as Record<string, unknown>)[level] === 'function')
}
