/**
 * Turns anything a job threw into an `Error`, so the worker can always record
 * a message and a stack. `throw 'oops'`, `throw { code: 1 }` and
 * `Promise.reject(undefined)` all happen in real code.
 */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown
  let description: string
  try {
    description = typeof thrown === 'string' ? thrown : JSON.stringify(thrown) ?? String(thrown)
  } catch {
    try {
      description = String(thrown)
    } catch {
      // Neither JSON nor String() can print it (a cyclic object without a
      // prototype): this must not throw, or the attempt is never recorded.
      description = `an unprintable ${typeof thrown}`
    }
  }
  return new Error(`a non-error was thrown: ${description}`, { cause: thrown })
}

/** `lastError` text: the stack when there is one (it starts with the message), else the message. */
export function describeError(error: Error): string {
  try {
    return error.stack ?? `${error.name}: ${error.message}`
  } catch {
    return String(error)
  }
}
