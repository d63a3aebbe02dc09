/**
 * A small chaos run on MariaDB inside `npm test` (the full one is
 * `npm run chaos -- --db mariadb`; sizes in small-chaos.ts): SIGKILLed and
 * restarted worker processes, and every connection to the test's database
 * killed once (`KILL CONNECTION`), which cuts the workers mid-query as a
 * server restart would, without touching the other suites' databases on the
 * same server.
 */
import { describe, expect, it } from 'vitest'
import { formatChaosReport } from '../../bench/chaos/format-report.js'
import { runChaos } from '../../bench/chaos/run-chaos.js'
import { SMALL_CHAOS } from './small-chaos.js'

describe('chaos: SIGKILLed workers and killed connections on MariaDB', () => {
  it('runs every job, runs none twice unless its worker was killed mid-run or its success could not be recorded, and leaves no row locked', async () => {
    const report = await runChaos({ ...SMALL_CHAOS, provider: 'mysql', disruption: 'terminate-connections' })
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
