/**
 * MemoryAdapter keeps what it was given, not the caller's objects: a Date the
 * app changes after scheduling does not move the stored job (PrismaAdapter
 * writes the row at once, so it never could).
 */
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { describe, expect, it } from 'vitest'
import { RedwoodJob } from '../manager/redwood-job.js'
import type { Logger } from '../types.js'
import { MemoryAdapter } from './memory-adapter.js'
import { clearScheduled, expectScheduled } from './scheduled.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

describe('MemoryAdapter', () => {
  it('stores a copy of runAt: changing the Date passed as waitUntil afterwards does not make the job due', async () => {
    clearScheduled()
    const adapter = new MemoryAdapter()
    const ran: string[] = []
    class ReminderJob extends RedwoodJob {
      static adapter = adapter
      perform() {
        ran.push('reminder')
      }
    }
    const tomorrow = new Date(Date.now() + 86_400_000)
    const scheduledFor = tomorrow.getTime()
    await ReminderJob.set({ waitUntil: tomorrow }).performLater()
    tomorrow.setTime(0) // the app reuses its Date object
    expect(adapter.rows()[0]!.runAt!.getTime()).toBe(scheduledFor)
    expectScheduled(ReminderJob, [], { waitUntil: new Date(scheduledFor) })

    await workoffWorker({
      adapter,
      loadJob: async (name) => (name === 'ReminderJob' ? (ReminderJob as never) : undefined),
      logger: quiet,
    }).run()
    expect(ran).toEqual([])
  })
})
