/**
 * Checks a chaos run's outcome from its run records (bench/chaos/chaos-runs-table.ts):
 * every job ran at least once, and every extra run of a job is explained by
 * something the chaos did to the run before it, at a time that fits.
 *
 * "Explained by a kill" needs both: the earlier run's worker (pid) was
 * SIGKILLed by the harness (after that run started: a dead process records
 * no run, so the record itself proves it), and the extra run started after
 * the moment of the kill, so the killed worker was dead by then and two live
 * workers never held the job at once. An extra run that overlaps a live
 * holder is a double run whatever else happened. The same goes for a crash.
 */
import type { RunRow } from './chaos-runs-table.js'

export interface ChaosEvidence {
  /** Sequence numbers of the scheduled jobs, by job id. */
  scheduled: Map<number, number>
  runs: RunRow[]
  /** Pids we SIGKILLed, with the time (ms since the epoch) just before the signal (a run may start in between: it still precedes the death). */
  killedAt: Map<number, number>
  /** Pids that died without being killed (crashed), with the time their exit was seen. */
  crashedAt: Map<number, number>
  /** Job ids a worker logged as "succeeded … but could not be marked done" (the database went away). */
  unrecordedSuccessJobIds: Set<number>
  /**
   * Attempts a worker logged as "failed on attempt …, retrying at <time>", by job id: the retry times (ms).
   * The chaos job's own statements go through the same database the chaos disrupts: one whose connection
   * is killed under it fails the attempt, and the retry is jobs-kit doing its job, not a double run.
   */
  failedAttemptRetryAt?: Map<number, number[]>
}

export interface UnexplainedRerun {
  jobId: number
  runs: RunRow[]
  /** Why the extra run is not explained. */
  reason: string
}

export interface ChaosVerdict {
  jobs: number
  runs: number
  jobsNeverRun: number[]
  jobsRunOnce: number
  /** Extra runs whose previous run's worker we SIGKILLed while it held the job (both kinds below). */
  rerunsAfterKill: number
  /** …of which the kill landed while `perform` was still working (no finish recorded). */
  killedDuringWork: number
  /** …of which `perform` had finished, but the worker died before jobs-kit stored the success. */
  killedBeforeSuccessStored: number
  /** Extra runs whose previous run's worker crashed by itself. */
  rerunsAfterCrash: number
  /** Extra runs whose previous run succeeded but could not be recorded (database restart / terminated connection). */
  rerunsAfterLostSuccess: number
  /** Extra runs that are the retry of a failed attempt (the job itself threw: its own statement lost its connection). */
  rerunsAfterFailedAttempt: number
  /** Extra runs nothing explains: a double run, the bug this test exists for. */
  unexplainedReruns: UnexplainedRerun[]
}

export function verifyChaos(evidence: ChaosEvidence): ChaosVerdict {
  const byJob = new Map<number, RunRow[]>()
  for (const run of evidence.runs) {
    const list = byJob.get(run.jobId) ?? []
    list.push(run)
    byJob.set(run.jobId, list)
  }
  const verdict: ChaosVerdict = {
    jobs: evidence.scheduled.size,
    runs: evidence.runs.length,
    jobsNeverRun: [],
    jobsRunOnce: 0,
    rerunsAfterKill: 0,
    killedDuringWork: 0,
    killedBeforeSuccessStored: 0,
    rerunsAfterCrash: 0,
    rerunsAfterLostSuccess: 0,
    rerunsAfterFailedAttempt: 0,
    unexplainedReruns: [],
  }
  for (const jobId of evidence.scheduled.keys()) {
    const runs = (byJob.get(jobId) ?? []).sort((a, b) => a.id - b.id)
    if (runs.length === 0) verdict.jobsNeverRun.push(jobId)
    if (runs.length === 1) verdict.jobsRunOnce += 1
    const reasons: string[] = []
    // Each run but the last was followed by another: why?
    for (let i = 0; i < runs.length - 1; i++) {
      const earlier = runs[i]
      const later = runs[i + 1]
      const killedAt = evidence.killedAt.get(earlier.pid)
      const crashedAt = evidence.crashedAt.get(earlier.pid)
      // A retry starts at or after the time the failed attempt set; one that starts earlier was a second holder.
      const retryAt = evidence.failedAttemptRetryAt?.get(jobId)?.find((at) => later.startedAtMs >= at && at >= earlier.startedAtMs)
      if (killedAt !== undefined && later.startedAtMs >= killedAt) {
        verdict.rerunsAfterKill += 1
        if (earlier.finishedAtMs === null) verdict.killedDuringWork += 1
        else verdict.killedBeforeSuccessStored += 1
      } else if (crashedAt !== undefined && later.startedAtMs >= crashedAt) {
        verdict.rerunsAfterCrash += 1
      } else if (evidence.unrecordedSuccessJobIds.has(jobId)) {
        verdict.rerunsAfterLostSuccess += 1
      } else if (retryAt !== undefined && killedAt === undefined && crashedAt === undefined) {
        verdict.rerunsAfterFailedAttempt += 1
      } else if (killedAt !== undefined || crashedAt !== undefined) {
        const diedAt = (killedAt ?? crashedAt)!
        reasons.push(`run ${i + 2} started ${diedAt - later.startedAtMs} ms before pid ${earlier.pid} (run ${i + 1}) died: two live workers held the job`)
      } else {
        reasons.push(`run ${i + 1}'s worker (pid ${earlier.pid}) was neither killed nor crashed, and the job's success was not reported lost`)
      }
    }
    if (reasons.length > 0) verdict.unexplainedReruns.push({ jobId, runs, reason: reasons.join('; ') })
  }
  for (const run of evidence.runs) {
    if (!evidence.scheduled.has(run.jobId)) verdict.unexplainedReruns.push({ jobId: run.jobId, runs: [run], reason: 'a run of a job that was never scheduled' })
  }
  return verdict
}
