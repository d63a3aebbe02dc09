import { InvalidHandlerError } from '../errors.js'
import type { JobHandler, StoredJob, StoredRecurringRun } from '../types.js'

/**
 * Reads a row's `handler` column: JSON `{ "name", "path", "args" }`.
 * Only `name` is used to find the job (in the registry); `path` is a hint for
 * people reading the table and is never imported.
 */
export function parseHandler(job: Pick<StoredJob, 'id' | 'handler'>): JobHandler {
  let parsed: unknown
  try {
    parsed = JSON.parse(job.handler)
  } catch (error) {
    throw new InvalidHandlerError(job.id, `not JSON: ${(error as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidHandlerError(job.id, 'not a JSON object')
  }
  const { name, path, args, recurring } = parsed as Record<string, unknown>
  if (typeof name !== 'string' || name === '') {
    throw new InvalidHandlerError(job.id, '"name" is missing or not a string')
  }
  if (args !== undefined && !Array.isArray(args)) {
    throw new InvalidHandlerError(job.id, '"args" is not an array')
  }
  const handler: JobHandler = { name, path: typeof path === 'string' ? path : '', args: (args as unknown[] | undefined) ?? [] }
  if (isStoredRecurringRun(recurring)) handler.recurring = recurring
  return handler
}

/** The `recurring` key a recurring entry writes (anything else there is ignored). */
function isStoredRecurringRun(value: unknown): value is StoredRecurringRun {
  const run = value as Partial<StoredRecurringRun> | null | undefined
  return typeof run === 'object' && run !== null && typeof run.schedule === 'string' && typeof run.slot === 'string'
}
