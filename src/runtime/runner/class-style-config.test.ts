import { describe, expect, it } from 'vitest'
import { RedwoodJob } from '../manager/redwood-job.js'
import { MemoryAdapter } from '../testing/memory-adapter.js'
import { classStyleManager } from './class-style-config.js'
import { RunnerConfigError } from './errors.js'

/** Two job classes of one name, as two files each declaring `class SendJob` would give. */
function twoSendJobs() {
  const first = (() => {
    class SendJob extends RedwoodJob {
      perform() {}
    }
    return SendJob
  })()
  const second = (() => {
    class SendJob extends RedwoodJob {
      static queue = 'email'
      perform() {}
    }
    return SendJob
  })()
  return { first, second }
}

describe('classStyleManager (the seed-style config, no JobManager)', () => {
  it('finds a class once however often the config lists it', async () => {
    const { first } = twoSendJobs()
    const manager = classStyleManager({ adapter: new MemoryAdapter(), SendJob: first, jobs: { sendJob: new first() } })
    expect(await manager!.loadJob('SendJob')).toBe(first)
  })

  it('refuses two different classes stored under one name, instead of running one for the other', () => {
    const { first, second } = twoSendJobs()
    expect(() => classStyleManager({ adapter: new MemoryAdapter(), jobs: { a: new first(), b: new second() } })).toThrow(RunnerConfigError)
    expect(() => classStyleManager({ adapter: new MemoryAdapter(), jobs: { a: new first(), b: new second() } })).toThrow(
      /two job classes are named "SendJob".*static jobName/,
    )
  })
})
