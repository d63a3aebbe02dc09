import { describe, expect, it } from 'vitest'
import { describeError, toError } from './to-error.js'

describe('toError', () => {
  it('keeps errors as they are', () => {
    const error = new TypeError('bad')
    expect(toError(error)).toBe(error)
  })

  it.each([
    ['oops', 'a non-error was thrown: oops'],
    [{ code: 1 }, 'a non-error was thrown: {"code":1}'],
    [undefined, 'a non-error was thrown: undefined'],
  ])('wraps a thrown %j in an Error', (thrown, message) => {
    const error = toError(thrown)
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toBe(message)
    expect(error.cause).toBe(thrown)
  })

  it('wraps values JSON cannot print', () => {
    expect(toError(42n).message).toBe('a non-error was thrown: 42')
    expect(toError(Symbol('x')).message).toBe('a non-error was thrown: Symbol(x)')
  })

  it('survives a cyclic object', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(toError(cyclic).message).toBe('a non-error was thrown: [object Object]')
  })

  it('survives a value neither JSON nor String() can print', () => {
    const bare = Object.create(null) as Record<string, unknown>
    bare.self = bare
    expect(toError(bare).message).toBe('a non-error was thrown: an unprintable object')
  })
})

describe('describeError', () => {
  it('gives the stack, which starts with the message', () => {
    expect(describeError(new Error('boom'))).toMatch(/^Error: boom\n\s+at /)
  })
})
