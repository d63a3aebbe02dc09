/**
 * Measures how fast workers empty a queue that was filled before they
 * started. The clock starts at the last poll that still saw every job waiting
 * and stops at the first poll that sees none, so process start-up is not
 * counted and the error is at most one poll interval at each end.
 */
import { assertAlive, sleep, type WorkerProcess } from './processes.js'
import { nowMs, perSecond } from './stats.js'

export interface DrainResult {
  jobs: number
  ms: number
  jobsPerSecond: number
}

export interface DrainOptions {
  total: number
  /** Jobs not finished yet (waiting or running). */
  remaining: () => Promise<number>
  workers: WorkerProcess[]
  pollMs?: number
  /** Give up when nothing moved for this long. */
  stallMs?: number
  /** Stop measuring at this many ms after the start (for queues too slow to drain); the rate counts what finished. */
  capMs?: number
}

export async function measureDrain(options: DrainOptions): Promise<DrainResult> {
  const pollMs = options.pollMs ?? 20
  const stallMs = options.stallMs ?? 60_000
  let lastFullAt = nowMs()
  let startedAt: number | undefined
  let lastCount = options.total
  let lastMoveAt = nowMs()
  for (;;) {
    const polledAt = nowMs()
    const count = await options.remaining()
    if (count >= options.total) {
      lastFullAt = polledAt
    } else if (startedAt === undefined) {
      startedAt = lastFullAt
    }
    if (count !== lastCount) {
      lastCount = count
      lastMoveAt = polledAt
    }
    if (count === 0) {
      const ms = polledAt - startedAt!
      return { jobs: options.total, ms, jobsPerSecond: perSecond(options.total, ms) }
    }
    if (startedAt !== undefined && options.capMs !== undefined && polledAt - startedAt >= options.capMs) {
      const done = options.total - count
      const ms = polledAt - startedAt
      return { jobs: done, ms, jobsPerSecond: perSecond(done, ms) }
    }
    if (polledAt - lastMoveAt > stallMs) {
      throw new Error(`queue stalled at ${count} of ${options.total} jobs for ${stallMs} ms:\n${options.workers.map((w) => `--- ${w.name}\n${w.output()}`).join('\n')}`)
    }
    assertAlive(options.workers)
    await sleep(pollMs)
  }
}
