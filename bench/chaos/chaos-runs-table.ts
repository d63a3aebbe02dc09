/**
 * The chaos run's side table: one row per run of a ChaosJob (job id, its
 * sequence number, the worker's process title and pid), written by the job
 * itself in the same database (bench/jobs-kit/app/jobs/chaos-job.ts).
 */
import type { Provider } from '../lib/databases.js'

export function createRunsTableSql(provider: Provider): string {
  if (provider === 'postgresql') {
    return `CREATE TABLE "ChaosRun" ("id" SERIAL PRIMARY KEY, "jobId" INTEGER NOT NULL, "sequence" INTEGER NOT NULL, "worker" TEXT NOT NULL, "pid" INTEGER NOT NULL, "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP)`
  }
  if (provider === 'mysql') {
    return 'CREATE TABLE `ChaosRun` (`id` INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, `jobId` INTEGER NOT NULL, `sequence` INTEGER NOT NULL, `worker` VARCHAR(191) NOT NULL, `pid` INTEGER NOT NULL, `at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))'
  }
  return `CREATE TABLE "ChaosRun" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "jobId" INTEGER NOT NULL, "sequence" INTEGER NOT NULL, "worker" TEXT NOT NULL, "pid" INTEGER NOT NULL, "at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`
}

export function selectRunsSql(provider: Provider): string {
  const q = (name: string) => (provider === 'mysql' ? `\`${name}\`` : `"${name}"`)
  return `SELECT ${['jobId', 'sequence', 'worker', 'pid', 'id'].map(q).join(', ')} FROM ${q('ChaosRun')} ORDER BY ${q('id')}`
}

export interface RunRow {
  jobId: number
  sequence: number
  worker: string
  pid: number
  /** Insertion order: runs of one job compare by it. */
  id: number
}
