import type { ResolvedWorkerConfig } from '../types.js'
import { WORKER_SETTING_DEFAULTS, WORKER_SETTING_FLAG_NAMES, WORKER_SETTINGS } from '../worker-settings.js'
import { RunnerUsageError } from './errors.js'
import type { RunnerJobManager } from './job-manager-shape.js'
import type { WorkerFlags } from './parse-args.js'
import type { WorkerSetEntry } from './parse-worker-set.js'
import { queueLabel, workerTitle } from './worker-name.js'

/** One worker process to run: its settings and its name. */
export interface WorkerSpec {
  /** Numbered from 0 among the workers of the same queue(s). */
  id: number
  /** `jobs-kit-worker.<queue>.<id>`. */
  title: string
  config: ResolvedWorkerConfig
}

/**
 * The workers to run: the configured set, or the `-n` set when given.
 *
 * A `-n` entry takes its settings (adapter, maxAttempts, …) from the configured
 * worker with the same queue, else from the first one that serves its queue,
 * else from the first configured worker, provided those do not disagree on
 * the adapter (see `findConfigFor`); the settings flags given on the command
 * line override them for every worker.
 */
export function getWorkerSpecs(
  jobs: RunnerJobManager,
  workerSet: WorkerSetEntry[] | undefined,
  flags: Partial<WorkerFlags> = {},
): WorkerSpec[] {
  const configured = workerSet === undefined ? jobs.workers : workerSet.map((entry) => fromSetEntry(jobs, entry))
  // Settings flags (`work --sleepDelay 1`, `start --maxRuntime 60`) apply to every worker of the set.
  const configs = configured.map((config) => withSettingsFlags(config, flags))
  if (configs.length === 0) {
    throw new RunnerUsageError('No workers are configured. Add one to `workers` in your jobs config, or pass -n 1.')
  }
  const nextIdByQueue = new Map<string, number>()
  const specs: WorkerSpec[] = []
  for (const config of configs) {
    const label = queueLabel(config.queue)
    for (let index = 0; index < config.count; index++) {
      const id = nextIdByQueue.get(label) ?? 0
      nextIdByQueue.set(label, id + 1)
      specs.push({ id, title: workerTitle(config.queue, id), config })
    }
  }
  return specs
}

/** The one worker described by the worker flags (`--id 0 --queue email …`), over the config's settings. */
export function getSingleWorkerSpec(jobs: RunnerJobManager, flags: WorkerFlags): WorkerSpec {
  const queue = flags.queue ?? jobs.workers[0]?.queue ?? '*'
  checkQueues(jobs, queue, '--queue')
  const base = findConfigFor(jobs, queue, flags.adapter === undefined ? '--queue' : undefined) ?? fallbackConfig(jobs, queue)
  const config = withSettingsFlags({ ...base, queue, count: 1 }, flags)
  if (!(config.adapter in jobs.adapters)) {
    throw new RunnerUsageError(
      `--adapter "${config.adapter}" is not configured. Use one of: ${Object.keys(jobs.adapters).join(', ') || '(none)'}.`,
    )
  }
  const id = flags.id ?? 0
  return { id, title: workerTitle(queue, id), config }
}

/** `config` with the settings flags that were given (adapter, maxAttempts, …) put over it. */
function withSettingsFlags(config: ResolvedWorkerConfig, flags: Partial<WorkerFlags>): ResolvedWorkerConfig {
  const result: ResolvedWorkerConfig = { ...config, adapter: flags.adapter ?? config.adapter }
  for (const name of WORKER_SETTING_FLAG_NAMES) {
    const value = flags[name]
    if (value !== undefined) (result as Record<string, unknown>)[name] = value
  }
  return result
}

/**
 * One worker as the `workers` command prints it (JSON): what a process
 * manager needs to run it by hand (`--id <id> --queue <queue>`) and to wait
 * for it to stop (`maxRuntime`: a job in hand ends, or is aborted, by then).
 * `jobs-kit setup pm2|systemd` reads this shape.
 */
export interface WorkerDescription {
  title: string
  id: number
  queue: '*' | string[]
  adapter: string
  /** Seconds. */
  maxRuntime: number
}

