/**
 * The Schedules page in a real headless Chromium on SQLite: reached from the
 * nav, a `<script>` schedule name shown as text, and pause, resume and run
 * now clicked as a user would.
 */
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { readJobs } from '../support/jobs-table.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { JobManager } from '../../src/runtime/manager/job-manager.js'
import type { Logger } from '../../src/runtime/types.js'
import { launchChromium, serveDashboard, type ServedDashboard } from './serve-dashboard.js'

const BASE = '/admin/jobs'
const SCREENSHOTS = process.env.JOBS_KIT_SCREENSHOTS_DIR ?? join(tmpdir(), 'jobs-kit-dashboard-screenshots')
const EVIL = '<script>window.__xss = 1</script>'
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

describe('the Schedules page in Chromium', () => {
  let database: TestDatabase
  let served: ServedDashboard
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { prisma: new PrismaAdapter({ db: database.db }) },
      queues: ['default'] as const,
      logger: silent,
      workers: [{ adapter: 'prisma', queue: '*' }],
      jobs: () => registry,
      recurring: [
        { job: 'ReportJob', name: 'nightly', cron: '30 2 * * *', timezone: 'Europe/Berlin' },
        { job: 'ReportJob', name: EVIL, cron: '*/5 * * * *' },
      ],
    })
    registry.ReportJob = jobs.createJob({ queue: 'default', perform: () => {} })
    served = await serveDashboard({ jobs, basePath: BASE, env: {} })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 700 } })
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
    await database?.drop()
  })

  it('is reached from the nav, shows names as text, and pause, resume and run now work by click', async () => {
    await page.goto(`${served.origin}${BASE}/`)
    await page.click('header a:text("Schedules")')
    await page.waitForURL(`${served.origin}${BASE}/schedules`)
    expect(await page.locator('tr[data-schedule] td:first-child').allTextContents()).toEqual(['nightly', EVIL])
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined()

    const nightly = page.locator('tr[data-schedule="nightly"]')
    expect(await nightly.locator('td:nth-child(4) div').count()).toBe(3)
    await nightly.locator('button:text("Pause")').click()
    await page.waitForURL(/done=paused/)
    expect(await page.textContent('[role=status]')).toContain('The schedule is paused')
    expect(await nightly.textContent()).toContain('paused')
    expect(await nightly.locator('td:nth-child(4) div').count()).toBe(0)

    await nightly.locator('button:text("Resume")').click()
    await page.waitForURL(/done=resumed/)
    expect(await nightly.textContent()).toContain('active')

    await page.locator(`tr[data-schedule="${EVIL.replace(/"/g, '\\"')}"] button:text("Run now")`).click()
    await page.waitForURL(/done=ran-schedule/)
    const [job] = await readJobs(database)
    expect(JSON.parse(job!.handler).recurring.schedule).toBe(EVIL)
    expect(await page.textContent('[role=status]')).toContain(`(job ${job!.id})`)
    expect(await page.getAttribute(`a:text("job #${job!.id}")`, 'href')).toBe(`${BASE}/jobs/${job!.id}`)
    mkdirSync(SCREENSHOTS, { recursive: true })
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-schedules.png'), fullPage: true })
  })
})
