/**
 * Another site's page attacks the dashboard in a real headless Chromium,
 * after the user opened the dashboard (so the CSRF cookie exists): a form
 * that posts itself, and a credentialed fetch, from another site
 * (`localhost` against `127.0.0.1`) and from the same site on another port
 * (where the SameSite cookie IS sent, and only the Origin check and the
 * token stand). The job must survive every one. On SQLite: this is the
 * browser's behaviour, not the database's.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { insertJob, readJob } from '../support/jobs-table.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { launchChromium, serveDashboard, type ServedDashboard } from './serve-dashboard.js'

describe('the dashboard against another site in Chromium', () => {
  let database: TestDatabase
  let browser: Browser
  let served: ServedDashboard
  let evil: Server
  let evilPort = 0

  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
    served = await serveDashboard({ jobs: { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) } }, env: {} })
    // The attacker's pages: /form?target=… posts a form to it on load; /fetch?target=… posts with fetch(credentials: 'include').
    evil = createServer((request, response) => {
      const url = new URL(request.url!, 'http://evil')
      const target = url.searchParams.get('target') ?? ''
      const script =
        url.pathname === '/form'
          ? `document.forms[0].submit()`
          : `fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=guessed' }).finally(() => { document.title = 'sent' })`
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end(`<!doctype html><form method="post" action="${target}"><input type="hidden" name="_csrf" value="guessed"></form><script>${script}</script>`)
    })
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve))
    evilPort = (evil.address() as AddressInfo).port
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
    await new Promise((resolve) => evil?.close(resolve))
    await database?.drop()
  })

  for (const attackerHost of ['localhost', '127.0.0.1']) {
    for (const how of ['form', 'fetch'] as const) {
      it(`a ${how} posted from http://${attackerHost}:<other port> deletes nothing`, async () => {
        const id = await insertJob(database, { failedAt: new Date(), lastError: 'Error: boom' })
        const context = await browser.newContext()
        const page = await context.newPage()
        try {
          await page.goto(`${served.origin}/jobs/${id}`)
          expect((await context.cookies()).map((cookie) => cookie.name)).toContain('jobs_dashboard_csrf')
          const target = `${served.origin}/jobs/${id}/delete`
          const answered = page.waitForResponse((response) => response.url() === target && response.request().method() === 'POST')
          await page.goto(`http://${attackerHost}:${evilPort}/${how}?target=${encodeURIComponent(target)}`)
          const response = await answered
          expect(response.status()).toBe(403)
          expect(await readJob(database, id)).not.toBeNull()
        } finally {
          await context.close()
        }
      })
    }
  }
})
