/**
 * The side effect the test jobs leave: one line per event appended to
 * SIDE_EFFECT_FILE (`<event> <key> <pid> <epoch ms>`). Appends of a short line with
 * O_APPEND are atomic, so lines from several worker processes never mix, and
 * tests count runs per job by counting lines.
 */
import { appendFileSync } from 'node:fs'

export function record(event: 'start' | 'done' | 'attempt', key: string): void {
  const file = process.env.SIDE_EFFECT_FILE
  if (!file) throw new Error('The process-test app needs SIDE_EFFECT_FILE.')
  appendFileSync(file, `${event} ${key} ${process.pid} ${Date.now()}\n`)
}
