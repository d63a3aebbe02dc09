/**
 * The Workers page and the overview's workers and last-hour counts, read from
 * the worker registry on real SQLite, PostgreSQL and MariaDB: idle workers and
 * dead ones are listed (not only those holding a lock), and the jobs done in
 * the last hour are counted although succeeded jobs were deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { insertJob } from '../support/jobs-table.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { WorkerRegistry, minuteOf, type WorkerRow } from '../../src/runtime/registry/worker-registry.js'
import { serveDashboard, type ServedDashboard } from './serve-dashboard.js'

const handler = (name: string, args: unknown[]) => JSON.stringify({ name, path: `${name}/${name}`, args })

/** The text of a worker's table row on a page, tags stripped. */
function workerRow(page: string, lockedBy: string): string | undefined {
  const row = new RegExp(`<tr data-worker="${lockedBy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</tr>`).exec(page)
  return row?.[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
}

describe.each(['sqlite', 'postgresql', 'mysql'] as const)('workers in the dashboard on %s', (provider) => {
  let database: TestDatabase
  let served: ServedDashboard
  let runningId: number
  const get = async (path: string) => (await fetch(`${served.origin}${path}`)).text()

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    const registry = new WorkerRegistry(database.db)
    const now = Date.now()
    const row = (name: string, heartbeatAgoMs: number, extra: Partial<WorkerRow> = {}): WorkerRow => ({
      name, host: name.split(':')[0]!, pid: 100, queues: '*', concurrency: 2, startedAt: new Date(now - 600_000), heartbeatAt: new Date(now - heartbeatAgoMs), jobIds: [], done: 0, failed: 0, ...extra,
    })
    runningId = await insertJob(database, { handler: handler('ReportJob', [1]), lockedAt: new Date(now - 1_000), lockedBy: 'web-1:jobs-kit-worker.all.0', runAt: new Date(now - 5_000) })
    await registry.register(row('web-1:jobs-kit-worker.all.0', 5_000, { jobIds: [runningId], done: 7, failed: 1 }))
    await registry.register(row('web-2:jobs-kit-worker.email.0', 3_000, { queues: 'email' }))
    await registry.register(row('web-3:jobs-kit-worker.all.1', 300_000))
    // A worker of an older runtime: not registered, seen by its lock.
    await insertJob(database, { handler: handler('ReportJob', [2]), lockedAt: new Date(now - 2_000), lockedBy: 'old-host:jobs-kit-worker.all.0', runAt: new Date(now - 5_000) })
    // Done and given up in the last hour, whose rows were deleted (deleteSuccessfulJobs, deleteFailedJobs), and older ones.
    await registry.addCounts('web-1:jobs-kit-worker.all.0', [
      { minute: minuteOf(new Date(now - 120_000)), queue: 'default', done: 5, failed: 0 },
      { minute: minuteOf(new Date(now - 60_000)), queue: 'email', done: 2, failed: 3 },
      { minute: minuteOf(new Date(now - 2 * 3_600_000)), queue: 'default', done: 100, failed: 100 },
    ])
    await registry.addCounts('web-3:jobs-kit-worker.all.1', [{ minute: minuteOf(new Date(now - 600_000)), queue: 'default', done: 1, failed: 0 }])
    served = await serveDashboard({ jobs: { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) }, queues: ['default', 'email'] }, env: {} })
  })
  afterAll(async () => {
    await served?.close()
    await database?.drop()
  })

  it('the Workers page lists every registered worker, idle and dead ones too, with its current jobs', async () => {
    const page = await get('/workers')
    expect(workerRow(page, 'web-1:jobs-kit-worker.all.0')).toMatch(new RegExp(`web-1 jobs-kit-worker\\.all\\.0 pid 100 alive \\* #${runningId} .* 7 / 1`))
    expect(workerRow(page, 'web-2:jobs-kit-worker.email.0')).toMatch(/web-2 jobs-kit-worker\.email\.0 pid 100 alive email idle/)
    expect(workerRow(page, 'web-3:jobs-kit-worker.all.1')).toMatch(/web-3 jobs-kit-worker\.all\.1 pid 100 dead \* idle 5 min ago/)
    expect(workerRow(page, 'old-host:jobs-kit-worker.all.0')).toMatch(/old-host jobs-kit-worker\.all\.0 alive — #\d+/)
    expect(page).toContain(`href="/jobs/${runningId}">#${runningId} ReportJob</a>`)
    expect(page).not.toContain('workers-note')
  })

  it('the overview shows the workers seen and done / failed in the last hour from the registry\'s counts', async () => {
    const page = await get('/')
    for (const name of ['web-1', 'web-2', 'web-3', 'old-host']) expect(page).toContain(`<td>${name}</td>`)
    const queueRow = (queue: string) => new RegExp(`<tr><th scope="row"><a[^>]*>${queue}</a></th>[\\s\\S]*?</tr>`).exec(page)![0]
    const lastHour = (queue: string) => [...queueRow(queue).matchAll(/<td class="num">(\d+)<\/td>/g)].map((match) => Number(match[1]))
    expect(lastHour('default')).toEqual([6, 0])
    expect(lastHour('email')).toEqual([2, 3])
  })

  it('an app without the registry lists the workers holding a job, and says why idle ones are missing and what to run', async () => {
    const old = await createTestDatabase(provider, { variant: 'mapped' })
    const oldServed = await serveDashboard({ jobs: { adapters: { prisma: new PrismaAdapter({ db: old.db, model: old.model }) }, queues: ['default'] }, env: {} })
    try {
      await insertJob(old, { handler: handler('ReportJob', [3]), lockedAt: new Date(), lockedBy: 'web-9:jobs-kit-worker.all.0', runAt: new Date() })
      const page = await (await fetch(`${oldServed.origin}/workers`)).text()
      expect(workerRow(page, 'web-9:jobs-kit-worker.all.0')).toMatch(/web-9 jobs-kit-worker\.all\.0 alive/)
      expect(page).toMatch(/Idle workers are not listed: this app\S*s database has no worker registry[\s\S]*npx jobs-kit setup --migration/)
      expect((await fetch(`${oldServed.origin}/`)).status).toBe(200)
      // No job held: idle workers may well be running, unseen; the page must not claim there are none.
      await old.db.$executeRawUnsafe(`DELETE FROM ${provider === 'mysql' ? `\`${old.table}\`` : `"${old.table}"`}`)
      for (const path of ['/workers', '/']) {
        const empty = await (await fetch(`${oldServed.origin}${path}`)).text()
        expect(empty).toMatch(/Idle workers are not listed/)
        expect(empty, path).not.toContain('No worker is running')
        expect(empty, path).toContain('No worker holds a job.')
      }
    } finally {
      await oldServed.close()
      await old.drop()
    }
  })
})
