import { describe, expect, it } from 'vitest'
import { toStoredJobFromJson } from './job-row.js'
import type { JobTable } from './job-table.js'

// Far from UTC: text read as local time shows as a 14-hour error.
process.env.TZ = 'Pacific/Kiritimati'

const table = {
  fieldOfColumn: new Map(
    ['id', 'attempts', 'handler', 'queue', 'priority', 'runAt', 'lockedAt', 'lockedBy', 'lastError', 'failedAt', 'createdAt', 'updatedAt'].map((name) => [
      name === 'runAt' ? 'run_at' : name,
      name,
    ]),
  ),
} as unknown as JobTable

describe('toStoredJobFromJson (a PostgreSQL claim row as row_to_json text)', () => {
  const row = {
    id: 7, attempts: 1, handler: '{"name":"A"}', queue: 'default', priority: 50, lockedBy: 'h:w', lastError: null, failedAt: null,
    createdAt: '2026-12-03T10:00:00', updatedAt: '2026-12-03T10:00:01.5',
  }

  it('reads `timestamp` text, which has no offset, as UTC', () => {
    const job = toStoredJobFromJson(JSON.stringify({ ...row, run_at: '2026-12-03T13:50:56.123', lockedAt: '2026-12-03T13:50:57' }), table)
    expect(job.runAt?.toISOString()).toBe('2026-12-03T13:50:56.123Z')
    expect(job.lockedAt?.toISOString()).toBe('2026-12-03T13:50:57.000Z')
    expect(job.createdAt.toISOString()).toBe('2026-12-03T10:00:00.000Z')
    expect(job.updatedAt.toISOString()).toBe('2026-12-03T10:00:01.500Z')
    expect(job).toMatchObject({ id: 7, attempts: 1, handler: '{"name":"A"}', queue: 'default', priority: 50, lockedBy: 'h:w', lastError: null, failedAt: null })
  })

  it('reads `timestamptz` text as its wall time in UTC, the offset dropped, as Prisma\'s driver adapters read a @db.Timestamptz field', () => {
    const job = toStoredJobFromJson(JSON.stringify({ ...row, run_at: '2026-12-03T22:50:56.123+09:00', lockedAt: '2026-12-03T13:50:57+00:00', failedAt: '2026-12-03T08:20:00-05:30' }), table)
    expect(job.runAt?.toISOString()).toBe('2026-12-03T22:50:56.123Z')
    expect(job.lockedAt?.toISOString()).toBe('2026-12-03T13:50:57.000Z')
    expect(job.failedAt?.toISOString()).toBe('2026-12-03T08:20:00.000Z')
  })
})
