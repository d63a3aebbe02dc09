import { describe, expect, it } from 'vitest'
import { InvalidConfigError } from '../errors.js'
import type { JobContext } from '../types.js'
import { currentJob } from './current-job.js'
import { JOB_DEFINITION } from './job-definition.js'
import { runJob } from './run-job.js'

const context = (name: string): JobContext => ({
  id: 7,
  name,
  attempt: 2,
  signal: new AbortController().signal,
  logger: console,
})

function makeJob(perform: (this: JobContext, ...args: any[]) => unknown) {
  return { queue: 'default', priority: 50, name: undefined, [JOB_DEFINITION]: { queue: 'default', perform } } as any
}

describe('runJob', () => {
  it('calls perform with the arguments and the context as `this`', async () => {
    const seen: unknown[] = []
    const job = makeJob(async function (this: JobContext, a: number, b: string) {
      seen.push(this, a, b)
    })
    const ctx = context('AddJob')
    await runJob(job, [1, 'two'], ctx)
    expect(seen).toEqual([ctx, 1, 'two'])
  })

  it('makes the context available through currentJob() across awaits, and only inside the job', async () => {
    const seen: Array<JobContext | undefined> = []
    const helper = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      seen.push(currentJob())
    }
    const job = makeJob(async () => {
      await helper()
    })
    const [first, second] = [context('A'), context('B')]
    await Promise.all([runJob(job, [], first), runJob(job, [], second)])
    expect(seen).toContain(first)
    expect(seen).toContain(second)
    expect(currentJob()).toBeUndefined()
  })

  it('passes on what perform throws, sync or async', async () => {
    const boom = new Error('boom')
    await expect(runJob(makeJob(() => { throw boom }), [], context('Sync'))).rejects.toBe(boom)
    await expect(runJob(makeJob(async () => { throw boom }), [], context('Async'))).rejects.toBe(boom)
  })

  it('refuses something that createJob did not make', async () => {
    await expect(runJob({ perform: () => {} } as any, [], context('X'))).rejects.toThrow(InvalidConfigError)
  })
})
