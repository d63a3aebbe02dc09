import { describe, expect, it } from 'vitest'
import type { Job } from '../types.js'
import { RedwoodJob } from '../manager/redwood-job.js'
import { defineScenarios, InvalidScenarioError } from './define-scenarios.js'

/** Just enough of a job for defineScenarios, which only reads its type and checks it has `perform`. */
function fakeJob<TArgs extends unknown[]>(): Job<'default', TArgs> {
  const job: Job<'default', TArgs> = {
    queue: 'default',
    priority: 50,
    name: 'FakeJob',
    perform: async () => {},
    performLater: async () => 1,
    set: () => ({ performLater: async () => 1 }),
  }
  return job
}

describe('defineScenarios', () => {
  it('returns each scenario as perform arguments', () => {
    const when = new Date('2026-01-02T03:04:05Z')
    const scenarios = defineScenarios(fakeJob<[number, { tags: string[]; at: Date } | null]>(), {
      standard: [42, { tags: ['a'], at: when }],
      empty: [7, null],
    })
    expect(Object.keys(scenarios)).toEqual(['standard', 'empty'])
    expect(scenarios.standard).toEqual([42, { tags: ['a'], at: when }])
    expect(scenarios.empty).toEqual([7, null])
  })

  it('gives a fresh copy on every read, so one test cannot change data another test uses', () => {
    const source: [{ tags: string[] }] = [{ tags: ['a'] }]
    const scenarios = defineScenarios(fakeJob<[{ tags: string[] }]>(), { standard: source })
    scenarios.standard[0].tags.push('changed by a test')
    source[0].tags.push('changed after definition')
    expect(scenarios.standard).toEqual([{ tags: ['a'] }])
    expect(scenarios.standard).not.toBe(scenarios.standard)
    expect(Object.isFrozen(scenarios)).toBe(true)
  })

  it.each([
    ['a function', [() => 1], 'Scenario "standard": args[0] is a function'],
    ['a BigInt', [{ id: 1n }], 'Scenario "standard": args[0].id is a BigInt'],
    ['a symbol', [Symbol('x')], 'Scenario "standard": args[0] is a symbol'],
    ['undefined in an array', [[1, undefined]], 'Scenario "standard": args[0][1] is undefined'],
    ['NaN', [[1, Number.NaN]], 'Scenario "standard": args[0][1] is NaN (JSON stores it as null)'],
    ['a Map', [new Map()], 'Scenario "standard": args[0] is a Map'],
    ['a circular reference', [(() => { const cycle: Record<string, unknown> = {}; cycle.self = cycle; return cycle })()], 'Scenario "standard": args[0].self is a circular reference'],
  ])('refuses %s, saying where it is, as later() would', (_case, args, message) => {
    expect(() => defineScenarios(fakeJob<unknown[]>(), { standard: args })).toThrow(message)
    expect(() => defineScenarios(fakeJob<unknown[]>(), { standard: args })).toThrow(InvalidScenarioError)
  })

  it('accepts what later() accepts: the same object twice, an undefined property (JSON drops it)', () => {
    const shared = { id: 1 }
    expect(defineScenarios(fakeJob<unknown[]>(), { twice: [shared, shared] }).twice).toEqual([{ id: 1 }, { id: 1 }])
    expect(defineScenarios(fakeJob<unknown[]>(), { sparse: [{ a: 1, b: undefined }] }).sparse).toEqual([{ a: 1 }])
  })

  it('refuses a scenario that is not an array of arguments, with an example', () => {
    const error = (() => {
      try {
        defineScenarios(fakeJob<[number]>(), { standard: 42 as unknown as [number] })
      } catch (caught) {
        return caught as InvalidScenarioError
      }
    })()
    expect(error?.code).toBe('INVALID_SCENARIO')
    expect(error?.message).toBe("Scenario \"standard\" must be an array of perform's arguments, e.g. standard: [42], not number.")
  })

  it('refuses something that is not a job', () => {
    expect(() => defineScenarios({} as Job<'default', []>, { standard: [] })).toThrow(
      'the first argument must be a job made by jobs.createJob(...)',
    )
  })

  it('takes a class-style job too, checking each scenario like later() would', () => {
    class ReportJob extends RedwoodJob {
      perform(year: number) {
        return year
      }
    }
    const scenarios = defineScenarios(ReportJob, { standard: [2030] })
    expect(scenarios.standard).toEqual([2030])
    expect(() => defineScenarios(ReportJob, { bad: [Number.NaN] })).toThrow(InvalidScenarioError)
    expect(() => defineScenarios(class NotAJob {} as never, { standard: [] })).toThrow('or a class that extends RedwoodJob')
  })
})
