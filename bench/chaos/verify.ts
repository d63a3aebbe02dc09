/**
 * Checks a chaos run's outcome: every job ran at least once, and every extra
 * run of a job is explained by something the chaos did to the run before it.
 */
import type { RunRow } from './chaos-runs-table.js'

export interface ChaosEvidence {
  /** Sequence numbers of the scheduled jobs, by job id. */
  scheduled: Map<number, number>
  runs: RunRow[]
  /** Pids we SIGKILLed. */
  killedPids: Set<number>
  /** Pids that died without being killed (crashed). */
  crashedPids: Set<number>
  /** Job ids a worker logged as "succeeded … but could not be marked done" (the database went away). */
  unrecordedSuccessJobIds: Set<number>
}

export interface ChaosVerdict {
  jobs: number
  runs: number
  jobsNeverRun: number[]
  jobsRunOnce: number
  /** Extra runs whose previous run's worker we SIGKILLed. */
  rerunsAfterKill: number
  /** Extra runs whose previous run's worker crashed by itself. */
  rerunsAfterCrash: number
  /** Extra runs whose previous run succeeded but could not be recorded (database restart / terminated connection). */
  rerunsAfterLostSuccess: number
  /** Extra runs nothing explains: a double run, the bug this test exists for. */
  unexplainedReruns: { jobId: number; runs: RunRow[] }[]
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
    rerunsAfterCrash: 0,
    rerunsAfterLostSuccess: 0,
    unexplainedReruns: [],
  }
  for (const jobId of evidence.scheduled.keys()) {
    const runs = (byJob.get(jobId) ?? []).sort((a, b) => a.id - b.id)
    if (runs.length === 0) verdict.jobsNeverRun.push(jobId)
    if (runs.length === 1) verdict.jobsRunOnce += 1
    let unexplained = false
    // Each run but the last was followed by another: why?
    for (const earlier of runs.slice(0, -1)) {
      if (evidence.killedPids.has(earlier.pid)) verdict.rerunsAfterKill += 1
      else if (evidence.crashedPids.has(earlier.pid)) verdict.rerunsAfterCrash += 1
      else if (evidence.unrecordedSuccessJobIds.has(jobId)) verdict.rerunsAfterLostSuccess += 1
      else unexplained = true
    }
    if (unexplained) verdict.unexplainedReruns.push({ jobId, runs })
  }
  for (const run of evidence.runs) {
    if (!evidence.scheduled.has(run.jobId)) verdict.unexplainedReruns.push({ jobId: run.jobId, runs: [run] })
  }
  return verdict
}
