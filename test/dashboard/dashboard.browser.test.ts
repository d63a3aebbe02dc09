/**
 * The dashboard in a real headless Chromium, on real SQLite, PostgreSQL and
 * MariaDB databases: what a user sees and clicks, and the attacks it must resist
 * (script in arguments and errors, POSTs without the CSRF token, a
 * read-only dashboard asked to change something, redacted keys).
 */
import { tmpdir } from 'node:os'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { insertJob, jobsModel, readJob, readJobs } from '../support/jobs-table.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { WorkerRegistry } from '../../src/runtime/registry/worker-registry.js'
import { launchChromium, serveDashboard, type ServedDashboard } from './serve-dashboard.js'

const BASE = '/admin/jobs'
// Screenshots go to a temporary folder so a test run leaves the checkout as it was; to refresh the
// README's images: JOBS_KIT_SCREENSHOTS_DIR=docs/images npx vitest run test/dashboard/dashboard.browser.test.ts
const SCREENSHOTS = process.env.JOBS_KIT_SCREENSHOTS_DIR ?? join(tmpdir(), 'jobs-kit-dashboard-screenshots')

const handler = (name: string, args: unknown[]) => JSON.stringify({ name, path: `${name}/${name}`, args })

describe.each(['sqlite', 'postgresql', 'mysql'] as const)('jobs dashboard in Chromium on %s', (provider) => {
  let database: TestDatabase
  let browser: Browser
  let served: ServedDashboard
  let readOnlyServed: ServedDashboard
  let page: Page
  const ids: Record<string, number> = {}
  const url = (path: string) => `${served.origin}${BASE}${path}`
  const screenshot = async (name: string) => {
    if (provider !== 'sqlite') return
    mkdirSync(SCREENSHOTS, { recursive: true })
    await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: true })
  }

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    const jobs = { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) }, queues: ['default', 'email'] }
    const now = Date.now()
    ids.welcome = await insertJob(database, { handler: handler('SendWelcomeEmailJob', [{ userId: 7, password: 'hunter2' }]), queue: 'email', runAt: new Date(now - 90_000) })
    ids.later = await insertJob(database, { handler: handler('SendWelcomeEmailJob', [{ userId: 8 }]), queue: 'email', runAt: new Date(now + 3_600_000) })
    ids.running = await insertJob(database, {
      handler: handler('ReportJob', [1]), queue: 'default', runAt: new Date(now - 5_000), lockedAt: new Date(now - 2_000), lockedBy: 'host-a:jobs-kit-worker.default.0', attempts: 1,
    })
    ids.xss = await insertJob(database, {
      handler: handler('XssJob', ['<script>window.__xss = 1</script>']),
      queue: 'default',
      attempts: 24,
      failedAt: new Date(now - 60_000),
      lastError: 'Error: <script>window.__xss = 2</script>\n    at perform (<img src=x onerror="window.__xss = 3">)',
    })
    for (let i = 0; i < 3; i++) {
      ids[`failed${i}`] = await insertJob(database, {
        handler: handler('ReportJob', [{ report: i }]), queue: 'default', attempts: 24, failedAt: new Date(now - 30_000), lastError: `Error: report ${i} timed out\n    at run (report.ts:1:1)`,
      })
    }
    ids.emailFailed = await insertJob(database, { handler: handler('SendWelcomeEmailJob', [{ userId: 9 }]), queue: 'email', attempts: 24, failedAt: new Date(now), lastError: 'Error: smtp down' })
    served = await serveDashboard({ jobs, basePath: BASE, redact: ['password'], pageSize: 3, env: {} })
    readOnlyServed = await serveDashboard({ jobs, basePath: BASE, readOnly: true, env: {} })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  })
  // The running job's worker "renews its lock" before each test, as a live worker would.
  beforeEach(async () => {
    await jobsModel(database).updateMany({ where: { id: ids.running }, data: { lockedAt: new Date() } })
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
    await readOnlyServed?.close()
    await database?.drop()
  })

  /** Every link and form of the page stays under the base path. */
  const expectLinksUnderBasePath = async () => {
    const targets = await page.$$eval('a[href], form[action]', (elements) => elements.map((element) => element.getAttribute('href') ?? element.getAttribute('action')))
    expect(targets.length).toBeGreaterThan(3)
    for (const target of targets) expect(target?.startsWith(`${BASE}/`) || target === BASE).toBe(true)
  }

  it('shows the overview: counts per queue and state, oldest waiting job, failures of the last hour, workers seen', async () => {
    await page.goto(url('/'))
    const cell = (queue: string, state: string) => page.locator(`#queues tr:has(th a:text-is("${queue}")) td[data-state="${state}"]`).innerText()
    expect(await cell('email', 'waiting')).toBe('1')
    expect(await cell('email', 'scheduled')).toBe('1')
    expect(await cell('email', 'failed')).toBe('1')
    expect(await cell('default', 'running')).toBe('1')
    expect(await cell('default', 'failed')).toBe('4')
    const emailRow = await page.locator('#queues tr:has(th a:text-is("email"))').innerText()
    expect(emailRow).toMatch(/1 min/) // the waiting job is 90 s late
    expect(await page.locator('#workers').innerText()).toContain('jobs-kit-worker.default.0')
    expect(await page.locator('#workers').innerText()).toContain('host-a')
    await expectLinksUnderBasePath()
    await screenshot('overview')
  })

  it('filters the jobs list by queue, state, job name and text in arguments or errors', async () => {
    await page.goto(url('/jobs'))
    await page.selectOption('select[name=queue]', 'default')
    await page.selectOption('select[name=state]', 'failed')
    await page.click('form.filters button')
    await page.waitForURL(/state=failed/)
    const shown = () => page.locator('#jobs tbody tr[data-job-id]').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-job-id'))))
    // Newest first, three to a page (pageSize: 3).
    const firstPage = (expected: number[]) => [...expected].sort((a, b) => b - a).slice(0, 3)
    expect(await shown()).toEqual(firstPage([ids.xss!, ids.failed0!, ids.failed1!, ids.failed2!]))
    await expectLinksUnderBasePath()
    await screenshot('jobs')
    await page.click('#next-page')
    expect(await shown()).toEqual([ids.xss])

    await page.goto(url('/jobs?text=TIMED+OUT'))
    expect(await shown()).toEqual(firstPage([ids.failed0!, ids.failed1!, ids.failed2!]))
    await page.goto(url('/jobs?name=SendWelcomeEmailJob'))
    expect(await shown()).toEqual(firstPage([ids.welcome!, ids.later!, ids.emailFailed!]))
    await page.goto(url('/jobs?text=%22userId%22%3A8'))
    expect(await shown()).toEqual([ids.later])
  })

  it('pages by keyset, in every order, without skipping or repeating a job', async () => {
    const all = (await readJobs(database)).map((row) => row.id as number)
    const byRunAt = (await readJobs(database))
      .filter((row) => row.runAt !== null)
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id)
      .map((row) => row.id as number)
    const expected: Record<string, number[]> = { newest: [...all].sort((a, b) => b - a), oldest: [...all].sort((a, b) => a - b), 'next-due': byRunAt }
    expect(all.length).toBeGreaterThan(6) // three pages at least
    for (const order of ['newest', 'oldest', 'next-due']) {
      const seen: number[] = []
      let next: string | null = url(`/jobs?order=${order}`)
      while (next) {
        await page.goto(next)
        seen.push(...(await page.locator('#jobs tbody tr[data-job-id]').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-job-id'))))))
        const hasNext = (await page.locator('#next-page').count()) > 0
        next = hasNext ? new URL((await page.locator('#next-page').getAttribute('href'))!, served.origin).href : null
      }
      expect(seen).toEqual(expected[order])
    }
  })

  it('shows a job: formatted arguments with redacted keys, attempts, run at, lock, last error with its stack', async () => {
    await page.goto(url(`/jobs/${ids.running}`))
    const details = await page.locator('dl').innerText()
    expect(details).toContain('host-a:jobs-kit-worker.default.0')
    expect(await page.locator('h1').innerText()).toContain('running')
    await page.goto(url(`/jobs/${ids.failed0}`))
    expect(await page.locator('#last-error').innerText()).toContain('at run (report.ts:1:1)')
    expect(await page.locator('#arguments').innerText()).toBe(JSON.stringify([{ report: 0 }], null, 2))
    await screenshot('job')

    await page.goto(url(`/jobs/${ids.welcome}`))
    const args = await page.locator('#arguments').innerText()
    expect(args).toContain('"userId": 7')
    expect(args).toContain('"password": "[redacted]"')
    expect(await page.content()).not.toContain('hunter2')
    // Redacted in the JSON view and in the list too.
    const json = await (await page.request.get(url(`/jobs/${ids.welcome}.json`))).text()
    expect(JSON.parse(json)).toMatchObject({ id: ids.welcome, name: 'SendWelcomeEmailJob', args: [{ userId: 7, password: '[redacted]' }] })
    expect(json).not.toContain('hunter2')
    await page.goto(url('/jobs?queue=email'))
    expect(await page.content()).not.toContain('hunter2')
  })

  it('shows <script> in arguments and errors as text, and runs none of it', async () => {
    for (const path of [`/jobs/${ids.xss}`, '/jobs?state=failed', '/']) {
      await page.goto(url(path))
      expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined()
      expect(await page.locator('script').count()).toBe(1) // the dashboard's own refresh script only
      expect(await page.locator('img').count()).toBe(0)
    }
    await page.goto(url(`/jobs/${ids.xss}`))
    expect(await page.locator('#arguments').innerText()).toContain('<script>window.__xss = 1</script>')
    expect(await page.locator('#last-error').innerText()).toContain('<img src=x onerror="window.__xss = 3">')
    await screenshot('xss')
  })

  it('retries a failed job now', async () => {
    await page.goto(url(`/jobs/${ids.failed0}`))
    const before = Date.now()
    await page.click('button:text("Retry now")')
    await page.waitForURL(/done=retried/)
    expect(await page.locator('.notice').innerText()).toBe('The job will run now.')
    const row = await readJob(database, ids.failed0)
    expect(row).toMatchObject({ failedAt: null, lockedAt: null, attempts: 24 })
    expect(row!.runAt.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(row!.runAt.getTime()).toBeLessThanOrEqual(Date.now())
  })

  it('deletes a job, and never a running one', async () => {
    await page.goto(url(`/jobs/${ids.failed1}`))
    await page.click('button:text("Delete")')
    await page.waitForURL(/done=deleted/)
    expect(await readJob(database, ids.failed1)).toBeNull()
    await page.goto(url(`/jobs/${ids.running}`))
    expect(await page.locator('button:text("Delete")').count()).toBe(0)
  })

  it('retries all failed jobs of a filter in one click, and a second click of the same form changes nothing', async () => {
    await page.goto(url('/jobs?queue=default&state=failed'))
    await page.click('button:text("Retry all failed (this filter)")')
    await page.waitForURL(/done=retried-failed/)
    expect(await page.locator('.notice').innerText()).toBe('2 failed job(s) will run again.') // xss and failed2
    const afterFirst = await readJobs(database)
    expect(afterFirst.filter((row) => row.failedAt !== null).map((row) => row.id)).toEqual([ids.emailFailed]) // the email queue's is left alone
    // The same form again (back, then click the button that is still there): nothing left to retry.
    await page.goBack()
    await page.click('button:text("Retry all failed (this filter)")')
    await page.waitForURL(/done=retried-failed/)
    expect(await page.locator('.notice').innerText()).toBe('0 failed job(s) will run again.')
    expect(await readJobs(database)).toEqual(afterFirst)
  })

  it('refuses a POST without the CSRF token (403) and changes nothing', async () => {
    await page.goto(url(`/jobs/${ids.emailFailed}`))
    const status = await page.evaluate(async (action) => {
      const response = await fetch(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
      return response.status
    }, `${BASE}/jobs/${ids.emailFailed}/delete`)
    expect(status).toBe(403)
    const forged = await page.request.post(url(`/jobs/${ids.emailFailed}/delete`), { form: { _csrf: 'guessed-token' } })
    expect(forged.status()).toBe(403)
    expect(await readJob(database, ids.emailFailed)).not.toBeNull()
  })

  it('read-only: shows no actions and refuses every POST with 403, even with a valid token', async () => {
    const readOnlyPage = await browser.newPage()
    await readOnlyPage.goto(`${readOnlyServed.origin}${BASE}/jobs/${ids.emailFailed}`)
    expect(await readOnlyPage.locator('form[method=post]').count()).toBe(0)
    expect(await readOnlyPage.locator('header').innerText()).toContain('read-only')
    const cookies = await readOnlyPage.context().cookies()
    const token = cookies.find((cookie) => cookie.name === 'jobs_dashboard_csrf')!.value
    const response = await readOnlyPage.request.post(`${readOnlyServed.origin}${BASE}/jobs/${ids.emailFailed}/delete`, { form: { _csrf: token } })
    expect(response.status()).toBe(403)
    expect(await readJob(database, ids.emailFailed)).not.toBeNull()
    await readOnlyPage.close()
  })

  it('lists the workers, idle ones too (from the worker registry), with the job each runs', async () => {
    const now = Date.now()
    await new WorkerRegistry(database.db).register({
      name: 'host-b:jobs-kit-worker.email.0', host: 'host-b', pid: 321, queues: 'email', concurrency: 1, startedAt: new Date(now - 60_000), heartbeatAt: new Date(now), jobIds: [], done: 0, failed: 0,
    })
    await page.goto(url('/workers'))
    expect(await page.locator('#workers').innerText()).toContain('jobs-kit-worker.default.0')
    expect(await page.locator('#workers tr[data-worker="host-b:jobs-kit-worker.email.0"]').innerText()).toMatch(/host-b\s+jobs-kit-worker\.email\.0 pid 321\s+alive\s+email\s+idle/)
    // The running job is linked from its worker's row and, with its name, from the worker's jobs below.
    expect(await page.locator(`#workers a[href="${BASE}/jobs/${ids.running}"]`).innerText()).toBe(`#${ids.running}`)
    expect(await page.locator(`a[href="${BASE}/jobs/${ids.running}"]`, { hasText: 'ReportJob' }).innerText()).toContain('ReportJob')
    await screenshot('workers')
  })

  it('refreshes an open page in place: new counts appear without a reload', async () => {
    await page.goto(url('/'))
    // Runs in the page (a function, not a string: the dashboard's CSP forbids eval). `any`: this file has no DOM types.
    const waitingInDefault = () => {
      const rows = [...(globalThis as any).document.querySelectorAll('#queues tbody tr')] as any[]
      return rows.find((tr) => tr.querySelector('th')?.textContent === 'default')?.querySelector('td[data-state="waiting"]')?.textContent as string
    }
    const before = Number(await page.evaluate(waitingInDefault))
    await page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }))
    await insertJob(database, { handler: handler('ReportJob', [99]), queue: 'default', runAt: new Date(Date.now() - 1000) })
    await page.waitForFunction(
      (expected) => {
        const rows = [...(globalThis as any).document.querySelectorAll('#queues tbody tr')] as any[]
        return rows.find((tr) => tr.querySelector('th')?.textContent === 'default')?.querySelector('td[data-state="waiting"]')?.textContent === expected
      },
      String(before + 1),
      { timeout: 15_000 },
    )
    expect(await page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument)).toBe(true)
  })
})
