import { RunnerUsageError } from './errors.js'

/** One part of `-n`: this many workers on this queue (`'*'` for every queue). */
export interface WorkerSetEntry {
  queue: string
  count: number
}

const VALID_FORMS =
  'Valid forms: -n 4 (4 workers on every queue), -n email:2, -n default:2,email:4, ' +
  '-n :2,email:4 (an empty queue name means every queue).'

/**
 * Parses the `-n` option, which replaces the configured worker set:
 *
 * - `4` → 4 workers on every queue (`'*'`)
 * - `email:2` → 2 workers on `email`
 * - `default:2,email:4` → 2 on `default` and 4 on `email`
 * - `:2,email:4` → 2 on every queue and 4 on `email`
 *
 * Counts are whole numbers of at least 1. A queue may appear once.
 */
export function parseWorkerSet(value: string): WorkerSetEntry[] {
  const text = value.trim()
  if (text === '') throw invalid(value, 'it is empty')
  if (/^\d+$/.test(text)) return [{ queue: '*', count: parseCount(text, value, text) }]

  const entries: WorkerSetEntry[] = []
  for (const rawPart of text.split(',')) {
    const part = rawPart.trim()
    const match = /^([^:\s]*):(.*)$/.exec(part)
    if (match === null) {
      throw invalid(value, part === '' ? 'it has an empty part between commas' : `"${part}" is not <queue>:<count>`)
    }
    const [, queueName = '', countText = ''] = match
    const queue = queueName === '' ? '*' : queueName
    const count = parseCount(countText, value, part)
    if (entries.some((entry) => entry.queue === queue)) {
      throw invalid(value, `queue "${queue === '*' ? '' : queue}" appears more than once`)
    }
    entries.push({ queue, count })
  }
  return entries
}

function parseCount(text: string, value: string, part: string): number {
  if (!/^\d+$/.test(text)) throw invalid(value, `"${part}" has a count that is not a whole number`)
  const count = Number(text)
  if (count < 1 || !Number.isSafeInteger(count)) throw invalid(value, `"${part}" asks for ${text} workers; use at least 1`)
  return count
}

function invalid(value: string, reason: string): RunnerUsageError {
  return new RunnerUsageError(`Invalid -n "${value}": ${reason}. ${VALID_FORMS}`)
}
