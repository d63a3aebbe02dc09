/**
 * A small chaos run on PostgreSQL inside `npm test` (the full one is
 * `npm run chaos`): 1,000 jobs of 20 ms, 4 real jobs-kit worker processes (the runner
 * CLI), one SIGKILLed every 200–500 ms for 12 s (and until 5 kills) and restarted, half under the
 * same name and half under a new one, and every connection to the test's
 * database terminated once (`pg_terminate_backend`).
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

describe('chaos: SIGKILLed workers and dropped connections on PostgreSQL', () => {
  it('runs every job, runs none twice unless its worker was killed or its success could not be recorded, and leaves no row locked', async () => {
    const report = await runChaos({
      provider: 'postgresql',
      jobs: 1000,
      workers: 4,
      killIntervalMs: [200, 500],
      killPhaseMs: 12_000,
      minKills: 5,
      disruption: 'terminate-connections',
      workMs: 20,
      maxRuntimeSeconds: 5,
      timeoutMs: 45_000,
      log: (message) => console.error(`[chaos ${new Date().toISOString().slice(11, 23)}] ${message}`),
    })
    console.log(formatChaosReport(report))

    expect(report.kills).toBeGreaterThanOrEqual(5)
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
