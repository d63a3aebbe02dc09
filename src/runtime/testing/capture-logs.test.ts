import { describe, expect, it } from 'vitest'
import type { Logger } from '../types.js'
import { captureLogs } from './capture-logs.js'

function plainLogger() {
  const printed: string[] = []
  const logger: Logger = {
    debug: (...args) => printed.push(`debug ${args.join(' ')}`),
    info: (...args) => printed.push(`info ${args.join(' ')}`),
    warn: (...args) => printed.push(`warn ${args.join(' ')}`),
    error: (...args) => printed.push(`error ${args.join(' ')}`),
  }
  return { logger, printed }
}

describe('captureLogs', () => {
  it('records every level with its arguments and the message as console would print it', () => {
    const { logger, printed } = plainLogger()
    const logs = captureLogs(logger)
    logger.info('sent to user %d', 42)
    logger.warn({ userId: 42 }, 'slow')
    logger.debug('detail')
    logger.error(new Error('boom').message)
    logs.restore()
    expect(logs.messages()).toEqual(['sent to user 42', '{ userId: 42 } slow', 'detail', 'boom'])
    expect(logs.messages('warn')).toEqual(['{ userId: 42 } slow'])
    expect(logs.entries[1]).toEqual({ level: 'warn', args: [{ userId: 42 }, 'slow'], message: '{ userId: 42 } slow' })
    expect(printed).toEqual([])
  })

  it('takes a JobManager-like object and captures its logger', () => {
    const { logger } = plainLogger()
    const logs = captureLogs({ logger })
    logger.info('via the manager')
    logs.restore()
    expect(logs.messages('info')).toEqual(['via the manager'])
  })

  it('prints as well with passThrough', () => {
    const { logger, printed } = plainLogger()
    const logs = captureLogs(logger, { passThrough: true })
    logger.info('both')
    logs.restore()
    expect(logs.messages()).toEqual(['both'])
    expect(printed).toEqual(['info both'])
  })

  it('restores the original methods, own or inherited, and stops recording', () => {
    const { logger, printed } = plainLogger()
    const ownInfo = logger.info
    class ClassLogger {
      lines: string[] = []
      debug() {}
      info(message: string) {
        this.lines.push(message)
      }
      warn() {}
      error() {}
    }
    const instance = new ClassLogger()
    const a = captureLogs(logger)
    const b = captureLogs(instance)
    a.restore()
    b.restore()
    b.restore() // twice is harmless
    expect(logger.info).toBe(ownInfo)
    expect(Object.hasOwn(instance, 'info')).toBe(false)
    logger.info('after')
    instance.info('after')
    expect(a.entries).toEqual([])
    expect(printed).toEqual(['info after'])
    expect(instance.lines).toEqual(['after'])
  })

  it('captures console and gives it back', () => {
    const original = console.info
    const logs = captureLogs(console)
    console.info('quiet %s', 'please')
    logs.restore()
    expect(console.info).toBe(original)
    expect(logs.messages('info')).toEqual(['quiet please'])
  })
})
