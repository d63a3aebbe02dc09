/**
 * `npm run chaos`: on each database, 5,000 jobs, 4 jobs-kit worker processes,
 * a worker SIGKILLed every 200–600 ms for 30 s and restarted (half under the
 * same name, half under a new one), and the database disrupted once mid-run:
 *
 * - postgresql: the server restarted (`--no-restart`: every connection to the
 *   run's database terminated instead);
 * - mariadb: every connection to the run's database killed (`KILL CONNECTION`);
 * - sqlite: one database file in WAL mode shared by the workers; SIGKILLs only.
 *
 * Prints each run and a table of all of them, and exits 1 if a job never ran,
 * ran twice without a kill (or an outage) to explain it, or a row is left.
 *
 *   npm run chaos                                   # every database
 *   npm run chaos -- --db sqlite --jobs 1000 --kill-phase 15
 *   npm run chaos -- --db postgresql --no-restart
 *
 * Restarting PostgreSQL breaks every other connection to it, tests of other
 * people included: run this on a machine of your own (or when nothing else
 * runs), or pass --no-restart.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Provider } from './lib/databases.js'
import { abortChaos, runChaos, type ChaosReport, type DatabaseDisruption } from './chaos/run-chaos.js'
import { chaosPassed, databaseLabel, formatChaosReport, formatChaosTable } from './chaos/format-report.js'

/** What `--db` accepts, and the provider each runs on (`mysql` is the harness's name for MariaDB/MySQL). */
const DATABASES: Record<string, Provider> = { postgresql: 'postgresql', mariadb: 'mysql', mysql: 'mysql', sqlite: 'sqlite' }
/** `--db all`, in this order: PostgreSQL last, because its restart disturbs everything on the server. */
const ALL: Provider[] = ['sqlite', 'mysql', 'postgresql']

function usageError(message: string): never {
  console.error(`${message}\nUsage: npm run chaos -- [--db postgresql|mariadb|sqlite|all] [--jobs 5000] [--workers 4] [--concurrency 1] [--kill-phase 30] [--no-restart]`)
  process.exit(2)
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        db: { type: 'string', default: 'all' },
        jobs: { type: 'string', default: '5000' },
        workers: { type: 'string', default: '4' },
        concurrency: { type: 'string', default: '1' },
        'no-restart': { type: 'boolean', default: false },
        'kill-phase': { type: 'string', default: '30' },
        // Internal: where a run for one database started by `--db all` writes its report.
        'report-file': { type: 'string' },
      },
    }).values
  } catch (error) {
    return usageError((error as Error).message)
  }
}

const flags = parseFlags()
const providers = flags.db === 'all' ? ALL : DATABASES[flags.db] ? [DATABASES[flags.db]] : usageError(`Unknown --db "${flags.db}": use postgresql, mariadb, sqlite or all.`)
for (const name of ['jobs', 'workers', 'concurrency', 'kill-phase'] as const) {
  if (!(Number(flags[name]) > 0)) usageError(`--${name} must be a positive number (got "${flags[name]}").`)
}

function disruptionFor(provider: Provider): DatabaseDisruption {
  if (provider === 'sqlite') return 'none'
  return provider === 'postgresql' && !flags['no-restart'] ? 'restart-postgresql' : 'terminate-connections'
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    current?.kill(signal)
    void abortChaos().finally(() => process.exit(130))
  })
}

/**
 * Each database runs in a process of its own: the bench app's `db` and jobs
 * config are modules, loaded once per process for one BENCH_PROVIDER.
 */
async function runInChildProcess(provider: Provider): Promise<ChaosReport> {
  const dir = mkdtempSync(join(tmpdir(), 'jkchaos-report-'))
  const reportFile = join(dir, 'report.json')
  const name = Object.keys(DATABASES).find((key) => DATABASES[key] === provider)!
  const args = ['--db', name, '--jobs', flags.jobs, '--workers', flags.workers, '--concurrency', flags.concurrency, '--kill-phase', flags['kill-phase'], '--report-file', reportFile]
  if (flags['no-restart']) args.push('--no-restart')
  try {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...args], { stdio: 'inherit' })
    current = child
    await new Promise((resolve) => child.on('exit', resolve))
    try {
      return JSON.parse(readFileSync(reportFile, 'utf8')) as ChaosReport
    } catch {
      throw new Error(`The chaos run on ${name} ended without a report (exit ${child.exitCode ?? child.signalCode}): see its output above.`)
    }
  } finally {
    current = undefined
    rmSync(dir, { recursive: true, force: true })
  }
}
let current: ReturnType<typeof spawn> | undefined

const reports: ChaosReport[] = []
for (const provider of providers) {
  if (providers.length > 1) {
    reports.push(await runInChildProcess(provider))
    continue
  }
  const report = await runChaos({
    provider,
    jobs: Number(flags.jobs),
    workers: Number(flags.workers),
    concurrency: Number(flags.concurrency),
    killIntervalMs: [200, 600],
    killPhaseMs: Number(flags['kill-phase']) * 1000,
    disruption: disruptionFor(provider),
    workMs: 5,
    maxRuntimeSeconds: 5,
    timeoutMs: 600_000,
    log: (message) => console.error(`[chaos ${databaseLabel({ provider })} ${new Date().toISOString().slice(11, 19)}] ${message}`),
  })
  console.log(formatChaosReport(report))
  if (flags['report-file']) writeFileSync(flags['report-file'], JSON.stringify(report))
  reports.push(report)
}
const ok = reports.every(chaosPassed)
// A run started by `--db all` leaves the table to its parent.
if (flags['report-file']) process.exit(ok ? 0 : 1)
console.log(`\n${formatChaosTable(reports)}`)
console.log(ok ? 'OK: every job ran; every extra run is explained by a kill, a crash or a lost success; no row left, none locked.' : 'FAILED: see above.')
process.exit(ok ? 0 : 1)
