/**
 * The chaos run's side table: one row per run of a ChaosJob (job id, its
 * sequence number, the worker's process title and pid, and when the run
 * started and finished its work by the worker's clock), written by the job
 * itself in the same database (bench/jobs-kit/app/jobs/chaos-job.ts).
 *
 * The times are the worker's `Date.now()`, not the database's clock: the
 * harness compares them with the moment it killed a worker (same machine,
 * same clock), which proves an extra run started only after the worker of the
 * run before it was dead.
 */
import type { Provider } from '../lib/databases.js'

export function createRunsTableSql(provider: Provider): string[] {
  if (provider === 'postgresql') {
    return [
      `CREATE TABLE "ChaosRun" ("id" SERIAL PRIMARY KEY, "jobId" INTEGER NOT NULL, "sequence" INTEGER NOT NULL, "worker" TEXT NOT NULL, "pid" INTEGER NOT NULL, "startedAtMs" BIGINT NOT NULL, "finishedAtMs" BIGINT)`,
      `CREATE INDEX "ChaosRun_jobId" ON "ChaosRun" ("jobId")`,
    ]
  }
  if (provider === 'mysql') {
    return [
      'CREATE TABLE `ChaosRun` (`id` INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, `jobId` INTEGER NOT NULL, `sequence` INTEGER NOT NULL, `worker` VARCHAR(191) NOT NULL, `pid` INTEGER NOT NULL, `startedAtMs` BIGINT NOT NULL, `finishedAtMs` BIGINT NULL, INDEX `ChaosRun_jobId` (`jobId`))',
    ]
  }
  return [
    `CREATE TABLE "ChaosRun" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "jobId" INTEGER NOT NULL, "sequence" INTEGER NOT NULL, "worker" TEXT NOT NULL, "pid" INTEGER NOT NULL, "startedAtMs" INTEGER NOT NULL, "finishedAtMs" INTEGER)`,
    `CREATE INDEX "ChaosRun_jobId" ON "ChaosRun" ("jobId")`,
  ]
}

function quote(provider: Provider, name: string): string {
  return provider === 'mysql' ? `\`${name}\`` : `"${name}"`
}

/** `?` placeholders, or PostgreSQL's `$n`. */
function placeholders(provider: Provider, count: number): string[] {
  return Array.from({ length: count }, (_, i) => (provider === 'postgresql' ? `$${i + 1}` : '?'))
}

/** Records that a run started: values jobId, sequence, worker, pid, startedAtMs. */
export function insertRunSql(provider: Provider): string {
  const q = (name: string) => quote(provider, name)
  const columns = ['jobId', 'sequence', 'worker', 'pid', 'startedAtMs']
  return `INSERT INTO ${q('ChaosRun')} (${columns.map(q).join(', ')}) VALUES (${placeholders(provider, columns.length).join(', ')})`
}

/** Records that a run finished its work: values finishedAtMs, jobId, pid, startedAtMs. */
export function finishRunSql(provider: Provider): string {
  const q = (name: string) => quote(provider, name)
  const [finished, jobId, pid, started] = placeholders(provider, 4)
  return `UPDATE ${q('ChaosRun')} SET ${q('finishedAtMs')} = ${finished} WHERE ${q('jobId')} = ${jobId} AND ${q('pid')} = ${pid} AND ${q('startedAtMs')} = ${started}`
}

export function selectRunsSql(provider: Provider): string {
  const q = (name: string) => quote(provider, name)
  return `SELECT ${['jobId', 'sequence', 'worker', 'pid', 'id', 'startedAtMs', 'finishedAtMs'].map(q).join(', ')} FROM ${q('ChaosRun')} ORDER BY ${q('id')}`
}

export interface RunRow {
  jobId: number
  sequence: number
  worker: string
  pid: number
  /** Insertion order: runs of one job compare by it. */
  id: number
  /** When the job started (the worker's clock, ms since the epoch). */
  startedAtMs: number
  /** When its work was done (before jobs-kit recorded the success); null when the worker died first. */
  finishedAtMs: number | null
}

/** A row as a driver returns it (BIGINT may come back as a bigint or a string). */
export function toRunRow(row: Record<string, unknown>): RunRow {
  return {
    jobId: Number(row.jobId),
    sequence: Number(row.sequence),
    worker: String(row.worker),
    pid: Number(row.pid),
    id: Number(row.id),
    startedAtMs: Number(row.startedAtMs),
    finishedAtMs: row.finishedAtMs === null || row.finishedAtMs === undefined ? null : Number(row.finishedAtMs),
  }
}
