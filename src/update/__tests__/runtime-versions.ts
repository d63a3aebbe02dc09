/**
 * Two "versions" of a small runtime, as `renderRuntimeFiles` would return
 * them for a TypeScript app (paths relative to the runtime folder). v2
 * changes `worker/worker.ts` in one function, changes `worker/backoff.ts`,
 * leaves `index.ts` alone, removes `runner/status.ts` and adds
 * `runner/pid-files.ts`, the kinds of change a release makes.
 */

const INDEX = `export { JobManager } from './manager.js'
export { PrismaAdapter } from './adapters/prisma-adapter.js'
export type { Job, Scheduler } from './types.js'
`

const WORKER_V1 = `import { retryAt } from './backoff.js'

/** Options of a worker. */
export interface WorkerOptions {
  queue: string
  sleepDelaySeconds: number
  maxAttempts: number
}

/** Runs jobs until stopped. */
export class Worker {
  private stopping = false

  constructor(private readonly options: WorkerOptions) {}

  /** Takes no new jobs; the one in hand finishes. */
  stop(): void {
    this.stopping = true
  }

  /** Whether a failed job gets another attempt. */
  shouldRetry(attempts: number): boolean {
    return attempts < this.options.maxAttempts
  }

  /** When the next attempt runs. */
  nextRunAt(attempts: number): Date {
    return retryAt(attempts)
  }

  /** How long to wait when no job is due. */
  idleMilliseconds(): number {
    return this.options.sleepDelaySeconds * 1000
  }
}
`

const WORKER_V2 = WORKER_V1.replace(
  `  /** How long to wait when no job is due. */
  idleMilliseconds(): number {
    return this.options.sleepDelaySeconds * 1000
  }`,
  `  /** How long to wait when no job is due; never less than 100 ms, so a zero delay cannot spin. */
  idleMilliseconds(): number {
    return Math.max(this.options.sleepDelaySeconds * 1000, 100)
  }`,
)

export const BACKOFF_V1 = `/**
 * How long a failed job waits before its next attempt: \`attempts⁴\` seconds,
 * where \`attempts\` counts the runs so far (1 after the first failure).
 *
 * No jitter, on purpose: the rule is the one the stored \`runAt\` documents,
 * so a developer reading a row can tell when it will run again.
 */
export function backoffSeconds(attempts: number): number {
  return Math.max(attempts, 1) ** 4
}

/** The \`runAt\` of the next attempt after a job has failed \`attempts\` times. */
export function retryAt(attempts: number, now: Date = new Date()): Date {
  return new Date(now.getTime() + backoffSeconds(attempts) * 1000)
}
`

export const BACKOFF_V2 = BACKOFF_V1.replace(
  `export function backoffSeconds(attempts: number): number {
  return Math.max(attempts, 1) ** 4
}`,
  `export function backoffSeconds(attempts: number): number {
  const capped: number = Math.min(Math.max(attempts, 1), MAX_BACKOFF_ATTEMPTS)
  return capped ** 4
}

/** Past this many attempts the wait stops growing (about 6 days). */
const MAX_BACKOFF_ATTEMPTS: number = 27`,
)

const STATUS = `/** Counts jobs per queue for \`status\`. */
export function formatStatus(counts: Record<string, number>): string {
  return Object.entries(counts).map(([queue, count]) => \`\${queue}: \${count}\`).join('\\n')
}
`

const PID_FILES = `/** Where a detached worker's pid is kept. */
export function pidFilePath(root: string, workerName: string): string {
  return \`\${root}/.jobs-kit/pids/\${workerName}.pid\`
}
`

/** Runtime-relative path → content, version 0.1.0. */
export const RUNTIME_V1 = new Map([
  ['index.ts', INDEX],
  ['runner/status.ts', STATUS],
  ['worker/backoff.ts', BACKOFF_V1],
  ['worker/worker.ts', WORKER_V1],
])

/** Runtime-relative path → content, version 0.2.0. */
export const RUNTIME_V2 = new Map([
  ['index.ts', INDEX],
  ['runner/pid-files.ts', PID_FILES],
  ['worker/backoff.ts', BACKOFF_V2],
  ['worker/worker.ts', WORKER_V2],
])

// A fixture that silently failed to change would make every update test vacuous.
if (WORKER_V2 === WORKER_V1 || BACKOFF_V2 === BACKOFF_V1) throw new Error('runtime-versions: v2 must differ from v1')
