import type { StoredJob } from '../../types.js'

/**
 * What a worker reports about a job it holds. Every change but
 * `deleteFinished` matches the row only while this worker still holds it
 * (`lockedBy` as `find` set it): a late report from a worker that lost its
 * lock changes nothing.
 */
export type JobReport =
  /** Success, row deleted: whoever holds it now, the work is done. */
  | { kind: 'deleteFinished' }
  /** Success, row kept as done (`runAt` null is never due), its `lastError` cleared. */
  | { kind: 'keepFinished' }
  /** A failed attempt: unlocked, to run again at `retryAt`. */
  | { kind: 'retry'; lastError: string; retryAt: Date }
  /** Given up: kept with `failedAt`, or deleted. */
  | { kind: 'giveUp'; lastError: string }
  | { kind: 'deleteGivenUp' }

/**
 * Where a worker's reports are written. `PrismaAdapter` picks one when it is
 * constructed: the Prisma model API (`model-reports.ts`), or, with its `pg`
 * option, PostgreSQL statements on a `pg` pool (`sql/report-postgresql.ts`).
 * Both make the same changes to the row.
 */
export interface JobReports {
  /** Applies `report` to `job`; returns how many rows changed (0 when the worker no longer holds it). */
  report(job: StoredJob, report: JobReport): Promise<number>
  /** Deletes finished jobs in one statement (a batch of `deleteFinished` reports); returns how many rows went. */
  deleteFinished(jobIds: number[]): Promise<number>
  /**
   * Keeps finished jobs as done in one statement (a batch of `keepFinished`
   * reports), each only while `lockedBy` still holds it; returns how many rows
   * changed. One statement, so a refused write records none of the batch.
   */
  keepFinished(jobIds: number[], lockedBy: string | null): Promise<number>
  /** Renews `lockedAt` of the jobs `processName` still holds. */
  heartbeat(jobIds: number[], processName: string): Promise<void>
}
