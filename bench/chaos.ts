/**
 * `npm run chaos`: 5,000 jobs, 4 jobs-kit workers, a worker SIGKILLed every
 * 200–600 ms and restarted (half under the same name, half under a new one),
 * and the PostgreSQL server restarted once mid-run. Prints the counts and
 * exits 1 if a job never ran, ran twice without a kill or an outage to explain
 * it, or a row is left behind.
 *
 *   npm run chaos
 *   npm run chaos -- --provider sqlite|mysql (no server restart there) --jobs 1000 --no-restart
 *
 * Restarting PostgreSQL breaks every other connection to it, tests of other
 * people included: run this on a machine of your own (or when nothing else runs).
 */
import { parseArgs } from 'node:util'
import type { Provider } from './lib/databases.js'
import { abortChaos, formatChaosReport, runChaos } from './chaos/run-chaos.js'

const { values: flags } = parseArgs({
  options: {
    provider: { type: 'string', default: 'postgresql' },
    jobs: { type: 'string', default: '5000' },
    workers: { type: 'string', default: '4' },
    'no-restart': { type: 'boolean', default: false },
    'kill-phase': { type: 'string', default: '30' },
  },
})
const provider = flags.provider as Provider
const restart = provider === 'postgresql' && !flags['no-restart']

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void abortChaos().finally(() => process.exit(130)))
}

const report = await runChaos({
  provider,
  jobs: Number(flags.jobs),
  workers: Number(flags.workers),
  killIntervalMs: [200, 600],
  killPhaseMs: Number(flags['kill-phase']) * 1000,
  disruption: restart ? 'restart-postgresql' : provider === 'postgresql' ? 'terminate-connections' : 'none',
  workMs: 5,
  maxRuntimeSeconds: 5,
  timeoutMs: 600_000,
  log: (message) => console.error(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}`),
})
console.log(formatChaosReport(report))
const ok = report.jobsNeverRun.length === 0 && report.unexplainedReruns.length === 0 && report.remainingRows === 0 && report.lockedRows === 0
console.log(ok ? 'OK: every job ran; every extra run is explained; no row left, none locked.' : 'FAILED: see above.')
process.exit(ok ? 0 : 1)
