/**
 * A small chaos run on MariaDB inside `npm test` (the full one is
 * `npm run chaos -- --db mariadb`): 400 jobs of 50 ms, 4 real jobs-kit
 * worker processes (the runner CLI), one SIGKILLed every 200–500 ms for 8 s (and until 4 kills)
 * and restarted, half under the same name and half under a new one, and every
 * connection to the test's database killed once (`KILL CONNECTION`), which
 * cuts the workers mid-query as a server restart would, without touching the
 * other suites' databases on the same server.
 */
import { describe, expect, it } from 'vitest'
import { formatChaosReport } from '../../bench/chaos/format-report.js'
import { runChaos } from '../../bench/chaos/run-chaos.js'

describe('chaos: SIGKILLed workers and killed connections on MariaDB', () => {
  it('runs every job, runs none twice unless its worker was killed mid-run or its success could not be recorded, and leaves no row locked', async () => {
    const report = await runChaos({
      provider: 'mysql',
      jobs: 400,
      workers: 4,
      killIntervalMs: [200, 500],
      killPhaseMs: 8_000,
      minKills: 4,
      disruption: 'terminate-connections',
      workMs: 50,
      maxRuntimeSeconds: 5,
      timeoutMs: 50_000,
      log: (message) => console.error(`[chaos ${new Date().toISOString().slice(11, 23)}] ${message}`),
    })
    console.log(formatChaosReport(report))

    expect(report.kills).toBeGreaterThanOrEqual(4)
    expect(report.restartsSameName).toBeGreaterThan(0)
    expect(report.restartsNewName).toBeGreaterThan(0)
    expect(report.disruption.terminatedConnections).toBeGreaterThan(0)
    expect(report.jobsNeverRun).toEqual([])
    expect(report.unexplainedReruns).toEqual([])
    expect(report.runs).toBe(report.jobs + report.rerunsAfterKill + report.rerunsAfterCrash + report.rerunsAfterLostSuccess)
    expect(report.remainingRows).toBe(0)
    expect(report.lockedRows).toBe(0)
  }, 60_000)
})
