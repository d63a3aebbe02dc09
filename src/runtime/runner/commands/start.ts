import type { LogLevel } from '../../worker/guard-logger.js'
import { readPidFiles } from '../pid-files.js'
import { startDetachedWorker } from '../spawn-worker.js'
import type { WorkerSpec } from '../worker-specs.js'

/** What `start` did for one worker. */
export interface StartResult {
  title: string
  pid: number
  /** `started` now, or `running` already (left alone). */
  outcome: 'started' | 'running'
  logPath?: string
}

/**
 * Starts each worker as a detached process (see `startDetachedWorker`),
 * skipping workers whose pid file shows them running. They start side by
 * side (each spends most of its start-up loading the config); when one fails
 * to come up, the first such error is thrown once all have settled (workers
 * that did come up keep running: `stop` stops them).
 */
export async function startWorkers(options: {
  appRoot: string
  configPath: string
  specs: WorkerSpec[]
  logLevel: LogLevel
}): Promise<StartResult[]> {
  const results: StartResult[] = []
  const running = new Map(
    readPidFiles(options.appRoot)
      .filter((entry) => entry.alive && entry.pid !== undefined)
      .map((entry) => [entry.title, entry.pid!]),
  )
  const toStart = options.specs.filter((spec) => {
    const pid = running.get(spec.title)
    if (pid !== undefined) results.push({ title: spec.title, pid, outcome: 'running' })
    return pid === undefined
  })
  const started = await Promise.allSettled(toStart.map((spec) => startDetachedWorker({ ...options, spec })))
  const failures: unknown[] = []
  started.forEach((result, index) => {
    if (result.status === 'fulfilled') {
      results.push({ title: toStart[index]!.title, pid: result.value.pid, outcome: 'started', logPath: result.value.logPath })
    } else {
      failures.push(result.reason)
    }
  })
  if (failures.length > 0) throw failures[0]
  return results
}
