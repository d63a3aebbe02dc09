/**
 * Requests a user (or an attacker) can type, against the mounted handler on
 * real databases: ids and cursors out of the id column's range, and actions
 * posted straight to a URL the page does not offer for that job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { seedDashboardJobsSql } from '../support/dashboard-seed.js'
import { insertJob, jobsModel, readJob } from '../support/jobs-table.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { createDashboard, type Dashboard } from '../../src/runtime/dashboard/index.js'

describe.each(['sqlite', 'postgresql', 'mysql'] as const)('dashboard attacks on %s', (provider) => {
  let database: TestDatabase
  let dashboard: Dashboard

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    const jobs = { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) }, queues: ['default'] }
    dashboard = createDashboard({ jobs, env: {} })
  })
  afterAll(async () => {
    await database?.drop()
  })

  /** A POST with a valid cookie and form token, as the dashboard's own form sends it. */
  async function post(path: string, form = ''): Promise<Response> {
    const page = await dashboard.fetch(new Request('http://localhost/jobs'))
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? cookie.split('=')[1]!
    return dashboard.fetch(new Request(`http://localhost${path}`, { method: 'POST', body: `_csrf=${token}${form ? `&${form}` : ''}`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } }))
  }

  it('answers ids and cursors past the id column (a 32-bit Int) as missing, not with a 500', async () => {
    const id = await insertJob(database, {})
    for (const huge of ['2147483648', '99999999999999']) {
      const detail = await dashboard.fetch(new Request(`http://localhost/jobs/${huge}`))
      expect(detail.status, await detail.text()).toBe(404)
      expect((await dashboard.fetch(new Request(`http://localhost/jobs/${huge}.json`))).status).toBe(404)
      const list = await dashboard.fetch(new Request(`http://localhost/jobs?after=${huge}`))
      expect(list.status, await list.clone().text()).toBe(200)
      expect(await list.text()).toContain(`data-job-id="${id}"`)
      const retry = await post(`/jobs/${huge}/retry`)
      expect(retry.status).toBe(303)
      expect(retry.headers.get('location')).toContain('done=unchanged')
    }
  })

  it('answers a next-due cursor with a date the database cannot hold (year 0, before 1 AD) with a page, not a 500', async () => {
    const id = await insertJob(database, { runAt: new Date(Date.now() + 60_000) })
    for (const runAt of ['0000-01-01', '-000001-01-01T00:00:00Z', '-271821-04-20T00:00:00.000Z']) {
      const list = await dashboard.fetch(new Request(`http://localhost/jobs?order=next-due&after=1&afterRunAt=${encodeURIComponent(runAt)}`))
      expect(list.status, `${runAt}: ${await list.clone().text()}`).toBe(200)
      expect(await list.text()).toContain(`data-job-id="${id}"`)
    }
  })

  it('walks pages of jobs sharing one runAt (to the millisecond) in every order, showing each job exactly once', async () => {
    const queue = `same-time-${provider}`
    const at = new Date(Date.now() + 3_600_000)
    at.setUTCMilliseconds(123)
    const ids: number[] = []
    for (let i = 0; i < 11; i++) ids.push(await insertJob(database, { queue, runAt: i === 5 ? new Date(at.getTime() - 1) : at }))
    const small = createDashboard({ jobs: { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) }, queues: [queue] }, env: {}, pageSize: 3 })
    for (const order of ['newest', 'oldest', 'next-due'] as const) {
      const seen: number[] = []
      let url: string | undefined = `http://localhost/jobs?queue=${queue}&order=${order}`
      for (let pages = 0; url && pages < 20; pages++) {
        const markup: string = await (await small.fetch(new Request(url))).text()
        seen.push(...[...markup.matchAll(/data-job-id="(\d+)"/g)].map((match) => Number(match[1])))
        const next: string | undefined = /id="next-page" href="([^"]+)"/.exec(markup)?.[1]
        url = next ? new URL(next.replace(/&amp;/g, '&'), 'http://localhost').href : undefined
      }
      const expected = order === 'newest' ? [...ids].reverse() : order === 'oldest' ? ids : [ids[5]!, ...ids.filter((_, index) => index !== 5)]
      expect(seen, order).toEqual(expected)
    }
  })

  it('answers filters holding a NUL character (which PostgreSQL refuses in any text) with a page, not a 500', async () => {
    for (const query of ['text=a%00b', 'queue=default%00', 'name=TestJob%00']) {
      const list = await dashboard.fetch(new Request(`http://localhost/jobs?${query}`))
      expect(list.status, `${query}: ${await list.clone().text()}`).toBe(200)
    }
    const page = await dashboard.fetch(new Request('http://localhost/jobs'))
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const bulk = await dashboard.fetch(
      new Request('http://localhost/jobs/retry-failed', { method: 'POST', body: `_csrf=${token}&text=zz%00zz`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } }),
    )
    expect(bulk.status, await bulk.clone().text()).toBe(303)
  })

  it('bulk retry and bulk delete clicked twice at once change each failed job once, across batches', async () => {
    await jobsModel(database).deleteMany({})
    const handler = JSON.stringify({ name: 'BulkJob', path: 'BulkJob/BulkJob', args: [] })
    const failedAt = new Date()
    await jobsModel(database).createMany({ data: Array.from({ length: 1100 }, () => ({ handler, queue: 'default', failedAt, attempts: 24 })) })
    const page = await dashboard.fetch(new Request('http://localhost/jobs'))
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const click = async (action: string) => {
      const response = await dashboard.fetch(
        new Request(`http://localhost/jobs/${action}`, { method: 'POST', body: `_csrf=${token}&name=BulkJob`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } }),
      )
      return Number(new URL(response.headers.get('location')!, 'http://localhost').searchParams.get('count'))
    }
    const retried = await Promise.all([click('retry-failed'), click('retry-failed')])
    expect(retried[0]! + retried[1]!).toBe(1100)
    expect(await jobsModel(database).count({ where: { failedAt: { not: null } } })).toBe(0)
    await jobsModel(database).updateMany({ data: { failedAt } })
    const deleted = await Promise.all([click('delete-failed'), click('delete-failed')])
    expect(deleted[0]! + deleted[1]!).toBe(1100)
    expect(await jobsModel(database).count()).toBe(0)
  })

  it('bulk actions on a filter that matches no job change nothing and say so', async () => {
    await jobsModel(database).deleteMany({})
    const id = await insertJob(database, { failedAt: new Date(), attempts: 24, lastError: 'Error: boom' })
    const before = await readJob(database, id)
    for (const action of ['retry-failed', 'delete-failed']) {
      const response = await post(`/jobs/${action}`, 'name=NoSuchJob&text=nothing-like-this')
      const location = new URL(response.headers.get('location')!, 'http://localhost')
      expect(location.searchParams.get('count')).toBe('0')
      expect(location.searchParams.get('name')).toBe('NoSuchJob')
      const page = await (await dashboard.fetch(new Request(location))).text()
      expect(page).toMatch(/0 failed job\(s\) (will run again|deleted)\./)
      expect(page).toContain('No jobs match.')
    }
    expect(await readJob(database, id)).toEqual(before)
  })

  it('bulk retry on a filter that matches 100,000 failed jobs, clicked twice at once, retries each exactly once', async () => {
    await jobsModel(database).deleteMany({})
    await database.db.$executeRawUnsafe(seedDashboardJobsSql(provider, 100_000))
    const table = provider === 'mysql' ? '`BackgroundJob`' : '"BackgroundJob"'
    const column = (name: string) => (provider === 'mysql' ? `\`${name}\`` : `"${name}"`)
    await database.db.$executeRawUnsafe(`UPDATE ${table} SET ${column('failedAt')} = ${column('createdAt')}, ${column('lockedAt')} = NULL, ${column('attempts')} = 24`)
    const list = await dashboard.fetch(new Request('http://localhost/jobs?state=failed&text=order'))
    expect((await list.text()).match(/data-job-id=/g)).toHaveLength(50)
    const counts = await Promise.all([post('/jobs/retry-failed', 'text=order'), post('/jobs/retry-failed', 'text=order')].map(async (sent) => {
      const response = await sent
      return Number(new URL(response.headers.get('location')!, 'http://localhost').searchParams.get('count'))
    }))
    expect(counts[0]! + counts[1]!).toBe(100_000)
    expect(await jobsModel(database).count({ where: { failedAt: { not: null } } })).toBe(0)
    expect(await jobsModel(database).count({ where: { attempts: 24, lockedAt: null } })).toBe(100_000)
    await jobsModel(database).deleteMany({})
  }, 300_000)

  it('does not run again a job kept after success when "retry" is posted to it directly (the page offers no such button)', async () => {
    const id = await insertJob(database, { runAt: null })
    const page = await (await dashboard.fetch(new Request(`http://localhost/jobs/${id}`))).text()
    expect(page).not.toContain(`/jobs/${id}/retry`)
    const response = await post(`/jobs/${id}/retry`)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toContain('done=unchanged')
    expect((await readJob(database, id))!.runAt).toBeNull()
  })

  it('leaves a job a worker is running alone, whatever is posted or fetched at its action URLs', async () => {
    const id = await insertJob(database, { runAt: new Date(Date.now() - 1000), lockedAt: new Date(), lockedBy: 'host-a:worker.0', attempts: 1 })
    const before = await readJob(database, id)
    for (const action of ['retry', 'delete']) {
      const response = await post(`/jobs/${id}/${action}`)
      expect(response.headers.get('location')).toContain('done=unchanged')
      expect((await dashboard.fetch(new Request(`http://localhost/jobs/${id}/${action}`))).status).toBe(404)
    }
    expect(await readJob(database, id)).toEqual(before)
  })

  it('says a POST was refused for its Origin, and what to do behind a proxy, not that the token is missing', async () => {
    const id = await insertJob(database, { failedAt: new Date() })
    // The public name in allowedHosts, as an open dashboard behind that proxy needs (else the Host/Origin check answers first, see access-limits.test.ts).
    const dashboard = createDashboard({ jobs: { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) }, queues: ['default'] }, env: {}, allowedHosts: ['jobs.example.com'] })
    const page = await dashboard.fetch(new Request(`http://localhost/jobs/${id}`))
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    // A proxy that passed its upstream address as Host: the browser's Origin is the public one.
    const response = await dashboard.fetch(
      new Request(`http://localhost/jobs/${id}/delete`, {
        method: 'POST',
        body: `_csrf=${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: 'https://jobs.example.com' },
      }),
    )
    expect(response.status).toBe(403)
    const text = await response.text()
    expect(text).toContain('https://jobs.example.com')
    expect(text).toContain('proxy_set_header Host')
    expect(text).not.toContain('CSRF token is missing')
    expect(await readJob(database, id)).not.toBeNull()
  })

  it('refuses a POST from an opaque origin (Origin: null, a sandboxed frame) even with the right token', async () => {
    const id = await insertJob(database, { failedAt: new Date() })
    const page = await dashboard.fetch(new Request(`http://localhost/jobs/${id}`))
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const response = await dashboard.fetch(
      new Request(`http://localhost/jobs/${id}/delete`, { method: 'POST', body: `_csrf=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: 'null' } }),
    )
    expect(response.status).toBe(403)
    expect(await readJob(database, id)).not.toBeNull()
  })
})
