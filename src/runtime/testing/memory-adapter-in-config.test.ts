/**
 * The jobs config may import MemoryAdapter for its test runs (`NODE_ENV ===
 * 'test' ? new MemoryAdapter() : new PrismaAdapter({ db })`), so the import
 * the docs give must not start the recorder of `expectScheduled`: in
 * production that would keep every job ever scheduled in memory. This file
 * imports nothing else from `testing/` (each test file has its own modules).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js'
import { PrismaAdapter, RedwoodJob } from '../index.js'
// The import docs/jobs-api.md gives for a jobs config.
import { MemoryAdapter } from './memory-adapter.js'

describe('MemoryAdapter imported by a production jobs config', () => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
  })
  afterAll(async () => {
    RedwoodJob.config({})
    await database?.drop()
  })

  it('records nothing of what the app schedules', async () => {
    const adapter = process.env.NODE_ENV === 'production' ? new MemoryAdapter() : new PrismaAdapter({ db: database.db })
    RedwoodJob.config({ adapter })
    class InvoiceJob extends RedwoodJob {
      perform(id: number) {
        void id
      }
    }
    for (let id = 0; id < 3; id++) await InvoiceJob.performLater(id)
    // Loaded only now: had the config's import loaded it, it would hold the three jobs.
    const { scheduledJobs } = await import('./scheduled.js')
    expect(scheduledJobs()).toEqual([])
  })
})
