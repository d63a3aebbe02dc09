import type { StoredJob } from '../../types.js'
import type { JobReport, JobReports } from './job-reports.js'
import type { PrismaModelDelegate } from './prisma-client.js'

/**
 * A worker's reports through the Prisma model API (`updateMany`/`deleteMany`
 * on the jobs model), the default. Prisma sets `updatedAt` itself.
 */
export class ModelJobReports implements JobReports {
  /** `delegate`: the jobs model of the app's client, looked up when first needed. */
  constructor(private readonly delegate: () => PrismaModelDelegate) {}

  async report(job: StoredJob, report: JobReport): Promise<number> {
    // Matches the job only while the lock `find` gave it is still ours: if the
    // lock went stale and another worker took the job, this worker's late
    // report must not unlock or fail the other worker's run.
    const held = { id: job.id, lockedBy: job.lockedBy }
    const unlock = { lockedAt: null, lockedBy: null }
    const delegate = this.delegate()
    switch (report.kind) {
      case 'deleteFinished':
        // Even if the lock went stale and another worker took the job meanwhile:
        // the work is done, and the other run then has no row to report on.
        return (await delegate.deleteMany({ where: { id: job.id } })).count
      case 'keepFinished':
        // runAt null marks the kept row as done: the due rule (sql/due-condition.ts)
        // never hands out a job without runAt, so it does not run again.
        return (await delegate.updateMany({ where: held, data: { ...unlock, runAt: null, lastError: null } })).count
      case 'retry':
        return (await delegate.updateMany({ where: held, data: { ...unlock, lastError: report.lastError, runAt: report.retryAt } })).count
      case 'giveUp':
        return (await delegate.updateMany({ where: held, data: { ...unlock, lastError: report.lastError, failedAt: new Date() } })).count
      case 'deleteGivenUp':
        return (await delegate.deleteMany({ where: held })).count
    }
  }

  async deleteFinished(jobIds: number[]): Promise<number> {
    // One statement for the batch; like `deleteFinished` above, whoever holds the rows now.
    return (await this.delegate().deleteMany({ where: { id: { in: jobIds } } })).count
  }

  async keepFinished(jobIds: number[], lockedBy: string | null): Promise<number> {
    const where = { id: { in: jobIds }, lockedBy }
    return (await this.delegate().updateMany({ where, data: { lockedAt: null, lockedBy: null, runAt: null, lastError: null } })).count
  }

  async heartbeat(jobIds: number[], processName: string): Promise<void> {
    await this.delegate().updateMany({ where: { id: { in: jobIds }, lockedBy: processName }, data: { lockedAt: new Date() } })
  }
}
