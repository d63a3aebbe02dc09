import { describe, expect, it } from 'vitest'
import { RunnerUsageError } from './errors.js'
import { parseWorkerSet } from './parse-worker-set.js'

describe('parseWorkerSet (-n)', () => {
  it.each([
    ['4', [{ queue: '*', count: 4 }]],
    ['1', [{ queue: '*', count: 1 }]],
    ['email:2', [{ queue: 'email', count: 2 }]],
    ['default:2,email:4', [{ queue: 'default', count: 2 }, { queue: 'email', count: 4 }]],
    [':2,email:4', [{ queue: '*', count: 2 }, { queue: 'email', count: 4 }]],
    [':3', [{ queue: '*', count: 3 }]],
    [' default:1 , email:2 ', [{ queue: 'default', count: 1 }, { queue: 'email', count: 2 }]],
    ['my-queue_1:10', [{ queue: 'my-queue_1', count: 10 }]],
  ])('reads %j', (value, expected) => {
    expect(parseWorkerSet(value)).toEqual(expected)
  })

  it.each([
    ['', 'it is empty'],
    ['0', '"0" asks for 0 workers; use at least 1'],
    ['-1', '"-1" is not <queue>:<count>'],
    ['email', '"email" is not <queue>:<count>'],
    ['email:', '"email:" has a count that is not a whole number'],
    ['email:two', '"email:two" has a count that is not a whole number'],
    ['email:1.5', '"email:1.5" has a count that is not a whole number'],
    ['email:0', '"email:0" asks for 0 workers'],
    ['default:2,,email:4', 'it has an empty part between commas'],
    ['default:2,', 'it has an empty part between commas'],
    ['email:2,email:3', 'queue "email" appears more than once'],
    [':2,:3', 'queue "" appears more than once'],
    ['a:b:3', '"a:b:3" has a count that is not a whole number'],
    ['my queue:2', '"my queue:2" is not <queue>:<count>'],
  ])('rejects %j, naming the bad part and the valid forms', (value, reason) => {
    let thrown: unknown
    try {
      parseWorkerSet(value)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(RunnerUsageError)
    const message = (thrown as Error).message
    expect(message).toContain(`Invalid -n "${value}"`)
    expect(message).toContain(reason)
    expect(message).toContain('Valid forms: -n 4 (4 workers on every queue), -n email:2, -n default:2,email:4, -n :2,email:4')
  })
})
