/**
 * Which form of the dashboard's overview statement is cheapest on SQLite with
 * 100,000 jobs (bench/dashboard.ts's mix)? Runs each form straight through
 * better-sqlite3 (no Prisma, no rendering): median and p95 of 15 runs after
 * 3 warm-ups, with SQLite's plan. (diagnostic; the figures are in
 * docs/dashboard.md and next to the statement)
 *
 *   npx tsx bench/experiments/dashboard-overview-sqlite.ts
 */
import Database from 'better-sqlite3'
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { seedDashboardJobsSql } from '../../test/support/dashboard-seed.js'

await generateTestClients()
const database = await createTestDatabase('sqlite')
const raw = new Database(database.url.replace(/^file:/, ''))
raw.exec(seedDashboardJobsSql('sqlite', 100_000))
raw.exec('ANALYZE')

const text = (date: Date) => date.toISOString().replace('Z', '+00:00')
const now = new Date()
const stale = text(new Date(now.getTime() - 60_000))
const since = text(new Date(now.getTime() - 3_600_000))
const at = text(now)

const notRunning = `("lockedAt" IS NULL OR "lockedAt" < :stale)`
const FORMS: Record<string, string> = {
  // The statement of sql/dashboard-count-by-queue.ts before this experiment.
  'case per state': `SELECT "queue", COUNT(CASE WHEN "failedAt" IS NULL AND ${notRunning} AND "runAt" <= :now THEN 1 END) AS waiting,
    COUNT(CASE WHEN "failedAt" IS NULL AND ${notRunning} AND "runAt" > :now THEN 1 END) AS scheduled,
    COUNT(CASE WHEN "failedAt" IS NULL AND "lockedAt" >= :stale THEN 1 END) AS running,
    COUNT("failedAt") AS failed,
    COUNT(CASE WHEN "failedAt" IS NULL AND ${notRunning} AND "runAt" IS NULL THEN 1 END) AS succeeded,
    MIN(CASE WHEN "failedAt" IS NULL AND ${notRunning} AND "runAt" <= :now THEN "runAt" END) AS oldest,
    COUNT(CASE WHEN "failedAt" >= :since THEN 1 END) AS failed_since,
    COUNT(CASE WHEN "failedAt" IS NULL AND ${notRunning} AND "runAt" IS NULL AND "updatedAt" >= :since THEN 1 END) AS succeeded_since
    FROM "BackgroundJob" GROUP BY "queue"`,
  // Group by the few distinct combinations first (queue, failed?, lock state, runAt bucket), then fold: far fewer CASEs per row.
  'group then fold': `SELECT "queue", "failed", "running", "due", SUM(n) AS n, MIN(oldest) AS oldest, SUM(failed_since) AS failed_since, SUM(succeeded_since) AS succeeded_since FROM (
    SELECT "queue", "failedAt" IS NOT NULL AS failed, "lockedAt" >= :stale AS running,
      CASE WHEN "runAt" IS NULL THEN 0 WHEN "runAt" <= :now THEN 1 ELSE 2 END AS due,
      COUNT(*) AS n, MIN("runAt") AS oldest, COUNT(CASE WHEN "failedAt" >= :since THEN 1 END) AS failed_since,
      COUNT(CASE WHEN "updatedAt" >= :since THEN 1 END) AS succeeded_since
    FROM "BackgroundJob" GROUP BY 1, 2, 3, 4) GROUP BY 1, 2, 3, 4`,
  // The same, but reading the table in its own order (one sequential pass) and grouping in a temporary b-tree, instead of
  // walking the (queue, priority, runAt) index and looking up every row in the table from it.
  'case per state, table scan': '',
  'count only (floor)': `SELECT "queue", COUNT(*) FROM "BackgroundJob" GROUP BY "queue"`,
}

FORMS['case per state, table scan'] = FORMS['case per state']!.replace('FROM "BackgroundJob" GROUP BY "queue"', 'FROM "BackgroundJob" GROUP BY +"queue"')

function time(sql: string): { median: number; p95: number } {
  const statement = raw.prepare(sql)
  const params = { now: at, stale, since }
  const run = () => statement.all(...(sql.includes(':') ? [params] : []))
  for (let i = 0; i < 3; i++) run()
  const samples: number[] = []
  for (let i = 0; i < 15; i++) {
    const started = performance.now()
    run()
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return { median: samples[7]!, p95: samples[14]! }
}

function report(label: string): void {
  for (const [name, sql] of Object.entries(FORMS)) {
    const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.includes(':') ? [{ now: at, stale, since }] : [])) as { detail: string }[]).map((row) => row.detail).join('; ')
    const { median, p95 } = time(sql)
    console.log(`${label} | ${name} | ${median.toFixed(1)} / ${p95.toFixed(1)} ms | ${plan}`)
  }
}

console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`)
report('no extra index')
raw.exec('CREATE INDEX "BackgroundJob_dashboard_idx" ON "BackgroundJob"("queue", "failedAt", "lockedAt", "runAt", "updatedAt")')
raw.exec('ANALYZE')
report('covering index')
console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`)
raw.close()
await database.drop()
