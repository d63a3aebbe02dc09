import { describe, expect, it } from 'vitest'
import type { JobsAdapter, ResolvedWorkerConfig } from '../types.js'
import { WORKER_SETTING_DEFAULTS } from '../worker-settings.js'
import { RunnerUsageError } from './errors.js'
import type { RunnerJobManager } from './job-manager-shape.js'
import { parseArgs } from './parse-args.js'
import { parseWorkerSet } from './parse-worker-set.js'
import { getSingleWorkerSpec, getWorkerSpecs, toWorkerFlags } from './worker-specs.js'
import { workerProcessName, workerTitle } from './worker-name.js'

// The runner reads only these fields of a JobManager; adapters are never called here.
const adapter = {} as JobsAdapter

function config(overrides: Partial<ResolvedWorkerConfig>): ResolvedWorkerConfig {
  return {
    adapter: 'prisma',
    queue: '*',
    ...WORKER_SETTING_DEFAULTS,
    ...overrides,
  }
}

function manager(workers: ResolvedWorkerConfig[]): RunnerJobManager {
  return {
    adapters: { prisma: adapter, redis: adapter },
    queues: ['default', 'email', 'reports'],
    logger: console,
    workers,
    loadJob: async () => undefined,
  }
}

describe('worker names', () => {
  it('show * as all and join several queues with +', () => {
    expect(workerTitle('*', 0)).toBe('jobs-kit-worker.all.0')
    expect(workerTitle(['email'], 2)).toBe('jobs-kit-worker.email.2')
    expect(workerTitle(['default', 'email'], 1)).toBe('jobs-kit-worker.default+email.1')
  })

  it('never drops --queue, --id or --adapter silently: work, workoff, start and restart say to use -n or the one-worker form', () => {
    // `workoff --queue email` worked off every queue: --queue is a flag of the
    // one-worker form only, and the set commands ignored it without a word.
    for (const argv of [['work', '--queue', 'email'], ['workoff', '--queue', 'email'], ['start', '--queue', 'email'], ['restart', '--queue', 'email'], ['workoff', '--id', '3'], ['workoff', '--adapter', 'redis']]) {
      expect(() => parseArgs(argv, {}), argv.join(' ')).toThrow(RunnerUsageError)
      expect(() => parseArgs(argv, {}), argv.join(' ')).toThrow(`-n email:1`)
    }
    expect(parseArgs(['workoff', '-n', 'email:1'], {}).workerSet).toEqual([{ queue: 'email', count: 1 }])
  })

  it('rejects a -n queue that is not configured', () => {
    expect(() => getWorkerSpecs(manager([config({})]), parseWorkerSet('sms:1'))).toThrow(RunnerUsageError)
    expect(() => getWorkerSpecs(manager([config({})]), parseWorkerSet('sms:1'))).toThrow(
      '-n: queue "sms" is not configured. Use one of: default, email, reports',
    )
  })

  it('a -n queue no worker runs takes the settings of a worker that serves it, and refuses to guess between adapters', () => {
    // Before, -n email:2 ran on the first worker's adapter (redis here) without a word, though the prisma worker serves email.
    const jobs = manager([config({ adapter: 'redis', queue: ['reports'], maxAttempts: 2 }), config({ adapter: 'prisma', queue: '*', maxAttempts: 9 })])
    expect(getWorkerSpecs(jobs, parseWorkerSet('email:2')).map((spec) => [spec.title, spec.config.adapter, spec.config.maxAttempts])).toEqual([
      ['jobs-kit-worker.email.0', 'prisma', 9],
      ['jobs-kit-worker.email.1', 'prisma', 9],
    ])
    const split = manager([config({ adapter: 'redis', queue: ['reports'] }), config({ adapter: 'prisma', queue: ['default'] })])
    expect(() => getWorkerSpecs(split, parseWorkerSet('email:2'))).toThrow(RunnerUsageError)
    expect(() => getWorkerSpecs(split, parseWorkerSet('email:2'))).toThrow(
      '-n: no worker in your config runs queue email, and the workers that could lend it their settings use different adapters (redis, prisma)',
    )
    expect(() => getSingleWorkerSpec(split, parseArgs(['--id', '0', '--queue', 'email'], {}).worker)).toThrow('--queue: no worker in your config runs queue email')
    expect(getSingleWorkerSpec(split, parseArgs(['--id', '0', '--queue', 'email', '--adapter', 'prisma'], {}).worker).config.adapter).toBe('prisma')
    // One adapter: nothing to guess, the first worker's settings as before.
    expect(getWorkerSpecs(manager([config({ queue: ['reports'], maxAttempts: 2 })]), parseWorkerSet('email:1'))[0]!.config.maxAttempts).toBe(2)
  })

  it('says what to do when no worker is configured', () => {
    expect(() => getWorkerSpecs(manager([]), undefined)).toThrow('No workers are configured')
  })
})

describe('getSingleWorkerSpec', () => {
  it('lays the flags over the configured worker of the same queue', () => {
    const jobs = manager([config({ queue: '*' }), config({ queue: ['email'], maxAttempts: 3, concurrency: 2 })])
    const spec = getSingleWorkerSpec(jobs, parseArgs(['--id', '4', '--queue', 'email', '--sleepDelay', '0.5'], {}).worker)
    expect(spec.title).toBe('jobs-kit-worker.email.4')
    expect(spec.config).toEqual(config({ queue: ['email'], maxAttempts: 3, concurrency: 2, sleepDelay: 0.5 }))
  })

  it('rejects an adapter that is not configured', () => {
    expect(() => getSingleWorkerSpec(manager([config({})]), parseArgs(['--id', '0', '--adapter', 'kafka'], {}).worker)).toThrow(
      '--adapter "kafka" is not configured. Use one of: prisma, redis.',
    )
  })

  it('round-trips: the flags start passes to a child describe exactly the same worker', () => {
    const jobs = manager([config({ queue: '*' })])
    const original = getWorkerSpecs(jobs, undefined)[0]
    const custom = {
      ...original,
      id: 3,
      title: workerTitle(['default', 'email'], 3),
      config: config({
        queue: ['default', 'email'],
        adapter: 'redis',
        maxAttempts: 7,
        maxRuntime: 90,
        sleepDelay: 0.25,
        deleteFailedJobs: true,
        deleteSuccessfulJobs: false,
        concurrency: 5,
      }),
    }
    for (const spec of [original, custom]) {
      expect(getSingleWorkerSpec(jobs, parseArgs(toWorkerFlags(spec), {}).worker)).toEqual(spec)
    }
  })
})
