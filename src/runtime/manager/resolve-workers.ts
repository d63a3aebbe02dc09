import { DEFAULT_WORKER_QUEUE, MAX_TIMER_SECONDS } from '../defaults.js'
import { InvalidConfigError, UnknownAdapterError, UnknownQueueError } from '../errors.js'
import type { Logger, ResolvedWorkerConfig, WorkerConfig } from '../types.js'
import { isValidSettingValue, WORKER_SETTING_NAMES, WORKER_SETTINGS, type WorkerSetting, type WorkerSettings } from '../worker-settings.js'
import { isLogger } from './is-logger.js'

/**
 * Checks the config's `workers` and fills in every default (see `worker-settings.ts`).
 * `queue` becomes `'*'` or a non-empty list of configured queues.
 */
export function resolveWorkers(
  workers: readonly WorkerConfig[],
  adapterNames: readonly string[],
  queues: readonly string[],
): ResolvedWorkerConfig[] {
  if (!Array.isArray(workers)) {
    throw new InvalidConfigError('`workers` in your jobs config must be an array, e.g. [{ adapter: \'prisma\', queue: \'*\' }].')
  }
  return workers.map((worker, index) => {
    const where = `workers[${index}]`
    if (typeof worker !== 'object' || worker === null) throw new InvalidConfigError(`${where} in your jobs config must be an object.`)
    if (!adapterNames.includes(worker.adapter)) throw new UnknownAdapterError(String(worker.adapter), adapterNames, where)
    return {
      adapter: worker.adapter,
      queue: resolveQueue(worker.queue ?? DEFAULT_WORKER_QUEUE, queues, where),
      ...resolveSettings(worker, where),
      ...(worker.logger === undefined ? {} : { logger: checkLogger(worker.logger, `${where}.logger`) }),
    }
  })
}

function resolveQueue(queue: string | string[], queues: readonly string[], where: string): '*' | string[] {
  const list = Array.isArray(queue) ? queue : [queue]
  if (list.length === 0) throw new InvalidConfigError(`${where}.queue is an empty list. Use '*' for every queue, or name at least one.`)
  if (list.includes('*')) return '*'
  for (const name of list) {
    if (!queues.includes(name)) throw new UnknownQueueError(name, queues, `${where}.queue`)
  }
  return [...new Set(list)]
}

/** The worker's settings, each checked, or its default when left out (in table order, so the first bad one is reported). */
function resolveSettings(worker: WorkerConfig, where: string): WorkerSettings {
  const settings: Record<string, unknown> = {}
  for (const name of WORKER_SETTING_NAMES) {
    const setting: WorkerSetting = WORKER_SETTINGS[name]
    const value: unknown = worker[name]
    if (value !== undefined && !isValidSettingValue(setting, value)) {
      throw new InvalidConfigError(`${where}.${name} must be ${describeSetting(setting)} (got ${String(value)}). Default: ${setting.default}.`)
    }
    settings[name] = value ?? setting.default
  }
  return settings as WorkerSettings
}

function describeSetting(setting: WorkerSetting): string {
  if (setting.type === 'boolean') return 'true or false'
  if (setting.type === 'integer') return `a whole number, ${setting.min ?? 0} or more`
  return (
    `a number of seconds${setting.zeroAllowed ? ', 0 or more' : ' above 0'}, at most ${MAX_TIMER_SECONDS} ` +
    '(about 24.8 days, the longest timer Node can set)'
  )
}

function checkLogger(logger: Logger, where: string): Logger {
  if (!isLogger(logger)) throw new InvalidConfigError(`${where} must have debug, info, warn and error methods (console and pino do).`)
  return logger
}
