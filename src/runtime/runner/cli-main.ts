/**
 * The jobs runner's commands, loaded by `cli.ts` once its SIGINT guard is in
 * place (see `startup-signals.ts`).
 *
 * This and `cli.ts` are the only files of the runtime that print errors or call
 * `process.exit`. Exit codes: 0 done, 1 failed, 2 bad command line or config,
 * 130 stopped at once by a second SIGINT, 143 stopped at once by SIGTERM.
 * See docs/worker.md.
 */
import { JobsKitError } from '../errors.js'
import type { LogLevel } from '../worker/guard-logger.js'
import { clearJobs } from './commands/clear.js'
import { serveDashboard } from './commands/dashboard.js'
import { startWorkers } from './commands/start.js'
import { getSchedulesReport, runSchedulesCommand } from './commands/schedules.js'
import { getStatusReport } from './commands/status.js'
import { DEFAULT_STOP_TIMEOUT_SECONDS, stopWorkers } from './commands/stop.js'
import { RunnerConfigError, RunnerUsageError } from './errors.js'
import { resolveWorkerExports } from './config-exports.js'
import { loadConfig } from './load-config.js'
import { parseArgs, USAGE, type RunnerArgs } from './parse-args.js'
import { EXIT_FAILED, EXIT_OK, runWorker } from './run-worker.js'
import { runAttachedWorkers } from './spawn-worker.js'
import { release as releaseStartupSignals } from './startup-signals.js'
import { describeWorkerSpecs, getSingleWorkerSpec, getWorkerSpecs } from './worker-specs.js'

const EXIT_USAGE = 2

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv)
  const appRoot = process.cwd()
  // Only workers stop gracefully on a SIGINT that came while starting; other commands get Node's default back.
  if (!isWorkerCommand(args)) releaseStartupSignals()
  if (args.command === 'help') {
    console.log(USAGE)
    return EXIT_OK
  }
  // `stop` needs only the pid files: it works even when the config no longer loads.
  if (args.command === 'stop') return stop(appRoot, args)

  const { path: configPath, jobs, exports } = await loadConfig(args.configPath, appRoot)
  try {
    if (args.command === 'worker') {
      // --adapter and --logger may name exports of the config, as the seed's worker flags do.
      const resolved = resolveWorkerExports(jobs, exports, args.worker)
      const spec = getSingleWorkerSpec(resolved.jobs, args.worker)
      const mode = args.worker.clear ? 'clear' : args.worker.workoff ? 'workoff' : 'work'
      return await runWorker({ jobs: resolved.jobs, spec, mode, logLevel: args.worker.logLevel ?? 'info', appRoot, logger: resolved.logger })
    }
    return await runCommand(args, appRoot, configPath, jobs)
  } finally {
    await closeAdapters(jobs)
  }
}

function isWorkerCommand(args: RunnerArgs): boolean {
  return args.command === 'worker' || args.command === 'work' || args.command === 'workoff'
}

/**
 * Closes what the adapters opened themselves (a `pg` pool, a LISTEN
 * connection, a Redis client), so the process ends cleanly instead of being
 * cut off by `process.exit` mid-query. Never the app's own Prisma client.
 */
async function closeAdapters(jobs: Parameters<typeof getWorkerSpecs>[0]): Promise<void> {
  for (const [name, adapter] of Object.entries(jobs.adapters)) {
    try {
      await adapter.close?.()
    } catch (error) {
      console.error(`jobs-kit: adapter "${name}" did not close cleanly:`, error)
    }
  }
}

