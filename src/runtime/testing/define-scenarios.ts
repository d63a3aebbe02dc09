import { JobsKitError } from '../errors.js'
import type { Job } from '../types.js'

/** A scenario that could not be used as arguments of the job's `perform`. */
export class InvalidScenarioError extends JobsKitError {
  constructor(message: string) {
    super('INVALID_SCENARIO', message)
  }
}

/**
 * `TArgs`, in a position TypeScript does not infer from, so `perform` alone
 * decides the type and each scenario is checked against it (`NoInfer`, for
 * TypeScript versions before 5.4).
 */
type ArgsOf<TArgs> = [TArgs][TArgs extends unknown ? 0 : never]

/**
 * Named sets of sample arguments for a job's tests:
 *
 * ```ts
 * export const scenarios = defineScenarios(SendWelcomeEmailJob, {
 *   standard: [42],
 *   newsletter: [7, { newsletter: true }],
 * })
 * await SendWelcomeEmailJob.perform(...scenarios.standard)
 * ```
 *
 * Each scenario is type-checked against `perform`'s parameters, and checked
 * at once to survive the JSON round trip every scheduled job makes (the same
 * kinds of values `later()` accepts), so tests never pass with arguments a
 * real run could not receive. Remember that a Date comes back from that round
 * trip as an ISO string.
 *
 * Reading a scenario gives a fresh copy each time, so a test that changes its
 * arguments cannot change another test's.
 *
 * @throws {InvalidScenarioError} for a scenario that is not an array of storable values.
 */
export function defineScenarios<TArgs extends unknown[], TName extends string>(
  job: Job<string, TArgs>,
  scenarios: Record<TName, ArgsOf<TArgs>>,
): Readonly<Record<TName, TArgs>> {
  if (typeof job !== 'object' || job === null || typeof (job as { perform?: unknown }).perform !== 'function') {
    throw new InvalidScenarioError('defineScenarios(job, scenarios): the first argument must be a job made by jobs.createJob(...).')
  }
  const result = {} as Record<TName, TArgs>
  for (const [name, args] of Object.entries(scenarios) as [TName, unknown][]) {
    if (!Array.isArray(args)) {
      throw new InvalidScenarioError(
        `Scenario "${name}" must be an array of perform's arguments, e.g. ${name}: [42], not ${describe(args)}.`,
      )
    }
    const problem = findUnstorable(args, name, new Set())
    if (problem) {
      throw new InvalidScenarioError(
        `Scenario ${problem.path} is ${problem.reason}, which does not survive being stored as JSON, ` +
          `so a scheduled run could never receive it. Use plain data (strings, numbers, booleans, null, arrays, plain objects, Dates).`,
      )
    }
    const stored = structuredClone(args)
    Object.defineProperty(result, name, { enumerable: true, get: () => structuredClone(stored) })
  }
  return Object.freeze(result)
}

/** The first value under `value` that JSON would lose or change, with where it is. */
function findUnstorable(value: unknown, path: string, seen: Set<object>): { path: string; reason: string } | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null
    case 'number':
      return Number.isFinite(value) ? null : { path, reason: `${value} (JSON stores it as null)` }
    case 'undefined':
      return { path, reason: 'undefined' }
    case 'bigint':
      return { path, reason: 'a BigInt' }
    case 'symbol':
      return { path, reason: 'a symbol' }
    case 'function':
      return { path, reason: 'a function' }
  }
  if (value === null || value instanceof Date) return null
  const object = value as object
  if (seen.has(object)) return { path, reason: 'a circular reference' }
  seen.add(object)
  try {
    if (Array.isArray(object)) {
      for (const [index, item] of object.entries()) {
        const problem = findUnstorable(item, `${path}[${index}]`, seen)
        if (problem) return problem
      }
      return null
    }
    const prototype = Object.getPrototypeOf(object)
    if (prototype !== Object.prototype && prototype !== null) {
      return { path, reason: `an instance of ${prototype?.constructor?.name ?? 'a class'}` }
    }
    for (const [key, item] of Object.entries(object)) {
      const problem = findUnstorable(item, `${path}.${key}`, seen)
      if (problem) return problem
    }
    return null
  } finally {
    seen.delete(object)
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value
}
