/** What a job's stored handler holds, as the dashboard shows it. */
export interface ShownHandler {
  name: string
  args: unknown
  /** False when the stored handler is not the JSON the runtime writes (shown as raw text). */
  parsed: boolean
}

export const REDACTED = '[redacted]'

/**
 * Reads a stored handler and hides the values of `redact` keys (any depth,
 * case-insensitive) in its arguments. Every page and the JSON view show
 * arguments only through this function, so a redacted key never leaves the
 * server. A handler that is not valid JSON cannot be redacted key by key, so
 * it is hidden whole when anything is to be redacted.
 */
export function readHandler(stored: string, redact: ReadonlySet<string>): ShownHandler {
  let value: unknown
  try {
    value = JSON.parse(stored)
  } catch {
    return { name: '(unreadable handler)', args: redact.size > 0 ? REDACTED : stored, parsed: false }
  }
  const handler = value as { name?: unknown; args?: unknown } | null
  if (typeof handler !== 'object' || handler === null) return { name: '(unreadable handler)', args: redactValue(value, redact), parsed: false }
  return { name: typeof handler.name === 'string' ? handler.name : '(no name)', args: redactValue(handler.args, redact), parsed: true }
}

function redactValue(value: unknown, redact: ReadonlySet<string>): unknown {
  if (redact.size === 0 || typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact))
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, redact.has(key.toLowerCase()) ? REDACTED : redactValue(inner, redact)]),
  )
}

/** The `redact` option as the set `readHandler` takes. */
export function toRedactSet(keys: readonly string[] | undefined): ReadonlySet<string> {
  return new Set((keys ?? []).map((key) => key.toLowerCase()))
}
