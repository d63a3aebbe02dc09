/**
 * The most characters of `lastError` the adapter writes. The column is
 * `String` in the model: `TEXT` on PostgreSQL and SQLite (no practical limit),
 * but `TEXT` on MySQL/MariaDB holds 65,535 bytes, and one UTF-16 code unit is
 * at most 3 bytes of utf8mb4 (a 4-byte character is 2 code units), so 16,000
 * code units always fit (48,000 bytes) with room to spare.
 */
export const MAX_STORED_ERROR_LENGTH = 16_000

/** What replaces the cut-out middle of an error too long to store. */
const CUT_MARK = '\n[… cut: the error was too long to store …]\n'

/**
 * `lastError` for a failed job: the message and the stack (V8's stack starts
 * with the message), made storable in any database.
 *
 * A database refuses some strings outright: PostgreSQL rejects NUL in text,
 * MySQL rejects invalid UTF-8 (a lone surrogate) in strict mode, and a message
 * over the column's size fails the write. A refused write used to leave the
 * job locked and re-run; so the error is cleaned and capped here, keeping its
 * head (the message and the top of the stack, where the cause is) and its end.
 */
export function formatStoredError(error: Error, maxLength = MAX_STORED_ERROR_LENGTH): string {
  return toStorableText(describeWithStack(error), maxLength)
}

/** Text any database accepts in a text column: no NUL, well-formed UTF-16, at most `maxLength` code units. */
export function toStorableText(text: string, maxLength = MAX_STORED_ERROR_LENGTH): string {
  const clean = toWellFormed(text.replaceAll('\u0000', '\\0'))
  if (clean.length <= maxLength) return clean
  const tailLength = Math.floor((maxLength - CUT_MARK.length) / 4)
  const headLength = maxLength - CUT_MARK.length - tailLength
  // Cut on whole characters: never between the two halves of a surrogate pair.
  return toWellFormed(`${clean.slice(0, headLength)}${CUT_MARK}${clean.slice(clean.length - tailLength)}`)
}

/**
 * Replaces lone surrogates with U+FFFD, as `String.prototype.toWellFormed`
 * does (not used: it needs the ES2024 lib in the app's tsconfig).
 */
function toWellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
}

function describeWithStack(error: Error): string {
  const message = `${readText(() => error.name)}: ${readText(() => error.message)}`
  const stack = readText(() => error.stack)
  if (!stack) return message
  return stack.startsWith(message) ? stack : `${message}\n${stack}`
}

/** A property of a thrown value, as text, even when it is not a string or its getter throws. */
function readText(read: () => unknown): string {
  try {
    const value = read()
    return typeof value === 'string' ? value : value === undefined ? '' : String(value)
  } catch {
    return ''
  }
}
