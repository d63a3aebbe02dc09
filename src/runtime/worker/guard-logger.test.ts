import { describe, expect, it } from 'vitest'
import { guardLogger } from './guard-logger.js'

function recordingLogger() {
  const calls: [string, unknown[]][] = []
  const logger = {
    debug: (...args: unknown[]) => calls.push(['debug', args]),
    info: (...args: unknown[]) => calls.push(['info', args]),
    warn: (...args: unknown[]) => calls.push(['warn', args]),
    error: (...args: unknown[]) => calls.push(['error', args]),
  }
  return { logger, calls }
}

describe('guardLogger', () => {
  it('passes messages through, one string per call', () => {
    const { logger, calls } = recordingLogger()
    const guarded = guardLogger(logger)
    guarded.debug('a')
    guarded.error('b')
    expect(calls).toEqual([['debug', ['a']], ['error', ['b']]])
  })

  it('drops messages below the level', () => {
    const { logger, calls } = recordingLogger()
    const guarded = guardLogger(logger, 'warn')
    guarded.debug('no')
    guarded.info('no')
    guarded.warn('yes')
    guarded.error('yes')
    expect(calls.map(([level]) => level)).toEqual(['warn', 'error'])
  })

  it('never throws when the logger does', () => {
    const throwing = {
      debug: () => {
        throw new Error('closed stream')
      },
      info: () => {
        throw new Error('closed stream')
      },
      warn: () => {
        throw new Error('closed stream')
      },
      error: () => {
        throw new Error('closed stream')
      },
    }
    expect(() => guardLogger(throwing).error('x')).not.toThrow()
  })
})
