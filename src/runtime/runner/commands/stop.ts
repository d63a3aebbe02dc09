import { setTimeout as delay } from 'node:timers/promises'
import { isWorkerAlive, readPidFiles, removePidFile, removeStalePidFile } from '../pid-files.js'

/** Seconds `stop` waits for workers to finish their jobs after SIGINT, before it sends SIGTERM. */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 60
/** Seconds `stop` waits after SIGTERM before the last resort, SIGKILL. */
const SIGTERM_GRACE_SECONDS = 10

/** What `stop` did to each worker it found a pid file for. */
export interface StopResult {
  title: string
  pid: number | undefined
  /** `stopped`: exited after SIGINT. `terminated`: needed SIGTERM. `killed`: needed SIGKILL. `stale`: was not running. */
  outcome: 'stopped' | 'terminated' | 'killed' | 'stale'
}

/**
 * Stops every worker that has a pid file under `appRoot`: SIGINT (finish the
 * job in hand), wait up to `timeoutSeconds`, then SIGTERM (stop at once; the
 * job is taken back on restart). Pid files are removed, including stale ones
 * left by workers that died.
 */
export async function stopWorkers(
  appRoot: string,
  { timeoutSeconds = DEFAULT_STOP_TIMEOUT_SECONDS, onProgress = () => {} }: { timeoutSeconds?: number; onProgress?: (message: string) => void } = {},
): Promise<StopResult[]> {
  const results: StopResult[] = []
  const live: { title: string; pid: number }[] = []
  for (const entry of readPidFiles(appRoot)) {
    if (entry.alive && entry.pid !== undefined) {
      live.push({ title: entry.title, pid: entry.pid })
    } else {
      removeStalePidFile(appRoot, entry)
      results.push({ title: entry.title, pid: entry.pid, outcome: 'stale' })
    }
  }
  if (live.length === 0) return results

  for (const worker of live) signal(worker.pid, 'SIGINT')
  onProgress(`Sent SIGINT to ${live.length} worker(s); waiting up to ${timeoutSeconds} s for their jobs in hand to finish…`)
  let remaining = await waitForExit(live, timeoutSeconds)
  for (const worker of live) if (!remaining.includes(worker)) results.push({ ...worker, outcome: 'stopped' })

  if (remaining.length > 0) {
    onProgress(`${remaining.map((w) => w.title).join(', ')} still running after ${timeoutSeconds} s: sending SIGTERM`)
    for (const worker of remaining) signal(worker.pid, 'SIGTERM')
    const afterTerm = await waitForExit(remaining, SIGTERM_GRACE_SECONDS)
    for (const worker of remaining) if (!afterTerm.includes(worker)) results.push({ ...worker, outcome: 'terminated' })
    for (const worker of afterTerm) {
      signal(worker.pid, 'SIGKILL')
      results.push({ ...worker, outcome: 'killed' })
    }
    remaining = afterTerm
  }
  for (const worker of live) removePidFile(appRoot, worker.title, worker.pid)
  return results
}

async function waitForExit<T extends { title: string; pid: number }>(workers: T[], timeoutSeconds: number): Promise<T[]> {
  const deadline = Date.now() + timeoutSeconds * 1000
  let remaining = workers
  while (remaining.length > 0 && Date.now() < deadline) {
    await delay(100)
    remaining = remaining.filter((worker) => isWorkerAlive(worker.pid, worker.title))
  }
  return remaining
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Exited in the meantime.
  }
}
