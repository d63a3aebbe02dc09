import { describe, expect, it } from 'vitest'
import { InvalidHandlerError } from '../errors.js'
import { parseHandler } from './parse-handler.js'

describe('parseHandler', () => {
  it('reads name, path and args', () => {
    expect(parseHandler({ id: 1, handler: '{"name":"AJob","path":"AJob/AJob","args":[1,"x"]}' })).toEqual({
      name: 'AJob',
      path: 'AJob/AJob',
      args: [1, 'x'],
    })
  })

  it('defaults missing args to none', () => {
    expect(parseHandler({ id: 1, handler: '{"name":"AJob"}' }).args).toEqual([])
  })

  it.each([
    ['not json', 'Job 7 has an unreadable handler (not JSON:'],
    ['[1]', 'Job 7 has an unreadable handler (not a JSON object)'],
    ['{"args":[]}', '"name" is missing or not a string'],
    ['{"name":"A","args":{}}', '"args" is not an array'],
  ])('rejects %j with an InvalidHandlerError', (handler, message) => {
    expect(() => parseHandler({ id: 7, handler })).toThrow(InvalidHandlerError)
    expect(() => parseHandler({ id: 7, handler })).toThrow(message)
  })
})
