import type { FindInput, JobsAdapter, Logger, StoredJob } from '../types.js'
import { describeError, toError } from './to-error.js'

/** A look for the next jobs, made in the same step as recording successes. */
export interface NextFind {
  input: FindInput
  /** Receives the jobs locked for this worker (`[]` when none, or when the call failed). */
  onFound: (jobs: StoredJob[]) => void
}

/**
 * Records a worker's successes through `adapter.successAndFind`, several at
 * a time: a job that succeeds while the previous write is in flight waits
 * for it and goes in the next one, with every other job that finished
 * meanwhile. Each write also looks for as many new jobs as the slots its
 * jobs free (`nextFind`), so one round trip both records and refills.
 *
 * At concurrency 1 every batch holds one job: the same single call per job
 * as before batching. With more jobs at once the round trips per job fall
 * (`worker-round-trips.test.ts` counts them; docs/benchmarks.md has the
 * figures). A job waiting here is still in the worker's hands (locked under
 * its name, its lock renewed by the heartbeat): a SIGKILL now re-runs it,
 * as it would re-run any job in hand, and nothing else.
 */
export class SuccessBatch {
  private waiting: Array<{ job: StoredJob; freesSlot: boolean; resolve: (recorded: true | Error) => void }> = []
  private writing = false

  constructor(
    private readonly options: {
      adapter: JobsAdapter & Required<Pick<JobsAdapter, 'successAndFind'>>
      deleteSuccessfulJobs: boolean
      logger: Logger
      /**
       * What to look for next, for `freedSlots` slots the batch frees (0 when
       * its jobs still have afterSuccess hooks to run), or undefined to look
       * for nothing. `onFound` is then called exactly once, with `[]` when
       * the write failed.
       */
      nextFind: (freedSlots: number) => NextFind | undefined
    },
  ) {}

  /**
   * Records `job`'s success with the next write; resolves true once it went
   * through, or with the error when it failed (nothing of the batch was
   * recorded, or the caller cannot tell: it records the job alone).
   * `freesSlot`: false while the job still has hooks to run in its slot.
   */
  record(job: StoredJob, freesSlot: boolean): Promise<true | Error> {
    return new Promise((resolve) => {
      this.waiting.push({ job, freesSlot, resolve })
      if (this.writing) return
      this.writing = true
      // Wait for the rest of this turn of the event loop: jobs that finish
      // together (one find's jobs often do) then go in one write instead of
      // the first alone and the rest in the next. At concurrency 10 on
      // MariaDB this took a worker from 1.52 to 0.73 round trips per job
      // (worker-round-trips.test.ts); it delays a write by well under a millisecond.
      setImmediate(() => void this.write())
    })
  }

  private async write(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting
        this.waiting = []
        const outcome = await this.writeBatch(batch.map((entry) => entry.job), batch.filter((entry) => entry.freesSlot).length)
        for (const entry of batch) entry.resolve(outcome)
      }
    } finally {
      this.writing = false
    }
  }

  /** One write for `jobs`, with a find for `freedSlots` (plus any free) slots. Never throws: a job left waiting would never finish. */
  private async writeBatch(jobs: StoredJob[], freedSlots: number): Promise<true | Error> {
    const { adapter, logger } = this.options
    let next: NextFind | undefined
    let found: StoredJob[] = []
    try {
      next = this.options.nextFind(freedSlots)
      found = await adapter.successAndFind({ jobs, deleteJob: this.options.deleteSuccessfulJobs, next: next?.input })
      return true
    } catch (thrown) {
      const error = toError(thrown)
      logger.warn(`[jobs-kit] recording ${jobs.length} succeeded job(s) and finding the next in one step failed (${describeError(error)}); recording each alone`)
      return error
    } finally {
      try {
        next?.onFound(found)
      } catch (thrown) {
        logger.error(`[jobs-kit] ${describeError(toError(thrown))}`)
      }
    }
  }
}
