/**
 * The dashboard's actions and pages attacked in a real headless Chromium, on
 * SQLite and PostgreSQL: markup and script in job names, queue names,
 * arguments, errors and worker names on every page that shows them;
 * redaction on every page that shows arguments or errors (detail, list,
 * search results, JSON), errors included; a CSRF token taken from another
 * session; and a basePath written with a trailing slash.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { insertJob, jobsModel, readJob } from '../support/jobs-table.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { launchChromium, serveDashboard, type ServedDashboard } from './serve-dashboard.js'

const handler = (name: string, args: unknown[]) => JSON.stringify({ name, path: `${name}/${name}`, args })
/** Each payload sets window.__xss to its own number if it ever runs. */
const payload = (n: number) => `"><script>window.__xss=${n}</script><img src=x onerror="window.__xss=${n}">`

describe.each(['sqlite', 'postgresql'] as const)('dashboard attacks in Chromium on %s', (provider) => {
  let database: TestDatabase
  let browser: Browser
  let served: ServedDashboard
  let context: BrowserContext
  let page: Page
  const ids: Record<string, number> = {}
  const BASE = '/ops/jobs'
  const url = (path: string) => `${served.origin}${BASE}${path}`

  beforeAll(async () => {
    database = await createTestDatabase(provider)
    const jobs = { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) }, queues: ['default'] }
    const now = Date.now()
    ids.evilFailed = await insertJob(database, {
      handler: handler(`Evil${payload(1)}Job`, [{ note: payload(2) }]),
      queue: `q${payload(3)}`,
      attempts: 24,
      failedAt: new Date(now - 1000),
      lastError: `Error: ${payload(4)}\n    at perform (${payload(5)})`,
    })
    ids.evilRunning = await insertJob(database, {
      handler: handler(`Evil${payload(6)}Job`, []),
      queue: `q${payload(3)}`,
      runAt: new Date(now - 5000),
      lockedAt: new Date(),
      lockedBy: `host${payload(7)}:jobs-kit-worker.default.0`,
    })
    ids.secret = await insertJob(database, {
      handler: handler('LoginJob', [{ user: 'ada', credentials: { password: 'pw-s3cr3t-value', apiKey: 'key-0123456789' } }]),
      queue: 'default',
      attempts: 24,
      failedAt: new Date(now - 2000),
      lastError: 'Error: login refused for ada with pw-s3cr3t-value (key key-0123456789)\n    at login (auth.ts:3:9)',
    })
    // basePath with a trailing slash, as a user may well write it.
    served = await serveDashboard({ jobs, basePath: `${BASE}/`, redact: ['password', 'apiKey'], env: {} })
    browser = await launchChromium()
    context = await browser.newContext()
    page = await context.newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
    await database?.drop()
  })

  it('shows markup in job names, queue names, arguments, errors and worker names as text on every page, and runs none of it', async () => {
    const pages = ['/', '/jobs', '/jobs?state=failed', `/jobs?text=${encodeURIComponent('<script>')}`, `/jobs?queue=${encodeURIComponent(`q${payload(3)}`)}`, `/jobs/${ids.evilFailed}`, `/jobs/${ids.evilRunning}`, '/workers']
    for (const path of pages) {
      await page.goto(url(path))
      expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss), path).toBeUndefined()
      expect(await page.locator('script').count(), path).toBe(1) // the dashboard's own refresh script only
      expect(await page.locator('img').count(), path).toBe(0)
    }
    await page.goto(url('/'))
    expect(await page.locator('#queues').innerText()).toContain(`q${payload(3)}`)
    await page.goto(url(`/jobs?queue=${encodeURIComponent(`q${payload(3)}`)}`))
    expect(await page.locator('#jobs').innerText()).toContain(`Evil${payload(1)}Job`)
    await page.goto(url(`/jobs/${ids.evilFailed}`))
    expect(await page.locator('h1').innerText()).toContain(`Evil${payload(1)}Job`)
    expect(await page.locator('#arguments').innerText()).toContain(payload(2).replaceAll('"', '\\"'))
    expect(await page.locator('#last-error').innerText()).toContain(`at perform (${payload(5)})`)
    await page.goto(url('/workers'))
    expect(await page.locator('main').innerText()).toContain(`host${payload(7)}`)
    // The JSON view is JSON, never sniffed as HTML.
    const json = await page.request.get(url(`/jobs/${ids.evilFailed}.json`))
    expect(json.headers()['content-type']).toMatch(/^application\/json/)
    expect(json.headers()['x-content-type-options']).toBe('nosniff')
  })

  it('hides redacted values on the job, in the list, in search results and in JSON, in the last error as well as the arguments', async () => {
    const secrets = ['pw-s3cr3t-value', 'key-0123456789']
    const pages = [`/jobs/${ids.secret}`, '/jobs', '/jobs?state=failed', '/jobs?text=login+refused', '/jobs?name=LoginJob']
    for (const path of pages) {
      await page.goto(url(path))
      const main = await page.locator('main').innerHTML()
      for (const secret of secrets) expect(main, path).not.toContain(secret)
    }
    await page.goto(url(`/jobs/${ids.secret}`))
    expect(await page.locator('#last-error').innerText()).toContain('login refused for ada with [redacted] (key [redacted])')
    expect(await page.locator('#arguments').innerText()).toContain('"credentials": {\n      "password": "[redacted]"')
    const json = await (await page.request.get(url(`/jobs/${ids.secret}.json`))).text()
    for (const secret of secrets) expect(json).not.toContain(secret)
    expect(JSON.parse(json).lastError).toContain('with [redacted]')
    // A search for the secret itself finds the job (the filter reads the stored row, see docs) but shows no secret outside the field the user typed it in.
    await page.goto(url('/jobs?text=pw-s3cr3t'))
    expect(await page.locator('#jobs tbody tr').count()).toBe(1)
    expect(await page.locator('#jobs').innerHTML()).not.toContain('pw-s3cr3t')
  })

  it('refuses a POST carrying a CSRF token from another session (another browser\'s cookie), and changes nothing', async () => {
    const other = await browser.newContext()
    try {
      const otherPage = await other.newPage()
      await otherPage.goto(url(`/jobs/${ids.secret}`))
      const otherToken = await otherPage.locator('input[name=_csrf]').first().inputValue()
      await page.goto(url(`/jobs/${ids.secret}`))
      const ownToken = await page.locator('input[name=_csrf]').first().inputValue()
      expect(otherToken).not.toBe(ownToken)
      // The attacker's own valid token, put in the victim's form: the victim's cookie does not match it.
      await page.locator('form[action$="/delete"] input[name=_csrf]').evaluate((input, token) => ((input as { value: string }).value = token), otherToken)
      const [response] = await Promise.all([page.waitForResponse((each) => each.request().method() === 'POST'), page.click('button:text("Delete")')])
      expect(response.status()).toBe(403)
      expect(await readJob(database, ids.secret)).not.toBeNull()
    } finally {
      await other.close()
    }
  })

  it('with basePath written "/ops/jobs/", serves "/ops/jobs/" and "/ops/jobs", keeps every link under it with no double slash, and its forms work', async () => {
    for (const path of [`${BASE}/`, BASE]) {
      await page.goto(`${served.origin}${path}`)
      expect(await page.locator('h1').innerText()).toBe('Overview')
    }
    await page.goto(url('/jobs?state=failed'))
    const targets = await page.$$eval('a[href], form[action]', (elements) => elements.map((element) => element.getAttribute('href') ?? element.getAttribute('action') ?? ''))
    for (const target of targets) {
      expect(target.startsWith(`${BASE}/`) || target === BASE, target).toBe(true)
      expect(target, target).not.toContain('//')
    }
    const cookie = (await context.cookies()).find((each) => each.name === 'jobs_dashboard_csrf')
    expect(cookie?.path).toBe(BASE)
    const id = await insertJob(database, { handler: handler('SlashJob', []), failedAt: new Date(), attempts: 24 })
    await page.goto(url(`/jobs/${id}`))
    await page.click('button:text("Retry now")')
    await page.waitForURL(/done=retried/)
    expect((await readJob(database, id))?.failedAt).toBeNull()
    await page.click(`header a:text("Jobs")`)
    expect(new URL(page.url()).pathname).toBe(`${BASE}/jobs`)
    await jobsModel(database).deleteMany({ where: { id } })
  })
})
