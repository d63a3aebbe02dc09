import {
  DEFAULT_CONCURRENCY,
  DEFAULT_DELETE_FAILED_JOBS,
  DEFAULT_DELETE_SUCCESSFUL_JOBS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_RUNTIME_SECONDS,
  DEFAULT_SLEEP_DELAY_SECONDS,
  DEFAULT_WORKER_COUNT,
  MAX_TIMER_SECONDS,
} from './defaults.js'

/** What one worker setting is: its type, its default, whether the runner takes it as a flag, what it does. */
export interface WorkerSetting {
  /**
   * `integer`: a whole number, `min` or more. `seconds`: a number of seconds,
   * at most `MAX_TIMER_SECONDS`, above 0 (or 0 too, with `zeroAllowed`).
   * `boolean`: true or false (flags `--name` and `--no-name`).
   */
  type: 'integer' | 'seconds' | 'boolean'
  /** `integer` only: the smallest value allowed. */
  min?: number
  /** `seconds` only: whether 0 is allowed. */
  zeroAllowed?: boolean
  /** The value when the config leaves it out (from `defaults.ts`). */
  default: number | boolean
  /** Whether the runner takes it as `--<name>` (one worker by hand, or over every worker of `work`/`start`). */
  flag: boolean
  /** One line for the docs: what it does. */
  doc: string
}

/**
 * Every setting of a `workers` entry that has a default, in one table: the
 * config's types (`WorkerConfig` in `types.ts`), its checks
 * (`manager/resolve-workers.ts`), the runner's flags (`runner/parse-args.ts`,
 * `runner/worker-specs.ts`) and the settings table of docs/worker.md all
 * follow it. A new setting goes here, then to the worker in `runner/run-worker.ts`.
 *
 * `adapter` and `queue` are not in it: they name an adapter and queues of the
 * config, and are checked against it.
 */
export const WORKER_SETTINGS = {
  count: {
    type: 'integer',
    min: 0,
    default: DEFAULT_WORKER_COUNT,
    flag: false,
    doc: 'worker processes `start` runs for this entry (`-n` on the command line)',
  },
  maxAttempts: {
    type: 'integer',
    min: 1,
    default: DEFAULT_MAX_ATTEMPTS,
    flag: true,
    doc: 'attempts before a job is given up (`failedAt` set)',
  },
  maxRuntime: {
    type: 'seconds',
    zeroAllowed: false,
    default: DEFAULT_MAX_RUNTIME_SECONDS,
    flag: true,
    doc: 'a running job is aborted (its `signal`), failed and retried after this',
  },
  sleepDelay: {
    type: 'seconds',
    zeroAllowed: true,
    default: DEFAULT_SLEEP_DELAY_SECONDS,
    flag: true,
    doc: 'how long an idle worker waits between polls',
  },
  deleteFailedJobs: {
    type: 'boolean',
    default: DEFAULT_DELETE_FAILED_JOBS,
    flag: true,
    doc: 'delete given-up jobs instead of keeping them with `failedAt`',
  },
  deleteSuccessfulJobs: {
    type: 'boolean',
    default: DEFAULT_DELETE_SUCCESSFUL_JOBS,
    flag: true,
    doc: 'delete succeeded jobs; when false they are kept, unlocked, with `runAt` null',
  },
  concurrency: {
    type: 'integer',
    min: 1,
    default: DEFAULT_CONCURRENCY,
    flag: true,
    doc: 'jobs one worker process runs at the same time',
  },
} as const satisfies Record<string, WorkerSetting>

type SettingsTable = typeof WORKER_SETTINGS

export type WorkerSettingName = keyof SettingsTable

/** Every worker setting with its value type: `boolean` for boolean settings, else `number`. */
export type WorkerSettings = {
  -readonly [Name in keyof SettingsTable]: SettingsTable[Name]['type'] extends 'boolean' ? boolean : number
}

/** The settings the runner takes as flags (all but `count`). */
export type WorkerSettingFlagName = {
  [Name in WorkerSettingName]: SettingsTable[Name]['flag'] extends true ? Name : never
}[WorkerSettingName]

/** The setting names in table order. */
export const WORKER_SETTING_NAMES = Object.keys(WORKER_SETTINGS) as WorkerSettingName[]

/** The names of the settings the runner takes as flags, in table order. */
export const WORKER_SETTING_FLAG_NAMES = WORKER_SETTING_NAMES.filter(
  (name): name is WorkerSettingFlagName => WORKER_SETTINGS[name].flag,
)

/** Every setting at its default. */
export const WORKER_SETTING_DEFAULTS: WorkerSettings = Object.fromEntries(
  WORKER_SETTING_NAMES.map((name) => [name, WORKER_SETTINGS[name].default]),
) as WorkerSettings

/** What a number setting accepts: a (whole) number from `min` (excluded with `exclusiveMin`) up to `max`. */
export interface NumberRule {
  integer?: boolean
  min: number
  exclusiveMin?: boolean
  /** Seconds a Node timer can wait: `MAX_TIMER_SECONDS`. */
  max?: number
}

/** The rule of a number setting; undefined for a boolean one. */
export function numberRule(setting: WorkerSetting): NumberRule | undefined {
  if (setting.type === 'integer') return { integer: true, min: setting.min ?? 0 }
  if (setting.type === 'seconds') return { min: 0, exclusiveMin: !setting.zeroAllowed, max: MAX_TIMER_SECONDS }
  return undefined
}

/** Whether `value` is a number that `rule` accepts. */
export function fitsNumberRule(value: unknown, rule: NumberRule): boolean {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.exclusiveMin ? value > rule.min : value >= rule.min) &&
    (rule.max === undefined || value <= rule.max)
  )
}

/** Whether `value` is a valid value of `setting`. */
export function isValidSettingValue(setting: WorkerSetting, value: unknown): boolean {
  const rule = numberRule(setting)
  return rule === undefined ? typeof value === 'boolean' : fitsNumberRule(value, rule)
}