async function runCommand(
  args: RunnerArgs,
  appRoot: string,
  configPath: string,
  jobs: Parameters<typeof getWorkerSpecs>[0],
): Promise<number> {
  switch (args.command) {
    case 'work':
    case 'workoff': {
      const specs = getWorkerSpecs(jobs, args.workerSet, args.worker)
      const logLevel: LogLevel = args.worker.logLevel ?? (args.command === 'work' ? 'debug' : 'info')
      // One worker runs in this process; several run as attached child processes (one lockedBy each).
      if (specs.length === 1) return runWorker({ jobs, spec: specs[0]!, mode: args.command, logLevel, appRoot })
      return runAttachedWorkers({ appRoot, configPath, specs, logLevel, workoff: args.command === 'workoff' })
    }
    case 'start':
      return start(appRoot, configPath, args, jobs)
    case 'restart': {
      const stopCode = await stop(appRoot, args)
      return stopCode === EXIT_OK ? start(appRoot, configPath, args, jobs) : stopCode
    }
    case 'clear': {
      if (args.workerSet !== undefined) {
        throw new RunnerUsageError('clear deletes jobs, not workers: narrow it with --queue <name[,name]> (and --adapter <name>), not -n.')
      }
      const adapter = args.worker.adapter
      if (adapter !== undefined && !(adapter in jobs.adapters)) {
        throw new RunnerUsageError(`--adapter "${adapter}" is not configured. Use one of: ${Object.keys(jobs.adapters).join(', ')}.`)
      }
      const queues = args.worker.queue ?? '*'
      const which = queues === '*' ? 'every queue' : `queue ${queues.join(', ')}`
      for (const result of await clearJobs(jobs, { queues, adapter })) {
        console.log(`Deleted ${result.count} job(s) of ${which} from adapter "${result.adapter}".`)
      }
      return EXIT_OK
    }
    case 'status': {
      const failedAdapters: string[] = []
      console.log(await getStatusReport(jobs, appRoot, new Date(), failedAdapters))
      const schedules = await getSchedulesReport(jobs)
      if (schedules) console.log(`\n${schedules}`)
      return failedAdapters.length > 0 ? EXIT_FAILED : EXIT_OK
    }
    case 'schedules':
      console.log(await runSchedulesCommand(jobs, args.schedule!))
      return EXIT_OK
    case 'workers':
      // One line, last: jobs-kit takes the last line, so a config that logs to stdout while it loads does no harm.
      console.log(JSON.stringify(describeWorkerSpecs(getWorkerSpecs(jobs, args.workerSet, args.worker))))
      return EXIT_OK
    case 'dashboard':
      await serveDashboard(jobs, {
        ...args.dashboard,
        onListening: (url) => console.log(`Jobs dashboard on ${url} (Ctrl-C to stop)`),
        onWarning: (message) => console.warn(`jobs-kit: warning: ${message}`),
      })
      return EXIT_OK
  }
  return EXIT_OK
}

async function start(appRoot: string, configPath: string, args: RunnerArgs, jobs: Parameters<typeof getWorkerSpecs>[0]): Promise<number> {
  const results = await startWorkers({
    appRoot,
    configPath,
    specs: getWorkerSpecs(jobs, args.workerSet, args.worker),
    logLevel: args.worker.logLevel ?? 'info',
  })
  for (const result of results) {
    console.log(
      result.outcome === 'started'
        ? `Started ${result.title} (pid ${result.pid}), logging to ${result.logPath}`
        : `${result.title} is already running (pid ${result.pid}); use restart to replace it`,
    )
  }
  return EXIT_OK
}

async function stop(appRoot: string, args: RunnerArgs): Promise<number> {
  const results = await stopWorkers(appRoot, {
    timeoutSeconds: args.stopTimeoutSeconds ?? DEFAULT_STOP_TIMEOUT_SECONDS,
    onProgress: (message) => console.log(message),
  })
  if (results.length === 0) console.log('No workers to stop (no pid files in .jobs-kit/pids).')
  for (const result of results) {
    const how = {
      stopped: 'stopped after finishing its jobs',
      terminated: 'stopped with SIGTERM (its running job is taken back on restart)',
      killed: 'killed with SIGKILL after ignoring SIGTERM',
      stale: 'was not running; removed its stale pid file',
    }[result.outcome]
    console.log(`${result.title}${result.pid === undefined ? '' : ` (pid ${result.pid})`} ${how}`)
  }
  return EXIT_OK
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof RunnerUsageError || error instanceof RunnerConfigError) {
      console.error(`jobs-kit: ${error.message}`)
      process.exit(EXIT_USAGE)
    }
    if (error instanceof JobsKitError) {
      console.error(`jobs-kit: ${error.message}`)
    } else {
      console.error('jobs-kit: unexpected error:', error)
    }
    process.exit(EXIT_FAILED)
  },
)
