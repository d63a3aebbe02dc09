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
 * Where a worker's reports are written. `PrismaAdapter` picks one: the
 * Prisma model API (`model-reports.ts`), or on PostgreSQL the statements of
 * `sql/report-postgresql.ts`, run on a `pg` pool with its `pg` option, else
 * through the client's `$queryRawUnsafe`. Both make the same changes to the row.
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

/**
 * Reports written by whichever `JobReports` `pick` returns when a report is
 * made: the adapter knows its database only once it reads the client's
 * provider, after it is constructed.
 */
export class ChosenJobReports implements JobReports {
  constructor(private readonly pick: () => JobReports) {}

  report(job: StoredJob, report: JobReport): Promise<number> {
    return this.pick().report(job, report)
  }

  deleteFinished(jobIds: number[]): Promise<number> {
    return this.pick().deleteFinished(jobIds)
  }

  keepFinished(jobIds: number[], lockedBy: string | null): Promise<number> {
    return this.pick().keepFinished(jobIds, lockedBy)
  }

  heartbeat(jobIds: number[], processName: string): Promise<void> {
    return this.pick().heartbeat(jobIds, processName)
  }
}
