/** What a job's stored handler holds, as the dashboard shows it. */
export interface ShownHandler {
  name: string
  args: unknown
  /** False when the stored handler is not the JSON the runtime writes (shown as raw text). */
  parsed: boolean
  /** The values the redaction hid (as text), so the same values can be hidden in the job's error too. */
  hidden: readonly string[]
}

/**
 * Shortest hidden value also hidden in the job's error text: replacing every
 * "7" of a stack trace because a redacted key held 7 would hide nothing and
 * garble the trace.
 */
const MIN_HIDDEN_LENGTH_IN_ERRORS = 4

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
    return { name: '(unreadable handler)', args: redact.size > 0 ? REDACTED : stored, parsed: false, hidden: [] }
  }
  const hidden: string[] = []
  const handler = value as { name?: unknown; args?: unknown } | null
  if (typeof handler !== 'object' || handler === null) return { name: '(unreadable handler)', args: redactValue(value, redact, hidden), parsed: false, hidden }
  return { name: typeof handler.name === 'string' ? handler.name : '(no name)', args: redactValue(handler.args, redact, hidden), parsed: true, hidden }
}

/**
 * A job's last error with the values its redacted arguments held replaced
 * by "[redacted]": an error often quotes the argument it failed on
 * (`login failed for hunter2`). Only the job's own values are known, so a
 * secret the error got from elsewhere stays; values shorter than
 * `MIN_HIDDEN_LENGTH_IN_ERRORS` stay too (see there).
 */
export function redactError(lastError: string, handler: ShownHandler): string
export function redactError(lastError: string | null, handler: ShownHandler): string | null
export function redactError(lastError: string | null, handler: ShownHandler): string | null {
  if (lastError === null) return null
  let text = lastError
  // Each value also as JSON writes it inside a string (`p@ss\"word`): errors often quote a request body or the
  // arguments as JSON. Longest first: a value that contains another is hidden whole.
  const forms = new Set(handler.hidden.flatMap((value) => [value, JSON.stringify(value).slice(1, -1)]))
  for (const value of [...forms].sort((a, b) => b.length - a.length)) {
    if (value.length >= MIN_HIDDEN_LENGTH_IN_ERRORS) text = text.split(value).join(REDACTED)
  }
  return text
}

/** The value with redacted keys' values replaced; what was hidden goes to `hidden` (strings and numbers as text, objects as their leaves). */
function redactValue(value: unknown, redact: ReadonlySet<string>, hidden: string[]): unknown {
  if (redact.size === 0 || typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, hidden))
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (!redact.has(key.toLowerCase())) return [key, redactValue(inner, redact, hidden)]
      collectLeaves(inner, hidden)
      return [key, REDACTED]
    }),
  )
}

function collectLeaves(value: unknown, into: string[]): void {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') into.push(String(value))
  else if (typeof value === 'object' && value !== null) for (const inner of Object.values(value)) collectLeaves(inner, into)
}

/** The `redact` option as the set `readHandler` takes. */
export function toRedactSet(keys: readonly string[] | undefined): ReadonlySet<string> {
  return new Set((keys ?? []).map((key) => key.toLowerCase()))
}