/** The specs as the `workers` command prints them. */
export function describeWorkerSpecs(specs: WorkerSpec[]): WorkerDescription[] {
  return specs.map(({ id, title, config }) => ({
    title,
    id,
    queue: config.queue === '*' ? '*' : [...config.queue],
    adapter: config.adapter,
    maxRuntime: config.maxRuntime,
  }))
}

/** The flags that make a child process run exactly `spec` (what `start` and `work` pass). */
export function toWorkerFlags(spec: WorkerSpec): string[] {
  const { config } = spec
  const settings = WORKER_SETTING_FLAG_NAMES.flatMap((name) => {
    const value = config[name]
    if (WORKER_SETTINGS[name].type === 'boolean') return [value ? `--${name}` : `--no-${name}`]
    return [`--${name}`, String(value)]
  })
  return ['--id', String(spec.id), '--queue', config.queue === '*' ? '*' : config.queue.join(','), '--adapter', config.adapter, ...settings]
}

function fromSetEntry(jobs: RunnerJobManager, entry: WorkerSetEntry): ResolvedWorkerConfig {
  const queue = entry.queue === '*' ? '*' : [entry.queue]
  checkQueues(jobs, queue, '-n')
  const base = findConfigFor(jobs, queue, '-n') ?? fallbackConfig(jobs, queue)
  return { ...base, queue, count: entry.count }
}

/**
 * The configured worker whose settings (adapter, maxAttempts, …) a worker on
 * `queue` takes: the one of the same queue(s); else the first that serves them
 * all (`'*'`, or a list holding each); else the first configured worker.
 * Without a worker of its own queue, a worker must not guess between adapters:
 * `-n email:2` silently took the first worker's adapter, so with a config of
 * workers on two adapters, one that serves no `email` jobs. When the workers
 * it could take its settings from use different adapters, and no `--adapter`
 * says which (`flag` undefined), that is a usage error naming what to do.
 */
function findConfigFor(jobs: RunnerJobManager, queue: '*' | string[], flag?: '-n' | '--queue'): ResolvedWorkerConfig | undefined {
  const label = queueLabel(queue)
  const same = jobs.workers.find((config) => queueLabel(config.queue) === label)
  if (same) return same
  const serving = jobs.workers.filter((config) => config.queue === '*' || (queue !== '*' && queue.every((name) => config.queue.includes(name))))
  const candidates = serving.length > 0 ? serving : jobs.workers
  const adapters = [...new Set(candidates.map((config) => config.adapter))]
  if (flag !== undefined && adapters.length > 1) {
    const which = queue === '*' ? 'every queue' : `queue ${queue.join(', ')}`
    throw new RunnerUsageError(
      `${flag}: no worker in your config runs ${which}, and the workers that could lend it their settings use different adapters ` +
        `(${adapters.join(', ')}), so the runner cannot tell which adapter holds its jobs. Add a worker for ${which} to \`workers\` ` +
        `in your jobs config, or run one worker with its adapter: --id 0 --queue ${queue === '*' ? '*' : queue.join(',')} --adapter <${adapters.join('|')}>.`,
    )
  }
  return candidates[0]
}

function fallbackConfig(jobs: RunnerJobManager, queue: '*' | string[]): ResolvedWorkerConfig {
  const adapter = Object.keys(jobs.adapters)[0]
  if (adapter === undefined) throw new RunnerUsageError('No adapters are configured. Add one to `adapters` in your jobs config.')
  // Only reached when the config has no `workers` at all.
  return { adapter, queue, ...WORKER_SETTING_DEFAULTS }
}

function checkQueues(jobs: RunnerJobManager, queue: '*' | string[], flag: string): void {
  if (queue === '*') return
  for (const name of queue) {
    if (!jobs.queues.includes(name)) {
      throw new RunnerUsageError(
        `${flag}: queue "${name}" is not configured. Use one of: ${jobs.queues.join(', ')} (or every queue), ` +
          `or add "${name}" to \`queues\` in your jobs config.`,
      )
    }
  }
}
