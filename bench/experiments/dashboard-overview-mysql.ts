/**
 * The dashboard's overview statement on MariaDB/MySQL with 100,000 jobs
 * (bench/dashboard.ts's mix): grouped by walking the (queue, priority,
 * runAt) index, one primary-key lookup per row, or by a full scan with
 * `USE INDEX ()`. Median of 7 runs after the plan. (diagnostic; the figures
 * are next to the statement, sql/dashboard-count-by-queue.ts)
 *
 *   npx tsx bench/experiments/dashboard-overview-mysql.ts
 */
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { seedDashboardJobsSql } from '../../test/support/dashboard-seed.js'

await generateTestClients()
const database = await createTestDatabase('mysql')
await database.db.$executeRawUnsafe(seedDashboardJobsSql('mysql', 100_000))
await database.db.$executeRawUnsafe('ANALYZE TABLE `BackgroundJob`')
const now = new Date()
const stale = new Date(now.getTime() - 60_000)
const since = new Date(now.getTime() - 3_600_000)
const statement = (from: string) =>
  `SELECT queue, COUNT(CASE WHEN failedAt IS NULL AND (lockedAt IS NULL OR lockedAt < ?) AND runAt <= ? THEN 1 END) AS waiting, ` +
  `COUNT(CASE WHEN failedAt IS NULL AND (lockedAt IS NULL OR lockedAt < ?) AND runAt > ? THEN 1 END) AS scheduled, ` +
  `COUNT(CASE WHEN failedAt IS NULL AND lockedAt >= ? THEN 1 END) AS running, COUNT(failedAt) AS failed, ` +
  `COUNT(CASE WHEN failedAt IS NULL AND (lockedAt IS NULL OR lockedAt < ?) AND runAt IS NULL THEN 1 END) AS succeeded, ` +
  `MIN(CASE WHEN failedAt IS NULL AND (lockedAt IS NULL OR lockedAt < ?) AND runAt <= ? THEN runAt END) AS oldest, ` +
  `COUNT(CASE WHEN failedAt >= ? THEN 1 END) AS failed_since FROM ${from} GROUP BY queue`
const values = [stale, now, stale, now, stale, stale, stale, now, since]
for (const [label, sql] of [['by the queue index', statement('`BackgroundJob`')], ['USE INDEX () (table scan)', statement('`BackgroundJob` USE INDEX ()')]] as const) {
  const plan = (await database.db.$queryRawUnsafe(`EXPLAIN ${sql}`, ...values)) as { type: string; key: string | null; Extra: string }[]
  const samples: number[] = []
  for (let i = 0; i < 7; i++) {
    const started = performance.now()
    await database.db.$queryRawUnsafe(sql, ...values)
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  console.log(`${label}: median ${samples[3]!.toFixed(1)} ms | plan ${plan.map((row) => `${row.type} ${row.key ?? ''} ${row.Extra}`).join('; ')} | load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`)
}
await database.drop()
