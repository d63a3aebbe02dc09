/**
 * The chaos verdict itself: an extra run passes as "explained by a kill" only
 * when the run records prove it (the kill came while the earlier run was in
 * hand, and the next run started after the kill).
 */
import { describe, expect, it } from 'vitest'
import type { RunRow } from '../../bench/chaos/chaos-runs-table.js'
import { verifyChaos, type ChaosEvidence } from '../../bench/chaos/verify.js'

let nextId = 1
function run(jobId: number, pid: number, startedAtMs: number, finishedAtMs: number | null = startedAtMs + 5): RunRow {
  return { jobId, sequence: jobId, worker: `jobs-kit-worker.all.${pid}`, pid, id: nextId++, startedAtMs, finishedAtMs }
}

function evidence(runs: RunRow[], overrides: Partial<ChaosEvidence> = {}): ChaosEvidence {
  return {
    scheduled: new Map([[1, 1], [2, 2]]),
    runs,
    killedAt: new Map(),
    crashedAt: new Map(),
    unrecordedSuccessJobIds: new Set(),
    ...overrides,
  }
}

describe('verifyChaos', () => {
  it('passes jobs that ran once each', () => {
    const verdict = verifyChaos(evidence([run(1, 100, 1000), run(2, 101, 1000)]))
    expect(verdict).toMatchObject({ jobs: 2, runs: 2, jobsRunOnce: 2, jobsNeverRun: [], unexplainedReruns: [] })
  })

  it('lists a job that never ran', () => {
    expect(verifyChaos(evidence([run(1, 100, 1000)])).jobsNeverRun).toEqual([2])
  })

  it('explains a rerun after its worker was killed mid-run, and tells a kill during the work from one before the success was stored', () => {
    const verdict = verifyChaos(
      evidence([run(1, 100, 1000, null), run(1, 200, 7000), run(2, 101, 1000, 1005), run(2, 200, 7100)], {
        killedAt: new Map([[100, 1002], [101, 1010]]),
      }),
    )
    expect(verdict).toMatchObject({ rerunsAfterKill: 2, killedDuringWork: 1, killedBeforeSuccessStored: 1, unexplainedReruns: [] })
  })

  it('flags a rerun that started while the killed worker was still alive: two live workers held the job', () => {
    const verdict = verifyChaos(evidence([run(1, 100, 1000, null), run(1, 200, 1500), run(2, 101, 1000)], { killedAt: new Map([[100, 3000]]) }))
    expect(verdict.rerunsAfterKill).toBe(0)
    expect(verdict.unexplainedReruns).toHaveLength(1)
    expect(verdict.unexplainedReruns[0].reason).toMatch(/started 1500 ms before pid 100 .* died: two live workers held the job/)
  })

  it('explains a run that started in the same instant as its worker was killed (the kill time is taken just before the signal)', () => {
    const verdict = verifyChaos(evidence([run(1, 100, 1001, null), run(1, 200, 9000), run(2, 101, 1000)], { killedAt: new Map([[100, 1000]]) }))
    expect(verdict).toMatchObject({ rerunsAfterKill: 1, unexplainedReruns: [] })
  })

  it('flags a rerun nothing explains, and a run of a job never scheduled', () => {
    const verdict = verifyChaos(evidence([run(1, 100, 1000), run(1, 100, 2000), run(2, 101, 1000), run(3, 101, 1000)]))
    expect(verdict.unexplainedReruns.map((rerun) => rerun.jobId)).toEqual([1, 3])
    expect(verdict.unexplainedReruns[0].reason).toMatch(/neither killed nor crashed/)
  })

  it('explains a rerun after a crash (by its time) and after a success that could not be recorded', () => {
    const verdict = verifyChaos(
      evidence([run(1, 100, 1000, null), run(1, 200, 8000), run(2, 101, 1000), run(2, 101, 2000)], {
        crashedAt: new Map([[100, 1500]]),
        unrecordedSuccessJobIds: new Set([2]),
      }),
    )
    expect(verdict).toMatchObject({ rerunsAfterCrash: 1, rerunsAfterLostSuccess: 1, unexplainedReruns: [] })
  })

  it('explains the retry of an attempt the job failed, only when it started at or after the retry time', () => {
    // The chaos job's own statement lost its connection: the attempt failed and was retried at 3000.
    const retried = verifyChaos(evidence([run(1, 100, 1000), run(1, 101, 3100)], { failedAttemptRetryAt: new Map([[1, [3000]]]) }))
    expect(retried).toMatchObject({ rerunsAfterFailedAttempt: 1, unexplainedReruns: [] })
    // A second run before the retry time: another worker held the job while the first still did.
    const early = verifyChaos(evidence([run(1, 100, 1000), run(1, 101, 2000)], { failedAttemptRetryAt: new Map([[1, [3000]]]) }))
    expect(early.rerunsAfterFailedAttempt).toBe(0)
    expect(early.unexplainedReruns.map((rerun) => rerun.jobId)).toEqual([1])
  })
})
