import { parseArgs as parseNodeArgs } from 'node:util'
import { MAX_TIMER_SECONDS } from '../defaults.js'
import {
  fitsNumberRule,
  numberRule,
  WORKER_SETTING_FLAG_NAMES,
  WORKER_SETTINGS,
  type NumberRule,
  type WorkerSettingFlagName,
  type WorkerSettings,
} from '../worker-settings.js'
import { isLogLevel, type LogLevel } from '../worker/guard-logger.js'
import { RunnerUsageError } from './errors.js'
import { parseWorkerSet, type WorkerSetEntry } from './parse-worker-set.js'

export const COMMANDS = ['work', 'workoff', 'start', 'stop', 'restart', 'clear', 'status', 'dashboard', 'schedules', 'workers'] as const
export type RunnerCommand = (typeof COMMANDS)[number]

/**
 * Settings of one worker run by hand (`--id 0 --queue email …`); unset ones
 * come from the config. The settings flags (`--maxRuntime`, …) are those of
 * `worker-settings.ts`.
 */
export type WorkerFlags = {
  id?: number
  /** `'*'` or queue names (`--queue default,email`). */
  queue?: '*' | string[]
  workoff: boolean
  clear: boolean
  adapter?: string
  logLevel?: LogLevel
  /** `--logger <name>` that is not a log level: an export of the jobs config (one worker by hand). */
  loggerExport?: string
} & Partial<Pick<WorkerSettings, WorkerSettingFlagName>>

/** The command line, understood. */
export interface RunnerArgs {
  /** `'worker'`: run one worker in this process, as configured by the worker flags. */
  command: RunnerCommand | 'worker' | 'help'
  /** `--config`, else `JOBS_KIT_CONFIG`. */
  configPath: string | undefined
  /** `-n`: replaces the configured worker set. */
  workerSet: WorkerSetEntry[] | undefined
  worker: WorkerFlags
  /** `stop`: seconds to wait for a graceful exit before SIGTERM. */
  stopTimeoutSeconds: number | undefined
  /** `dashboard`: `--port` and `--host` (defaults in commands/dashboard.ts). */
  dashboard: { port?: number; host?: string }
  /** `schedules pause|resume|run <name>`. */
  schedule?: ScheduleAction
}

/** What `schedules` does to which recurring entry. */
export interface ScheduleAction {
  action: 'pause' | 'resume' | 'run'
  name: string
}

export const USAGE = `Usage: npm run jobs -- <command> [options]
   or: tsx <runtime>/runner/cli.ts --config <path/to/jobs.ts> <command> [options]

Commands:
  work       run the configured workers attached to this terminal, with debug logs
  workoff    run every job that is due now, then exit
  start      start the workers as detached background processes
  stop       stop the workers started by \`start\` (graceful, then SIGTERM)
  restart    stop, then start
  clear      delete every job (--queue <name[,name]> to delete only those queues' jobs)
  status     show running workers, the jobs waiting, running and failed per queue, and the recurring schedules
  dashboard  serve the jobs dashboard (--port 8787 --host 127.0.0.1); see docs/dashboard.md
  schedules pause|resume|run <name>
             pause or resume a recurring entry, or enqueue one run of it now
  workers    print the workers \`start\` would run (or -n's), as JSON: what \`jobs-kit setup pm2|systemd\` reads

Options:
  --config <path>   the jobs config module that exports \`jobs\` (or env JOBS_KIT_CONFIG)
  -n <set>          override the configured workers: 4 | email:2 | default:2,email:4 | :2,email:4
  --timeout <s>     stop: seconds to wait for workers to finish their jobs before SIGTERM (default 60)
  --port <n>        dashboard: the port to listen on (default 8787)
  --host <address>  dashboard: the address to bind (default 127.0.0.1, this machine only)

One worker by hand (no command):
  --id <n> --queue <*|name[,name]> [--workoff] [--clear] [--adapter <name>]
${wrap([...WORKER_SETTING_FLAG_NAMES.map((name) => `[${settingFlagUsage(name)}]`), '[--logger <debug|info|warn|error|export name>]'], '  ', 90)}
  --adapter and --logger may name exports of the jobs config (e.g. --adapter=adapter --logger=logger)`

