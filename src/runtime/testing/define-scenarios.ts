import { JobsKitError, UnserializableArgumentError } from '../errors.js'
import { checkArgs } from '../manager/check-args.js'
import { getJobDefinition } from '../manager/job-definition.js'
import type { RedwoodJobClass } from '../manager/redwood-job.js'
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
): Readonly<Record<TName, TArgs>>
/** The same for a class-style job (`extends RedwoodJob`): each scenario is checked against its `perform`. */
export function defineScenarios<TArgs extends unknown[], TName extends string>(
  job: RedwoodJobClass & { prototype: { perform(...args: TArgs): unknown } },
  scenarios: Record<TName, ArgsOf<TArgs>>,
): Readonly<Record<TName, TArgs>>
export function defineScenarios<TArgs extends unknown[], TName extends string>(
  job: object,
  scenarios: Record<TName, ArgsOf<TArgs>>,
): Readonly<Record<TName, TArgs>> {
  const isClassJob = typeof job === 'function' && getJobDefinition(job) !== undefined
  if (!isClassJob && (typeof job !== 'object' || job === null || typeof (job as { perform?: unknown }).perform !== 'function')) {
    throw new InvalidScenarioError(
      'defineScenarios(job, scenarios): the first argument must be a job made by jobs.createJob(...) or a class that extends RedwoodJob.',
    )
  }
  const result = {} as Record<TName, TArgs>
  for (const [name, args] of Object.entries(scenarios) as [TName, unknown][]) {
    if (!Array.isArray(args)) {
      throw new InvalidScenarioError(
        `Scenario "${name}" must be an array of perform's arguments, e.g. ${name}: [42], not ${describeValue(args)}.`,
      )
    }
    try {
      // The very check later() makes, so a scenario is always something a scheduled run could receive.
      checkArgs(name, args)
    } catch (error) {
      if (!(error instanceof UnserializableArgumentError)) throw error
      throw new InvalidScenarioError(
        `Scenario "${name}": ${error.path} is ${error.reason}, which does not survive being stored as JSON, ` +
          `so a scheduled run could never receive it. Use plain data (strings, numbers, booleans, null, arrays, plain objects, Dates).`,
      )
    }
    const stored = structuredClone(args)
    Object.defineProperty(result, name, { enumerable: true, get: () => structuredClone(stored) })
  }
  return Object.freeze(result)
}

function describeValue(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value
}
