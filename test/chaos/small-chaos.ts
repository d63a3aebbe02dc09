/**
 * The size of the chaos runs inside `npm test`, the same on every database
 * (the full runs are `npm run chaos`): 200 jobs of 50 ms, 4 real jobs-kit
 * worker processes (the runner CLI), one SIGKILLed every 200–500 ms for 8 s,
 * and until 4 kills, each restarted under the same name.
 *
 * Same name only: a worker restarted under its name takes its jobs back at
 * once, while a new name's jobs wait for the runtime's one stale-lock
 * threshold (`DEFAULT_STALE_LOCK_SECONDS`, 60 s), longer than a test may take.
 * `npm run chaos` restarts half of them under a new name and waits that out.
 *
 * A worker boots in 3 s on an idle machine and in 10–25 s on a loaded one
 * (2 cores, other suites running): the sizes keep a run under 60 s there while
 * every first-round worker is still killed mid-run.
 */
import type { ChaosOptions } from '../../bench/chaos/run-chaos.js'

export const SMALL_CHAOS = {
  jobs: 200,
  workers: 4,
  killIntervalMs: [200, 500],
  killPhaseMs: 8_000,
  minKills: 4,
  newNameRestarts: false,
  workMs: 50,
  maxRuntimeSeconds: 5,
  timeoutMs: 50_000,
  log: (message: string) => console.error(`[chaos ${new Date().toISOString().slice(11, 23)}] ${message}`),
} satisfies Omit<ChaosOptions, 'provider' | 'disruption'>
