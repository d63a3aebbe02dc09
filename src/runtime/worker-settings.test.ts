import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MAX_TIMER_SECONDS } from './defaults.js'
import { settingFlagUsage } from './runner/parse-args.js'
import {
  isValidSettingValue,
  WORKER_SETTING_DEFAULTS,
  WORKER_SETTING_NAMES,
  WORKER_SETTINGS,
  type WorkerSetting,
  type WorkerSettingFlagName,
  type WorkerSettingName,
} from './worker-settings.js'

/** Settings of a `workers` entry that name things of the config, documented beside the table's. */
const NAMING_SETTINGS = ['adapter', 'queue']

/** The rows of the first Markdown table after `heading`, as cells (backticks kept), header and rule left out. */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`)
  if (start === -1) throw new Error(`heading "${heading}" not found`)
  const lines = markdown.slice(start).split('\n')
  const first = lines.findIndex((line) => line.startsWith('|'))
  const rows: string[][] = []
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break
    // `\|` is a pipe inside a cell.
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()))
  }
  return rows
}

function describeType(setting: WorkerSetting): string {
  if (setting.type === 'boolean') return 'boolean'
  if (setting.type === 'integer') return `whole number ≥ ${setting.min}`
  return setting.zeroAllowed ? 'seconds ≥ 0' : 'seconds > 0'
}

describe('the worker settings table', () => {
  it('has a valid default for every setting', () => {
    for (const name of WORKER_SETTING_NAMES) {
      expect(isValidSettingValue(WORKER_SETTINGS[name], WORKER_SETTINGS[name].default), name).toBe(true)
      expect(WORKER_SETTING_DEFAULTS[name]).toBe(WORKER_SETTINGS[name].default)
    }
  })

  it('accepts only values of the setting’s type and range', () => {
    expect(isValidSettingValue(WORKER_SETTINGS.count, 0)).toBe(true)
    expect(isValidSettingValue(WORKER_SETTINGS.maxAttempts, 0)).toBe(false)
    expect(isValidSettingValue(WORKER_SETTINGS.concurrency, 1.5)).toBe(false)
    expect(isValidSettingValue(WORKER_SETTINGS.maxRuntime, 0)).toBe(false)
    expect(isValidSettingValue(WORKER_SETTINGS.maxRuntime, 0.5)).toBe(true)
    expect(isValidSettingValue(WORKER_SETTINGS.maxRuntime, MAX_TIMER_SECONDS + 1)).toBe(false)
    expect(isValidSettingValue(WORKER_SETTINGS.sleepDelay, 0)).toBe(true)
    expect(isValidSettingValue(WORKER_SETTINGS.sleepDelay, '5')).toBe(false)
    expect(isValidSettingValue(WORKER_SETTINGS.deleteFailedJobs, 'false')).toBe(false)
  })

  it('is what docs/worker.md lists, row for row', () => {
    const rows = tableAfter(readFileSync(new URL('../../docs/worker.md', import.meta.url), 'utf8'), '## Worker settings')
    const documented = rows.map(([name]) => name!.replaceAll('`', ''))
    expect(documented).toEqual([...NAMING_SETTINGS, ...WORKER_SETTING_NAMES])
    for (const [cell, type, fallback, flag, doc] of rows) {
      const name = cell!.replaceAll('`', '') as WorkerSettingName
      if (NAMING_SETTINGS.includes(name)) continue
      const setting: WorkerSetting = WORKER_SETTINGS[name]
      expect({ name, type, fallback, flag, doc }).toEqual({
        name,
        type: describeType(setting),
        fallback: String(setting.default),
        // count is the one setting without a flag of its own: -n sets it.
        flag: setting.flag ? `\`${settingFlagUsage(name as WorkerSettingFlagName)}\`` : '`-n`',
        doc: setting.doc,
      })
    }
  })

  it('has the defaults README.md quotes', () => {
    const rows = tableAfter(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'), '## Configuration')
    const documented = new Map(rows.map(([name, fallback]) => [name!.replaceAll('`', ''), fallback!]))
    expect([...documented.keys()]).toEqual([...NAMING_SETTINGS, ...WORKER_SETTING_NAMES])
    for (const name of WORKER_SETTING_NAMES) {
      // "14 400 s" in prose: the number without its spaces and unit.
      expect(documented.get(name)!.replace(/ s$/, '').replaceAll(' ', ''), name).toBe(String(WORKER_SETTINGS[name].default))
    }
  })
})