/** Parses the runner's arguments (without `node` and the script). Throws `RunnerUsageError`. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): RunnerArgs {
  let parsed
  try {
    parsed = parseNodeArgs({
      args: argv,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
      options: {
        config: { type: 'string' },
        n: { type: 'string', short: 'n' },
        timeout: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        id: { type: 'string' },
        queue: { type: 'string' },
        workoff: { type: 'boolean' },
        clear: { type: 'boolean' },
        adapter: { type: 'string' },
        ...SETTING_OPTIONS,
        logger: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    throw new RunnerUsageError(`${(error as Error).message}\n\n${USAGE}`)
  }
  const { values, positionals } = parsed

  const worker: WorkerFlags = {
    id: values.id === undefined ? undefined : parseNumber('--id', values.id, { integer: true, min: 0 }),
    queue: values.queue === undefined ? undefined : parseQueueFlag(values.queue),
    workoff: values.workoff ?? false,
    clear: values.clear ?? false,
    adapter: values.adapter,
    ...parseSettingFlags(values),
    logLevel: values.logger !== undefined && isLogLevel(values.logger) ? values.logger : undefined,
    loggerExport: values.logger !== undefined && !isLogLevel(values.logger) ? parseLoggerExport(values.logger) : undefined,
  }
  if (worker.workoff && worker.clear) throw new RunnerUsageError('--workoff and --clear cannot be used together: pick one.')

  const schedule = positionals[0] === 'schedules' ? parseScheduleAction(positionals.slice(1)) : undefined
  const command = parseCommand(schedule ? positionals.slice(0, 1) : positionals, values.help === true, worker)
  if (worker.loggerExport !== undefined && command !== 'worker' && command !== 'help') {
    throw new RunnerUsageError(
      `--logger "${worker.loggerExport}" names an export of the jobs config, which only one worker run by hand uses ` +
        '(`--id 0 --queue … --logger logger`). For commands, pass a level: --logger debug|info|warn|error.',
    )
  }
  if (WORKER_SET_COMMANDS.includes(command) && (worker.queue !== undefined || worker.id !== undefined || worker.adapter !== undefined)) {
    const given = [worker.queue !== undefined && '--queue', worker.id !== undefined && '--id', worker.adapter !== undefined && '--adapter'].filter(Boolean)
    throw new RunnerUsageError(
      `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} for running one worker by hand, not for \`${command}\` ` +
        `(which runs the configured workers). Pick the workers with -n, e.g. \`${command} -n email:1\`, ` +
        `or run one worker: \`npm run jobs -- --id 0 --queue email${command === 'workoff' ? ' --workoff' : ''}\`.`,
    )
  }
  if (command !== 'dashboard' && (values.port !== undefined || values.host !== undefined)) {
    throw new RunnerUsageError(`--port and --host are for \`dashboard\` only (npm run jobs -- dashboard --port 8787), not for \`${command}\`.`)
  }
  return {
    command,
    configPath: values.config ?? (env.JOBS_KIT_CONFIG || undefined),
    workerSet: values.n === undefined ? undefined : parseWorkerSet(values.n),
    worker,
    stopTimeoutSeconds: optionalNumber('--timeout', values.timeout, { min: 0, max: MAX_TIMER_SECONDS }),
    dashboard: {
      port: values.port === undefined ? undefined : parsePort(values.port),
      host: values.host,
    },
    ...(schedule && { schedule }),
  }
}

/** The settings flags for `node:util`'s parseArgs: numbers are parsed (and checked) by `parseSettingFlags`. */
const SETTING_OPTIONS = Object.fromEntries(
  WORKER_SETTING_FLAG_NAMES.map((name) => [name, { type: WORKER_SETTINGS[name].type === 'boolean' ? 'boolean' : 'string' } as const]),
)

/** The settings flags that were given, parsed and checked against the settings table. */
function parseSettingFlags(values: Record<string, string | boolean | (string | boolean)[] | undefined>): Partial<WorkerSettings> {
  const settings: Record<string, number | boolean> = {}
  for (const name of WORKER_SETTING_FLAG_NAMES) {
    const value = values[name]
    if (value === undefined) continue
    const rule = numberRule(WORKER_SETTINGS[name])
    settings[name] = rule === undefined ? value === true : parseNumber(`--${name}`, String(value), rule)
  }
  return settings
}

