/**
 * The Schedules page through the Fetch handler, on real SQLite and
 * PostgreSQL: what it shows (next runs in the entry's zone, last run, paused),
 * escaped names, pause / resume / run now through the CSRF forms, readOnly.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { readJobs } from '../support/jobs-table.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { createDashboard } from '../../src/runtime/dashboard/index.js'
import { JobManager } from '../../src/runtime/manager/job-manager.js'
import type { Logger } from '../../src/runtime/types.js'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const EVIL = '<script>alert(1)</script>'

describe.each(['sqlite', 'postgresql'] as const)('the dashboard Schedules page on %s', (provider) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await database.db.backgroundJob.deleteMany()
    await database.db.backgroundJobSchedule.deleteMany()
  })

  function config(recurring = true) {
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: new PrismaAdapter({ db: database.db }) },
      queues: ['default'] as const,
      logger: silent,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
      recurring: recurring
        ? [
            { job: 'ReportJob', name: 'nightly', cron: '30 2 * * *', timezone: 'Europe/Berlin' },
            { job: 'ReportJob', name: EVIL, cron: '*/5 * * * *' },
          ]
        : [],
    })
    registry.ReportJob = jobs.createJob({ queue: 'default', perform: () => {} })
    return jobs
  }

  async function open(dashboard: ReturnType<typeof createDashboard>, path = '/schedules') {
    const page = await dashboard.fetch(new Request(`http://localhost${path}`))
    const markup = await page.text()
    const cookie = page.headers.get('set-cookie')?.split(';')[0] ?? ''
    const token = /name="_csrf" value="([^"]+)"/.exec(markup)?.[1] ?? ''
    return { page, markup, cookie, token }
  }

  function post(dashboard: ReturnType<typeof createDashboard>, action: string, body: Record<string, string>, cookie: string) {
    return dashboard.fetch(
      new Request(`http://localhost/schedules/${action}`, {
        method: 'POST',
        body: new URLSearchParams(body).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: 'http://localhost' },
      }),
    )
  }

  const rowOf = (markup: string, name: string) => {
    const start = markup.indexOf(`<tr data-schedule="${name}">`)
    expect(start).toBeGreaterThan(-1)
    return markup.slice(start, markup.indexOf('</tr>', start))
  }

  it('is linked in the nav only with recurring entries, and absent (404) without', async () => {
    const without = createDashboard({ jobs: config(false), env: {} })
    expect((await open(without, '/')).markup).not.toContain('>Schedules</a>')
    expect((await without.fetch(new Request('http://localhost/schedules'))).status).toBe(404)
    const withEntries = createDashboard({ jobs: config(), basePath: '/admin/jobs', env: {} })
    const { markup } = await open(withEntries, '/admin/jobs/')
    expect(markup).toContain('<a href="/admin/jobs/schedules" class="">Schedules</a>')
  })

  it('shows each entry with cron, zone, next three runs in its zone and never run; names escaped', async () => {
    const dashboard = createDashboard({ jobs: config(), env: {} })
    const { page, markup } = await open(dashboard)
    expect(page.status).toBe(200)
    expect(markup).not.toContain(EVIL)
    const evilRow = rowOf(markup, '&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(evilRow).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>')
    expect(evilRow).toContain('<code>*/5 * * * *</code> <span class="muted">UTC</span>')
    expect(evilRow.match(/<div>\d{4}-\d\d-\d\d \d\d:\d[05]:00 UTC<\/div>/g)).toHaveLength(3)
    const nightly = rowOf(markup, 'nightly')
    expect(nightly).toContain('<td>ReportJob</td>')
    expect(nightly).toContain('Europe/Berlin')
    expect(nightly.match(/<div>\d{4}-\d\d-\d\d 02:30:00 UTC\+[12]<\/div>|<div>\d{4}-\d\d-\d\d 03:00:00 UTC\+2<\/div>/g)).toHaveLength(3)
    expect(nightly).toContain('never')
    expect(nightly).toContain('active')
    // In words, through cronstrue (an optional peer; installed here).
    expect(nightly).toContain('<div class="cron-words">At 02:30</div>')
    expect(evilRow).toContain('<div class="cron-words">Every 5 minutes</div>')
  })

  it('pause, resume (twice) and run now change the schedule, each through a CSRF form', async () => {
    const jobs = config()
    const dashboard = createDashboard({ jobs, env: {} })
    const { cookie, token } = await open(dashboard)
    expect(token).not.toBe('')

    const paused = await post(dashboard, 'pause', { _csrf: token, schedule: 'nightly' }, cookie)
    expect(paused.status).toBe(303)
    expect(paused.headers.get('location')).toBe('/schedules?done=paused')
    let markup = (await open(dashboard)).markup
    expect(rowOf(markup, 'nightly')).toContain('paused')
    expect(rowOf(markup, 'nightly')).toContain('>Resume</button>')
    expect(rowOf(markup, 'nightly')).not.toMatch(/<div>\d{4}/)
    expect((await database.db.backgroundJobSchedule.findMany({ where: { name: 'nightly' } }))[0]!.pausedAt).not.toBeNull()

    const resumed = await post(dashboard, 'resume', { _csrf: token, schedule: 'nightly' }, cookie)
    expect(resumed.headers.get('location')).toBe('/schedules?done=resumed')
    expect((await database.db.backgroundJobSchedule.findMany({ where: { name: 'nightly' } }))[0]!.pausedAt).toBeNull()
    const again = await post(dashboard, 'resume', { _csrf: token, schedule: 'nightly' }, cookie)
    expect(again.headers.get('location')).toBe('/schedules?done=not-paused')
    expect((await open(dashboard, '/schedules?done=not-paused')).markup).toContain('Nothing changed: the schedule is not paused.')

    const ran = await post(dashboard, 'run', { _csrf: token, schedule: EVIL }, cookie)
    expect(ran.status).toBe(303)
    const enqueued = await readJobs(database)
    expect(enqueued).toHaveLength(1)
    expect(JSON.parse(enqueued[0]!.handler).recurring.schedule).toBe(EVIL)
    expect(ran.headers.get('location')).toBe(`/schedules?done=ran-schedule&count=${enqueued[0]!.id}`)
    markup = (await open(dashboard, ran.headers.get('location')!)).markup
    expect(markup).toContain(`One run of the schedule was enqueued now (job ${enqueued[0]!.id}).`)
    expect(rowOf(markup, '&lt;script&gt;alert(1)&lt;/script&gt;')).toContain(`<a href="/jobs/${enqueued[0]!.id}">job #${enqueued[0]!.id}</a>`)

    const unknown = await post(dashboard, 'pause', { _csrf: token, schedule: 'weekly' }, cookie)
    expect(unknown.status).toBe(404)
    expect(await unknown.text()).toMatch(/no recurring entry named "weekly".*Use one of "nightly"/)
  })

  it('refuses a form without the CSRF token or from another origin, changing nothing', async () => {
    const dashboard = createDashboard({ jobs: config(), env: {} })
    const { cookie, token } = await open(dashboard)
    expect((await post(dashboard, 'pause', { schedule: 'nightly' }, cookie)).status).toBe(403)
    expect((await post(dashboard, 'pause', { _csrf: 'forged', schedule: 'nightly' }, cookie)).status).toBe(403)
    expect((await post(dashboard, 'run', { _csrf: token, schedule: 'nightly' }, '')).status).toBe(403)
    const crossSite = await dashboard.fetch(
      new Request('http://localhost/schedules/run', {
        method: 'POST',
        body: `_csrf=${token}&schedule=nightly`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: 'http://evil.example' },
      }),
    )
    expect(crossSite.status).toBe(403)
    expect(await database.db.backgroundJobSchedule.count({ where: { pausedAt: { not: null } } })).toBe(0)
    expect(await readJobs(database)).toHaveLength(0)
  })

  it('readOnly shows the schedules without buttons and refuses every action with 403', async () => {
    const dashboard = createDashboard({ jobs: config(), readOnly: true, env: {} })
    const { markup, cookie } = await open(dashboard)
    expect(rowOf(markup, 'nightly')).toContain('30 2 * * *')
    expect(markup).not.toContain('<button')
    const token = (await open(createDashboard({ jobs: config(), env: {} }))).token
    for (const action of ['pause', 'resume', 'run']) {
      const response = await post(dashboard, action, { _csrf: token, schedule: 'nightly' }, cookie)
      expect(response.status).toBe(403)
      expect(await response.text()).toContain('read-only')
    }
    expect(await readJobs(database)).toHaveLength(0)
    expect(await database.db.backgroundJobSchedule.count()).toBe(0)
  })
})
