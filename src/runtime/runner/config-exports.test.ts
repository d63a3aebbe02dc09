import { describe, expect, it } from 'vitest'
import { JobManager } from '../manager/job-manager.js'
import { MemoryAdapter } from '../testing/memory-adapter.js'
import type { Logger } from '../types.js'
import { resolveWorkerExports } from './config-exports.js'
import { RunnerUsageError } from './errors.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

function config() {
  const main = new MemoryAdapter()
  const jobs = new JobManager({
    adapters: { main },
    queues: ['default'] as const,
    logger: quiet,
    workers: [{ adapter: 'main', queue: '*', logger: console }],
    jobs: () => ({}),
  })
  return { jobs, main }
}

describe('resolveWorkerExports (--adapter and --logger naming exports of the jobs config)', () => {
  it('adds an exported adapter under its export name, keeping the configured ones', () => {
    const { jobs, main } = config()
    const adapter = new MemoryAdapter()
    const resolved = resolveWorkerExports(jobs, { jobs, adapter }, { adapter: 'adapter' })
    expect(resolved.jobs.adapters).toEqual({ main, adapter })
    expect(resolved.jobs.queues).toEqual(['default'])
    expect(resolved.logger).toBeUndefined()
  })

  it('prefers a configured adapter of that name, and leaves the manager as it is', () => {
    const { jobs } = config()
    expect(resolveWorkerExports(jobs, { main: 'not an adapter' }, { adapter: 'main' }).jobs).toBe(jobs)
  })

  it('takes an exported logger; `logger` falls back to console when not exported; anything else is refused', () => {
    const { jobs } = config()
    const logger: Logger = { ...quiet }
    expect(resolveWorkerExports(jobs, { appLogger: logger }, { loggerExport: 'appLogger' }).logger).toBe(logger)
    expect(resolveWorkerExports(jobs, {}, { loggerExport: 'logger' }).logger).toBe(console)
    expect(() => resolveWorkerExports(jobs, {}, { loggerExport: 'other' })).toThrow(RunnerUsageError)
    expect(() => resolveWorkerExports(jobs, { other: 5 }, { loggerExport: 'other' })).toThrow('that export has no debug/info/warn/error methods')
    expect(() => resolveWorkerExports(jobs, { adapter: {} }, { adapter: 'adapter' })).toThrow('nor an export of the jobs config that is an adapter')
  })

  it('a workers entry may set its own logger, checked like the config\'s', () => {
    expect(config().jobs.workers[0]!.logger).toBe(console)
    expect(
      () =>
        new JobManager({
          adapters: { main: new MemoryAdapter() },
          queues: ['default'] as const,
          workers: [{ adapter: 'main', queue: '*', logger: 'debug' as unknown as Logger }],
          jobs: () => ({}),
        }),
    ).toThrow('workers[0].logger must have debug, info, warn and error methods')
  })
})
