import { DEFAULT_STALE_LOCK_SECONDS } from '../defaults.js'
import { explainDatabaseFailure } from '../adapters/prisma/database-failure.js'
import { isRegistryMissing, type WorkerRegistry, type WorkerRow } from './worker-registry.js'

/** A registered worker as `status` and the dashboard show it. */
export interface RegisteredWorker extends WorkerRow {
  /** Its heartbeat is fresher than the stale-lock threshold: the same rule that says its jobs' locks are still held. */
  alive: boolean
}

/** The registry's workers, or why they cannot be listed. */
export type RegistryRead =
  | { kind: 'workers'; workers: RegisteredWorker[] }
  | { kind: 'missing' }
  | { kind: 'failed'; message: string }

/**
 * Every registered worker, alive first, with whether it is alive at `now`:
 * a worker whose heartbeat is older than `DEFAULT_STALE_LOCK_SECONDS` was
 * killed (or lost its database) and its jobs are up for grabs.
 */
export async function readRegisteredWorkers(registry: WorkerRegistry | undefined, now: Date): Promise<RegistryRead> {
  if (!registry) return { kind: 'missing' }
  try {
    const staleBefore = now.getTime() - DEFAULT_STALE_LOCK_SECONDS * 1000
    const workers = (await registry.readWorkers()).map((row) => ({ ...row, alive: row.heartbeatAt.getTime() >= staleBefore }))
    workers.sort((a, b) => Number(b.alive) - Number(a.alive) || a.name.localeCompare(b.name))
    return { kind: 'workers', workers }
  } catch (thrown) {
    if (isRegistryMissing(thrown)) return { kind: 'missing' }
    // The reason and what to do (status and the dashboard print it), not Prisma's code frame and a stack.
    return { kind: 'failed', message: explainDatabaseFailure(thrown, registry.models.worker) }
  }
}

/** `5 s`, `3 min`, `2 h`: how long ago, for a heartbeat. */
export function formatAge(from: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000))
  if (seconds < 120) return `${seconds} s`
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`
  return `${Math.round(seconds / 3600)} h`
}
