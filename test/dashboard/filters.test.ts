/**
 * The jobs list's filters and the bulk actions against real databases, with
 * the characters LIKE treats as wildcards (`%`, `_`) and its escape (`\`):
 * a filter shows and changes exactly the jobs it names, never more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { insertJob, readJobs } from '../support/jobs-table.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { changeFailedJobs } from '../../src/runtime/dashboard/queries/change-jobs.js'
import { resolveJobSource, type JobSource } from '../../src/runtime/dashboard/queries/job-source.js'
import { listJobs } from '../../src/runtime/dashboard/queries/list-jobs.js'
import type { JobFilter } from '../../src/runtime/dashboard/queries/job-filter.js'

const handler = (name: string, args: unknown[]) => JSON.stringify({ name, path: `${name}/${name}`, args })

describe.each(['sqlite', 'postgresql', 'mysql'] as const)('dashboard filters on %s', (provider) => {
  let database: TestDatabase
  let source: JobSource
  const ids: Record<string, number> = {}
  const clock = () => ({ now: new Date(), staleBefore: new Date(Date.now() - 60_000) })
  const list = async (filter: JobFilter, pageSize = 50) => {
    const ids: number[] = []
    let after
    for (;;) {
      const page = await listJobs(source.delegate, { filter, order: 'oldest', after, pageSize, clock: clock(), provider: source.provider })
      ids.push(...page.jobs.map((job) => job.id))
      if (!page.next) return ids
      after = page.next
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    source = resolveJobSource({ adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) } })
    const failed = { failedAt: new Date(), attempts: 24 }
    ids.underscore = await insertJob(database, { handler: handler('Send_Job', ['a_c']), ...failed })
    ids.plain = await insertJob(database, { handler: handler('SendXJob', ['abc']), ...failed })
    ids.percent = await insertJob(database, { handler: handler('ReportJob', ['100% done']), ...failed, lastError: 'Error: C:\\temp\\x' })
    for (let i = 0; i < 12; i++) ids[`filler${i}`] = await insertJob(database, { handler: handler('FillerJob', [`abc ${i}`]), ...failed })
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('matches % and _ and \\ in the text and the name literally, on every page size', async () => {
    for (const pageSize of [1, 2, 50]) {
      expect(await list({ text: 'a_c' }, pageSize)).toEqual([ids.underscore])
      expect(await list({ text: '0%' }, pageSize)).toEqual([ids.percent])
      expect(await list({ text: '%' }, pageSize)).toEqual([ids.percent])
      expect(await list({ text: 'C:\\TEMP' }, pageSize)).toEqual([ids.percent])
      expect(await list({ name: 'Send_Job' }, pageSize)).toEqual([ids.underscore])
    }
    expect((await list({ text: 'ABC' })).length).toBe(13)
  })

  it('bulk-deletes exactly the failed jobs the filter names', async () => {
    const count = await changeFailedJobs(source.delegate, { action: 'delete', filter: { text: 'a_c' }, clock: clock(), provider: source.provider })
    expect(count).toBe(1)
    const left = (await readJobs(database)).map((row) => row.id)
    expect(left).not.toContain(ids.underscore)
    expect(left).toContain(ids.plain)
    expect(left).toHaveLength(14)
    expect(await changeFailedJobs(source.delegate, { action: 'delete', filter: { text: 'a_c' }, clock: clock(), provider: source.provider })).toBe(0)
  })
})
