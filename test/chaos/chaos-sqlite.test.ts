/**
 * A small chaos run on SQLite inside `npm test` (the full one is
 * `npm run chaos -- --db sqlite`): 4 real jobs-kit worker processes (the
 * runner CLI) sharing one database file in WAL mode, 400 jobs of 50 ms, one
 * worker SIGKILLed every 200–500 ms for 8 s (and until 4 kills) and restarted, half under the
 * same name and half under a new one. A file has no connection to cut: the
 * kills are the whole chaos here, and they land mid-write too.
 */
import { describe, expect, it } from 'vitest'
import { formatChaosReport } from '../../bench/chaos/format-report.js'
import { runChaos } from '../../bench/chaos/run-chaos.js'

describe('chaos: SIGKILLed workers sharing one SQLite file in WAL mode', () => {
  it('runs every job, runs none twice unless its worker was killed mid-run, and leaves no row locked', async () => {
    const report = await runChaos({
      provider: 'sqlite',
      jobs: 400,
      workers: 4,
      killIntervalMs: [200, 500],
      killPhaseMs: 8_000,
      minKills: 4,
      disruption: 'none',
      workMs: 50,
      maxRuntimeSeconds: 5,
      timeoutMs: 50_000,
      log: (message) => console.error(`[chaos ${new Date().toISOString().slice(11, 23)}] ${message}`),
    })
    console.log(formatChaosReport(report))

    expect(report.journalMode).toBe('wal')
    expect(report.kills).toBeGreaterThanOrEqual(4)
    expect(report.restartsSameName).toBeGreaterThan(0)
    expect(report.restartsNewName).toBeGreaterThan(0)
    expect(report.jobsNeverRun).toEqual([])
    expect(report.unexplainedReruns).toEqual([])
    // No database outage here: every extra run is a killed worker's (a crash would be a bug too).
    expect(report.crashes).toBe(0)
    expect(report.runs).toBe(report.jobs + report.rerunsAfterKill)
    expect(report.remainingRows).toBe(0)
    expect(report.lockedRows).toBe(0)
  }, 60_000)
})
