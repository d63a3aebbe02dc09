import { describe, expect, it } from 'vitest'
import { InvalidConfigError, UnknownAdapterError, UnknownQueueError } from '../errors.js'
import type { WorkerConfig } from '../types.js'
import { resolveWorkers } from './resolve-workers.js'

const resolve = (workers: WorkerConfig[]) => resolveWorkers(workers, ['prisma'], ['default', 'email'])

describe('resolveWorkers', () => {
  it('fills in every default', () => {
    expect(resolve([{ adapter: 'prisma', queue: '*' }])).toEqual([
      {
        adapter: 'prisma',
        queue: '*',
        count: 1,
        maxAttempts: 24,
        maxRuntime: 14_400,
        sleepDelay: 5,
        deleteFailedJobs: false,
        deleteSuccessfulJobs: true,
        concurrency: 1,
      },
    ])
  })

  it('keeps what is configured and turns one queue into a list', () => {
    const [worker] = resolve([
      { adapter: 'prisma', queue: 'email', count: 3, maxAttempts: 2, maxRuntime: 30, sleepDelay: 0, deleteFailedJobs: true, deleteSuccessfulJobs: false, concurrency: 4 },
    ])
    expect(worker).toEqual({
      adapter: 'prisma',
      queue: ['email'],
      count: 3,
      maxAttempts: 2,
      maxRuntime: 30,
      sleepDelay: 0,
      deleteFailedJobs: true,
      deleteSuccessfulJobs: false,
      concurrency: 4,
    })
    expect(resolve([{ adapter: 'prisma', queue: ['email', 'default', 'email'] }])[0].queue).toEqual(['email', 'default'])
    expect(resolve([{ adapter: 'prisma', queue: ['email', '*'] as string[] }])[0].queue).toBe('*')
  })

  it('rejects unknown adapters and queues', () => {
    expect(() => resolve([{ adapter: 'redis', queue: '*' }])).toThrow(UnknownAdapterError)
    expect(() => resolve([{ adapter: 'redis', queue: '*' }])).toThrow('workers[0]: adapter "redis" is not configured')
    expect(() => resolve([{ adapter: 'prisma', queue: ['email', 'nope'] }])).toThrow(UnknownQueueError)
    expect(() => resolve([{ adapter: 'prisma', queue: [] }])).toThrow('workers[0].queue is an empty list')
  })

  it.each([
    [{ count: -1 }, 'workers[0].count must be a whole number, 0 or more (got -1)'],
    [{ maxAttempts: 0 }, 'workers[0].maxAttempts must be a whole number, 1 or more (got 0)'],
    [{ concurrency: 1.5 }, 'workers[0].concurrency must be a whole number'],
    [{ maxRuntime: 0 }, 'workers[0].maxRuntime must be a number of seconds above 0, at most 2147483 (about 24.8 days, the longest timer Node can set) (got 0)'],
    [{ sleepDelay: -1 }, 'workers[0].sleepDelay must be a number of seconds, 0 or more'],
    [{ maxRuntime: 30 * 86_400 }, 'workers[0].maxRuntime must be a number of seconds above 0, at most 2147483 (about 24.8 days'],
    [{ sleepDelay: 2_147_484 }, 'workers[0].sleepDelay must be a number of seconds, 0 or more, at most 2147483'],
    [{ deleteFailedJobs: 'yes' as unknown as boolean }, 'workers[0].deleteFailedJobs must be true or false'],
  ])('rejects %o', (override, message) => {
    expect(() => resolve([{ adapter: 'prisma', queue: '*', ...override }])).toThrow(InvalidConfigError)
    expect(() => resolve([{ adapter: 'prisma', queue: '*', ...override }])).toThrow(message)
  })
})
