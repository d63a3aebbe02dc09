/**
 * How long does "retry all failed" take when the filter matches 100,000
 * failed jobs (one click, the Fetch handler in-process)? (diagnostic)
 *
 *   npx tsx bench/experiments/dashboard-bulk.ts [--providers sqlite,postgresql,mysql]
 */
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { createDashboard } from '../../src/runtime/dashboard/index.js'
import { seedDashboardJobsSql, type SeedProvider } from '../../test/support/dashboard-seed.js'

const { values } = parseArgs({ options: { providers: { type: 'string', default: 'sqlite,postgresql,mysql' } } })
await generateTestClients()
for (const provider of values.providers!.split(',') as SeedProvider[]) {
  const database = await createTestDatabase(provider)
  try {
    await database.db.$executeRawUnsafe(seedDashboardJobsSql(provider, 100_000))
    // Every job failed: the filter "queue email" then matches a third of them, no filter all of them.
    await database.db.$executeRawUnsafe(provider === 'mysql' ? 'UPDATE `BackgroundJob` SET `failedAt` = `createdAt`, `lockedAt` = NULL' : 'UPDATE "BackgroundJob" SET "failedAt" = "createdAt", "lockedAt" = NULL')
    const dashboard = createDashboard({ jobs: { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) }, queues: ['default', 'email', 'reports'] }, env: {} })
    const page = await dashboard.fetch(new Request('http://localhost/jobs'))
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const click = (form: string) =>
      dashboard.fetch(new Request('http://localhost/jobs/retry-failed', { method: 'POST', body: `_csrf=${token}${form}`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } }))
    const fail = () => database.db.$executeRawUnsafe(provider === 'mysql' ? 'UPDATE `BackgroundJob` SET `failedAt` = `createdAt`' : 'UPDATE "BackgroundJob" SET "failedAt" = "createdAt"')
    for (const [label, form, clicks] of [['no filter, one click', '', 1], ['no filter, two clicks at once', '', 2], ['text "order", one click', '&text=order', 1]] as const) {
      await fail()
      const started = performance.now()
      await Promise.all(Array.from({ length: clicks }, () => click(form)))
      const ms = performance.now() - started
      console.log(`${provider}: ${label}: 100,000 retried in ${Math.round(ms)} ms (load average ${loadavg().map((load) => load.toFixed(1)).join(' ')})`)
    }
  } finally {
    await database.drop()
  }
}
