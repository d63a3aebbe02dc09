import { UnserializableArgumentError } from '../errors.js'

/**
 * Checks that a job's arguments come back from the database as they went in.
 * They are stored with `JSON.stringify` and read with `JSON.parse`, which
 * silently turns many values into something else (a Map into `{}`, NaN into
 * `null`, a class instance into a plain object) or throws (BigInt, cycles).
 * Rejecting them here, at schedule time, names the culprit while the caller
 * is still on the stack, instead of failing hours later in a worker.
 *
 * Allowed: strings, booleans, finite numbers, null, arrays, plain objects
 * (properties whose value is `undefined` are dropped, as JSON does) and valid
 * Dates, which come back as ISO strings.
 */
export function checkArgs(jobName: string, args: readonly unknown[]): void {
  const ancestors = new Set<object>()
  // Index by index, not forEach: forEach skips the holes of `[1, , 3]`.
  for (let index = 0; index < args.length; index++) {
    if (!(index in args)) throw new UnserializableArgumentError(jobName, `args[${index}]`, 'an empty slot of a sparse array (JSON stores it as null)')
    checkValue(jobName, args[index], `args[${index}]`, ancestors, true)
  }
}

function checkValue(jobName: string, value: unknown, path: string, ancestors: Set<object>, inArray: boolean): void {
  const reject = (reason: string): never => {
    throw new UnserializableArgumentError(jobName, path, reason)
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return
    case 'number':
      if (!Number.isFinite(value)) reject(`${value} (JSON stores it as null)`)
      if (Object.is(value, -0)) reject('-0 (JSON stores it as 0)')
      return
    case 'undefined':
      // In an object, JSON drops the key, which reads back the same; in an array it becomes null.
      if (inArray) reject('undefined (JSON stores it as null)')
      return
    case 'bigint':
      return reject('a BigInt (pass it as a string)')
    case 'symbol':
      return reject('a symbol')
    case 'function':
      return reject('a function')
  }
  if (value === null) return
  const object = value as object

  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) reject('an invalid Date (JSON stores it as null)')
    return
  }
  if (ancestors.has(object)) reject('a circular reference')
  ancestors.add(object)
  try {
    if (Array.isArray(object)) {
      for (let index = 0; index < object.length; index++) {
        if (!(index in object)) throw new UnserializableArgumentError(jobName, `${path}[${index}]`, 'an empty slot of a sparse array (JSON stores it as null)')
        checkValue(jobName, readProperty(jobName, object, index, `${path}[${index}]`), `${path}[${index}]`, ancestors, true)
      }
      const extra = Object.keys(object).find((key) => !isArrayIndex(key, object.length))
      if (extra !== undefined) reject(`an array with a property ${JSON.stringify(extra)} besides its items (JSON drops it)`)
      if (Object.getOwnPropertySymbols(object).length > 0) reject('an array with symbol keys (JSON drops them)')
      return
    }
    const prototype = Object.getPrototypeOf(object)
    if (prototype !== Object.prototype && prototype !== null) reject(describeInstance(object))
    if (Object.getOwnPropertySymbols(object).length > 0) reject('an object with symbol keys (JSON drops them)')
    for (const key of Object.keys(object)) {
      const where = `${path}${formatKey(key)}`
      checkValue(jobName, readProperty(jobName, object, key, where), where, ancestors, false)
    }
  } finally {
    ancestors.delete(object)
  }
}

/** A property's value; a getter that throws is reported as an argument error, naming where. */
function readProperty(jobName: string, object: object, key: string | number, path: string): unknown {
  try {
    return (object as Record<string | number, unknown>)[key]
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown)
    throw new UnserializableArgumentError(jobName, path, `a getter that throws (${reason})`)
  }
}

function isArrayIndex(key: string, length: number): boolean {
  const index = Number(key)
  return Number.isInteger(index) && index >= 0 && index < length && String(index) === key
}

function describeInstance(object: object): string {
  if (object instanceof Map) return 'a Map (JSON stores it as {}; pass Object.fromEntries(map) or an array of entries)'
  if (object instanceof Set) return 'a Set (JSON stores it as {}; pass [...set])'
  const name = (object.constructor as { name?: unknown } | undefined)?.name
  const className = typeof name === 'string' && name ? name : 'a class'
  return `an instance of ${className} (it would come back as a plain object, or not at all)`
}

function formatKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
}
