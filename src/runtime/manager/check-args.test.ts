import { describe, expect, it } from 'vitest'
import { UnserializableArgumentError } from '../errors.js'
import { checkArgs } from './check-args.js'

class Point {
  constructor(readonly x: number) {}
}

describe('checkArgs', () => {
  it('accepts plain JSON data, Dates and objects with undefined properties', () => {
    expect(() =>
      checkArgs('SendJob', [
        1,
        'two',
        true,
        null,
        [1, [2, { three: 3 }]],
        { nested: { list: ['a'], when: new Date() }, skipped: undefined },
        Object.assign(Object.create(null), { bare: 1 }),
      ]),
    ).not.toThrow()
  })

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { id: 1 }
    expect(() => checkArgs('SendJob', [shared, { again: shared }])).not.toThrow()
  })

  const cyclic: Record<string, unknown> = { name: 'loop' }
  cyclic.self = cyclic
  const sparse = [1, , 3] // eslint-disable-line no-sparse-arrays

  it.each([
    ['a function', [() => 1], 'args[0]', 'a function'],
    ['a symbol', [{ tag: Symbol('x') }], 'args[0].tag', 'a symbol'],
    ['a BigInt', [{ amount: 10n }], 'args[0].amount', 'a BigInt'],
    ['NaN', [{ n: Number.NaN }], 'args[0].n', 'NaN'],
    ['Infinity', [[1, Infinity]], 'args[0][1]', 'Infinity'],
    ['a cycle', [cyclic], 'args[0].self', 'a circular reference'],
    ['undefined in an array', [{ tags: ['a', undefined] }], 'args[0].tags[1]', 'undefined'],
    ['undefined as an argument', [1, undefined], 'args[1]', 'undefined'],
    ['a sparse array', [sparse], 'args[0][1]', 'sparse array'],
    ['a Map', [{ tags: new Map() }], 'args[0].tags', 'a Map'],
    ['a Set', [new Set([1])], 'args[0]', 'a Set'],
    ['a class instance', [{ at: new Point(1) }], 'args[0].at', 'an instance of Point'],
    ['a Buffer', [Buffer.from('x')], 'args[0]', 'an instance of Buffer'],
    ['an invalid Date', [new Date('nope')], 'args[0]', 'an invalid Date'],
    ['symbol keys', [{ [Symbol('k')]: 1 }], 'args[0]', 'symbol keys'],
    ['an odd key', [{ 'user-id': () => 1 }], 'args[0]["user-id"]', 'a function'],
    ['a hole in the arguments themselves', sparse, 'args[1]', 'sparse array'],
    ['an array with an extra property', [Object.assign(['a'], { note: 'dropped' })], 'args[0]', 'property "note" besides its items'],
    ['-0', [{ balance: -0 }], 'args[0].balance', '-0 (JSON stores it as 0)'],
    [
      'a getter that throws',
      [{ get secret(): string { throw new Error('not loaded') } }],
      'args[0].secret',
      'a getter that throws (not loaded)',
    ],
    [
      'an array item getter that throws',
      [Object.defineProperty([1], 0, { get: () => { throw new Error('boom') }, enumerable: true })],
      'args[0][0]',
      'a getter that throws (boom)',
    ],
  ])('rejects %s, naming the job and the path', (_label, args, path, reason) => {
    let thrown: unknown
    try {
      checkArgs('SendJob', args as unknown[])
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(UnserializableArgumentError)
    const error = thrown as UnserializableArgumentError
    expect(error.path).toBe(path)
    expect(error.jobName).toBe('SendJob')
    expect(error.message).toContain(`Cannot schedule SendJob: ${path} is `)
    expect(error.message).toContain(reason)
    expect(error.message).toContain('Pass plain data instead')
  })
})
