/**
 * A small chaos run on PostgreSQL inside `npm test` (the full one is
 * `npm run chaos -- --db postgresql`; sizes in small-chaos.ts): SIGKILLed and
 * restarted worker processes, and every connection to the test's database
 * terminated once (`pg_terminate_backend`).
 *
 * It does not restart the PostgreSQL server as `npm run chaos` does: the
 * other suites run in parallel against the same server and would fail.
 * Terminating the connections of this test's own database gives the workers
 * the same experience (every connection dies mid-query) without touching
 * anyone else's.
 */
import { describe, expect, it } from 'vitest'
import { formatChaosReport } from '../../bench/chaos/format-report.js'
import { runChaos } from '../../bench/chaos/run-chaos.js'
import { SMALL_CHAOS } from './small-chaos.js'

describe('chaos: SIGKILLed workers and dropped connections on PostgreSQL', () => {
  it('runs every job, runs none twice unless its worker was killed or its success could not be recorded, and leaves no row locked', async () => {
    const report = await runChaos({ ...SMALL_CHAOS, provider: 'postgresql', disruption: 'terminate-connections' })
    console.log(formatChaosReport(report))

    expect(report.kills).toBeGreaterThanOrEqual(SMALL_CHAOS.minKills)
    expect(report.restartsSameName).toBeGreaterThan(0)
    expect(report.disruption.terminatedConnections).toBeGreaterThan(0)
    expect(report.jobsNeverRun).toEqual([])
    expect(report.unexplainedReruns).toEqual([])
    expect(report.runs).toBe(report.jobs + report.rerunsAfterKill + report.rerunsAfterCrash + report.rerunsAfterLostSuccess + report.rerunsAfterFailedAttempt)
    expect(report.remainingRows).toBe(0)
    expect(report.lockedRows).toBe(0)
  }, 60_000)
})