/** How the help writes a settings flag: `--maxRuntime <s>`, `--[no-]deleteFailedJobs`. */
export function settingFlagUsage(name: WorkerSettingFlagName): string {
  const { type } = WORKER_SETTINGS[name]
  if (type === 'boolean') return `--[no-]${name}`
  return `--${name} <${type === 'seconds' ? 's' : 'n'}>`
}

/** Joins `words` with spaces into lines of at most `width` characters, each starting with `indent`. */
function wrap(words: string[], indent: string, width: number): string {
  const lines: string[] = []
  for (const word of words) {
    const last = lines.length - 1
    if (last >= 0 && lines[last]!.length + 1 + word.length <= width) lines[last] += ` ${word}`
    else lines.push(indent + word)
  }
  return lines.join('\n')
}

function parseScheduleAction(rest: string[]): ScheduleAction {
  const [action, name, ...extra] = rest
  if ((action !== 'pause' && action !== 'resume' && action !== 'run') || name === undefined || name === '' || extra.length > 0) {
    throw new RunnerUsageError(
      'Usage: schedules pause|resume|run <name>, e.g. `npm run jobs -- schedules pause NightlyReportJob`. ' +
        'A recurring entry\'s name is its `name`, else its job; `npm run jobs -- status` lists them.',
    )
  }
  return { action, name }
}

/** Commands that run the configured set of workers (or `-n`), where the one-worker flags mean nothing. */
const WORKER_SET_COMMANDS: readonly string[] = ['work', 'workoff', 'start', 'restart', 'workers']

function parseCommand(positionals: string[], help: boolean, worker: WorkerFlags): RunnerArgs['command'] {
  if (help) return 'help'
  if (positionals.length > 1) {
    throw new RunnerUsageError(`Expected one command, got ${positionals.map((p) => `"${p}"`).join(' ')}.\n\n${USAGE}`)
  }
  const [name] = positionals
  if (name === undefined) {
    const workerFlagsGiven = worker.id !== undefined || worker.queue !== undefined || worker.workoff || worker.clear
    if (workerFlagsGiven) return 'worker'
    throw new RunnerUsageError(`No command given.\n\n${USAGE}`)
  }
  if (!(COMMANDS as readonly string[]).includes(name)) {
    throw new RunnerUsageError(`Unknown command "${name}". Use one of: ${COMMANDS.join(', ')}.\n\n${USAGE}`)
  }
  return name as RunnerCommand
}

function parseQueueFlag(value: string): '*' | string[] {
  const queues = value.split(',').map((queue) => queue.trim())
  if (queues.includes('*')) {
    if (queues.length > 1) throw new RunnerUsageError(`--queue "${value}": "*" already means every queue; use it alone.`)
    return '*'
  }
  if (queues.some((queue) => queue === '')) {
    throw new RunnerUsageError(`--queue "${value}" has an empty queue name. Use --queue '*', --queue email or --queue default,email.`)
  }
  return queues
}

function parsePort(value: string): number {
  const port = Number(value)
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RunnerUsageError(`--port "${value}" must be a whole number from 0 to 65535 (0 picks a free port).`)
  }
  return port
}

/** A `--logger` that names an export of the jobs config (checked once the config is loaded). */
function parseLoggerExport(value: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(value)) {
    throw new RunnerUsageError(`--logger "${value}" is not a log level (debug, info, warn, error) nor the name of an export of your jobs config.`)
  }
  return value
}

function optionalNumber(flag: string, value: string | undefined, rule: NumberRule): number | undefined {
  return value === undefined ? undefined : parseNumber(flag, value, rule)
}

function parseNumber(flag: string, value: string, rule: NumberRule): number {
  const number = value.trim() === '' ? Number.NaN : Number(value)
  const kind = rule.integer ? 'a whole number' : 'a number'
  const lower = rule.exclusiveMin ? `greater than ${rule.min}` : `at least ${rule.min}`
  const bound = rule.max === undefined ? lower : `${lower} and at most ${rule.max} (about 24.8 days, the longest timer Node can set)`
  if (!fitsNumberRule(number, rule)) throw new RunnerUsageError(`${flag} "${value}" must be ${kind} ${bound}.`)
  return number
}
