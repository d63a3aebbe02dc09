import { describe, expect, it } from 'vitest'
import { InvalidScheduleOptionsError, UnknownQueueError } from '../errors.js'
import type { JobDefinition, ScheduleOptions } from '../types.js'
import { resolveScheduleOptions } from './schedule-options.js'

const definition: JobDefinition<string, unknown[]> = { queue: 'email', priority: 20, perform: () => {} }
const queues = ['default', 'email']
const now = new Date('2030-01-01T00:00:00.000Z')
const resolve = (options?: ScheduleOptions, def = definition) => resolveScheduleOptions('SendJob', def, options, queues, now)

describe('resolveScheduleOptions', () => {
  it('runs now on the job\'s queue and priority by default', () => {
    expect(resolve()).toEqual({ queue: 'email', priority: 20, runAt: now, db: undefined })
    expect(resolve(undefined, { queue: 'default', perform: () => {} }).priority).toBe(50)
  })

  it('adds wait seconds to now, or takes waitUntil as is (a copy, which the app changing its Date does not move)', () => {
    expect(resolve({ wait: 2.5 }).runAt.toISOString()).toBe('2030-01-01T00:00:02.500Z')
    expect(resolve({ wait: 0 }).runAt).toEqual(now)
    const at = new Date('2031-05-06T07:08:09.010Z')
    expect(resolve({ waitUntil: at }).runAt).toEqual(at)
    expect(resolve({ waitUntil: at }).runAt).not.toBe(at)
  })

  it('takes queue, priority and db overrides', () => {
    const tx = {}
    expect(resolve({ queue: 'default', priority: 1, db: tx })).toEqual({ queue: 'default', priority: 1, runAt: now, db: tx })
  })

  it.each([
    ['wait with waitUntil', { wait: 1, waitUntil: now }, 'either wait (seconds from now) or waitUntil'],
    ['a negative wait', { wait: -1 }, 'wait must be a number of seconds, 0 or more (got -1)'],
    ['a NaN wait', { wait: Number.NaN }, 'got NaN'],
    ['an infinite wait', { wait: Infinity }, 'got Infinity'],
    ['a string wait', { wait: '5' as unknown as number }, 'got 5'],
    ['an invalid Date', { waitUntil: new Date('nope') }, 'waitUntil must be a valid Date (got an invalid Date)'],
    ['a date string', { waitUntil: '2030-01-01' as unknown as Date }, 'pass new Date("2030-01-01")'],
    ['a fractional priority', { priority: 1.5 }, 'priority must be a whole number (got 1.5)'],
    ['an unknown option', { delay: 5 } as ScheduleOptions, 'unknown option "delay"'],
  ])('rejects %s with a message naming the job', (_label, options, message) => {
    expect(() => resolve(options)).toThrow(InvalidScheduleOptionsError)
    expect(() => resolve(options)).toThrow(`Cannot schedule SendJob: `)
    expect(() => resolve(options)).toThrow(message)
  })

  it('rejects a queue that is not configured', () => {
    expect(() => resolve({ queue: 'nope' })).toThrow(UnknownQueueError)
    expect(() => resolve({ queue: 'nope' })).toThrow('Scheduling SendJob: queue "nope" is not configured. Use one of "default", "email"')
  })
})
