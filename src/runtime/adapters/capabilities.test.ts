import { describe, expect, it } from 'vitest'
import { JobManager } from '../manager/job-manager.js'
import { MemoryAdapter } from '../testing/memory-adapter.js'
import type { AdapterCapabilities, JobsAdapter } from '../types.js'
import { capabilitiesOf, FULL_CAPABILITIES } from './capabilities.js'

/** A MemoryAdapter that says it cannot join a transaction, as a Redis or broker adapter does. */
class OutsideTransactionsAdapter extends MemoryAdapter {
  override readonly capabilities: AdapterCapabilities = { ...FULL_CAPABILITIES, transactionalEnqueue: false }
}

function appWith(adapter: JobsAdapter) {
  const registry: Record<string, unknown> = {}
  const quiet = { debug() {}, info() {}, warn() {}, error() {} }
  const jobs = new JobManager({ adapters: { main: adapter }, queues: ['default'] as const, logger: quiet, workers: [], jobs: () => registry })
  registry.NoopJob = jobs.createJob({ queue: 'default', perform: async () => {} })
  return { later: jobs.createScheduler({ adapter: 'main' }), NoopJob: registry.NoopJob as ReturnType<typeof jobs.createJob<[]>> }
}

describe('adapter capabilities', () => {
  it('refuses later(…, { db: tx }) on an adapter that cannot store a job in a transaction, and says what to do', async () => {
    const adapter = new OutsideTransactionsAdapter()
    const { later, NoopJob } = appWith(adapter)
    await expect(later(NoopJob, [], { db: {} })).rejects.toThrow(
      'Cannot schedule NoopJob: its adapter (OutsideTransactionsAdapter) cannot store a job inside your database transaction, so `db` cannot be honoured. ' +
        'Call later() after the transaction commits (without db)',
    )
    expect(adapter.rows()).toEqual([])
    await later(NoopJob, [])
    expect(adapter.rows()).toHaveLength(1)
  })

  it('passes db on to an adapter that declares no capabilities, as before they existed', async () => {
    const inner = new MemoryAdapter()
    const seen: unknown[] = []
    const undeclared: JobsAdapter = { ...bind(inner), capabilities: undefined, schedule: (input) => (seen.push(input.db), inner.schedule(input)) }
    expect(capabilitiesOf(undeclared)).toEqual(FULL_CAPABILITIES)
    const tx = { transaction: true }
    const { later, NoopJob } = appWith(undeclared)
    await later(NoopJob, [], { db: tx })
    expect(seen.at(-1)).toBe(tx)
  })
})

function bind(adapter: MemoryAdapter): JobsAdapter {
  return {
    schedule: (input) => adapter.schedule(input),
    find: (input) => adapter.find(input),
    success: (input) => adapter.success(input),
    error: (input) => adapter.error(input),
    failure: (input) => adapter.failure(input),
    clear: (input) => adapter.clear(input),
  }
}
