/**
 * A small chaos run on SQLite inside `npm test` (the full one is
 * `npm run chaos -- --db sqlite`; sizes in small-chaos.ts): the worker
 * processes share one database file in WAL mode and are SIGKILLed and
 * restarted. A file has no connection to cut: the kills are the whole chaos
 * here, and they land mid-write too.
 */
import { describe, expect, it } from 'vitest'
import { formatChaosReport } from '../../bench/chaos/format-report.js'
import { runChaos } from '../../bench/chaos/run-chaos.js'
import { SMALL_CHAOS } from './small-chaos.js'

describe('chaos: SIGKILLed workers sharing one SQLite file in WAL mode', () => {
  it('runs every job, runs none twice unless its worker was killed mid-run, and leaves no row locked', async () => {
    const report = await runChaos({ ...SMALL_CHAOS, provider: 'sqlite', disruption: 'none' })
    console.log(formatChaosReport(report))

    expect(report.journalMode).toBe('wal')
    expect(report.kills).toBeGreaterThanOrEqual(SMALL_CHAOS.minKills)
    expect(report.restartsSameName).toBeGreaterThan(0)
    expect(report.jobsNeverRun).toEqual([])
    expect(report.unexplainedReruns).toEqual([])
    // No database outage here: every extra run is a killed worker's (a crash would be a bug too).
    expect(report.crashes).toBe(0)
    expect(report.runs).toBe(report.jobs + report.rerunsAfterKill)
    expect(report.remainingRows).toBe(0)
    expect(report.lockedRows).toBe(0)
  }, 60_000)
})
