import { describe, expect, it } from 'vitest'
import type { JobsAdapter, ResolvedWorkerConfig } from '../types.js'
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
    count: 1,
    maxAttempts: 24,
    maxRuntime: 14_400,
    sleepDelay: 5,
    deleteFailedJobs: false,
    deleteSuccessfulJobs: true,
    concurrency: 1,
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

  it('never give every queue and a queue named "all" the same name', () => {
    // `all` is a valid queue name; a '*' worker and an ['all'] worker with
    // one id shared a title, pid file and lockedBy.
    expect(workerTitle('*', 0)).not.toBe(workerTitle(['all'], 0))
  })

  it('never give two different queue lists the same name', () => {
    // With `-` as the separator, ['a-b'] and ['a', 'b'] shared a lockedBy.
    expect(workerTitle(['a-b'], 0)).not.toBe(workerTitle(['a', 'b'], 0))
    const long = Array.from({ length: 40 }, (_, index) => `queue-number-${index}`)
    const other = [...long.slice(0, 39), 'queue-number-x']
    expect(workerTitle(long, 0)).not.toBe(workerTitle(other, 0))
    expect(workerTitle(long, 0).length).toBeLessThanOrEqual('jobs-kit-worker.'.length + 80 + 2)
  })

  it('put the host in lockedBy, always short enough for a MySQL VARCHAR(191)', () => {
    expect(workerProcessName('jobs-kit-worker.all.0', 'web-1')).toBe('web-1:jobs-kit-worker.all.0')
    const queues = Array.from({ length: 30 }, (_, index) => `${'q'.repeat(60)}${index}`)
    const longest = workerProcessName(workerTitle(queues, 4_294_967_295), 'h'.repeat(253))
    expect(longest.length).toBeLessThanOrEqual(191)
  })
})

describe('getWorkerSpecs', () => {
  it('expands the configured workers by count, numbering ids per queue', () => {
    const jobs = manager([
      config({ queue: '*', count: 2 }),
      config({ queue: ['email'], count: 2, maxAttempts: 3 }),
      config({ queue: ['email'], count: 1, adapter: 'redis' }),
    ])
    expect(getWorkerSpecs(jobs, undefined).map((spec) => [spec.title, spec.config.adapter, spec.config.maxAttempts])).toEqual([
      ['jobs-kit-worker.all.0', 'prisma', 24],
      ['jobs-kit-worker.all.1', 'prisma', 24],
      ['jobs-kit-worker.email.0', 'prisma', 3],
      ['jobs-kit-worker.email.1', 'prisma', 3],
      // Same queue in another entry: the ids go on, so no two workers share a name.
      ['jobs-kit-worker.email.2', 'redis', 24],
    ])
  })

  it('replaces them with -n, taking settings from the configured worker of the same queue, else the first', () => {
    const jobs = manager([config({ queue: '*', sleepDelay: 1 }), config({ queue: ['email'], maxRuntime: 60 })])
    const specs = getWorkerSpecs(jobs, parseWorkerSet(':1,email:2,reports:1'))
    expect(specs.map((spec) => [spec.title, spec.config.queue, spec.config.sleepDelay, spec.config.maxRuntime])).toEqual([
      ['jobs-kit-worker.all.0', '*', 1, 14_400],
      ['jobs-kit-worker.email.0', ['email'], 5, 60],
      ['jobs-kit-worker.email.1', ['email'], 5, 60],
      ['jobs-kit-worker.reports.0', ['reports'], 1, 14_400],
    ])
  })

  it('puts settings flags over every worker of the set (work --sleepDelay 0.1 -n email:2)', () => {
    const jobs = manager([config({ queue: '*', sleepDelay: 5 }), config({ queue: ['email'], maxRuntime: 60 })])
    const { worker } = parseArgs(['work', '--sleepDelay', '0.1', '--concurrency', '3'], {})
    const specs = getWorkerSpecs(jobs, parseWorkerSet(':1,email:2'), worker)
    expect(specs.map((spec) => [spec.title, spec.config.sleepDelay, spec.config.concurrency, spec.config.maxRuntime])).toEqual([
      ['jobs-kit-worker.all.0', 0.1, 3, 14_400],
      ['jobs-kit-worker.email.0', 0.1, 3, 60],
      ['jobs-kit-worker.email.1', 0.1, 3, 60],
    ])
    // Without flags the configured settings stand.
    expect(getWorkerSpecs(jobs, undefined).map((spec) => spec.config.sleepDelay)).toEqual([5, 5])
  })

  it('never drops --queue, --id or --adapter silently: work, workoff and start either honour them or say to use -n', () => {
    // `workoff --queue email` worked off every queue: --queue is a flag of the
    // one-worker form only, and the set commands ignored it without a word.
    const jobs = manager([config({ queue: '*' })])
    for (const argv of [['work', '--queue', 'email'], ['workoff', '--queue', 'email'], ['start', '--queue', 'email'], ['workoff', '--id', '3'], ['workoff', '--adapter', 'redis']]) {
      const { workerSet, worker } = parseArgs(argv, {})
      let specs: ReturnType<typeof getWorkerSpecs>
      try {
        specs = getWorkerSpecs(jobs, workerSet, worker)
      } catch (error) {
        expect(error, argv.join(' ')).toBeInstanceOf(RunnerUsageError)
        continue
      }
      const expected = { queue: worker.queue ?? '*', id: worker.id ?? 0, adapter: worker.adapter ?? 'prisma' }
      expect(specs.map((spec) => ({ queue: spec.config.queue, id: spec.id, adapter: spec.config.adapter })), argv.join(' ')).toEqual([expected])
    }
  })

  it('rejects a -n queue that is not configured', () => {
    expect(() => getWorkerSpecs(manager([config({})]), parseWorkerSet('sms:1'))).toThrow(RunnerUsageError)
    expect(() => getWorkerSpecs(manager([config({})]), parseWorkerSet('sms:1'))).toThrow(
      '-n: queue "sms" is not configured. Use one of: default, email, reports',
    )
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
