/**
 * The dashboard with 100,000 jobs: server time of the overview and of the
 * first and fiftieth page of filtered job lists, on PostgreSQL, SQLite and
 * MariaDB/MySQL.
 *
 *   npx tsx bench/dashboard.ts [--jobs 100000] [--runs 15] [--providers postgresql,sqlite,mysql]
 *
 * "Server time" is the dashboard's Fetch handler answering a Request in this
 * process, body included (queries, rendering, escaping): what a request costs
 * the server, without the network or the browser. Page 50 is reached the way
 * a reader gets there, by following "Next page" 49 times (keyset cursors),
 * then measured on its own. The figures go to docs/dashboard.md.
 */
import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { createTestDatabase, type TestDatabase } from '../test/support/databases.js'
import { generateTestClients } from '../test/support/prisma-clients.js'
import { PrismaAdapter } from '../src/runtime/adapters/prisma/prisma-adapter.js'
import { createDashboard, type Dashboard } from '../src/runtime/dashboard/index.js'
import { seedDashboardJobsSql, type SeedProvider as Provider } from '../test/support/dashboard-seed.js'

const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '100000' }, runs: { type: 'string', default: '15' }, providers: { type: 'string', default: 'postgresql,sqlite,mysql' } },
})
const JOBS = Number(values.jobs)
const RUNS = Number(values.runs)
const ORIGIN = 'http://localhost'


async function timeRequest(dashboard: Dashboard, path: string): Promise<{ ms: number; cpuMs: number; body: string }> {
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  const response = await dashboard.fetch(new Request(`${ORIGIN}${path}`))
  const body = await response.text()
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuStarted)
  const cpuMs = (cpu.user + cpu.system) / 1000
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 200)}`)
  return { ms, cpuMs, body }
}

/** The path of page `n` of a list, following "Next page" from page 1. */
async function pathOfPage(dashboard: Dashboard, firstPage: string, n: number): Promise<string> {
  let path = firstPage
  for (let page = 1; page < n; page++) {
    const { body } = await timeRequest(dashboard, path)
    const next = /id="next-page" href="([^"]+)"/.exec(body)?.[1]
    if (!next) throw new Error(`${firstPage} has only ${page} pages`)
    path = next.replaceAll('&amp;', '&')
  }
  return path
}

/**
 * Wall-clock median and p95, and the median CPU time of this process. On a
 * busy machine wall time includes waiting for a core; CPU time does not. On
 * SQLite (in-process) CPU time is the whole cost of a request; on PostgreSQL
 * the server's own work is in another process and only in the wall time.
 */
async function measure(dashboard: Dashboard, path: string): Promise<{ median: number; p95: number; cpuMedian: number; rows: number }> {
  for (let i = 0; i < 3; i++) await timeRequest(dashboard, path)
  const samples: number[] = []
  const cpuSamples: number[] = []
  let rows = 0
  for (let i = 0; i < RUNS; i++) {
    const { ms, cpuMs, body } = await timeRequest(dashboard, path)
    samples.push(ms)
    cpuSamples.push(cpuMs)
    rows = body.match(/data-job-id=/g)?.length ?? 0
  }
  samples.sort((a, b) => a - b)
  cpuSamples.sort((a, b) => a - b)
  return {
    median: samples[Math.floor(samples.length / 2)]!,
    p95: samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)]!,
    cpuMedian: cpuSamples[Math.floor(cpuSamples.length / 2)]!,
    rows,
  }
}

const LISTS: { label: string; path: string }[] = [
  { label: 'failed jobs of queue email', path: '/jobs?queue=email&state=failed' },
  { label: 'job name + text in error ("smtp")', path: '/jobs?name=SendWelcomeEmailJob&text=smtp' },
  { label: 'text in arguments ("order 4")', path: '/jobs?text=order+4' },
  { label: 'waiting, next-due order', path: '/jobs?state=waiting&order=next-due' },
]

// The Prisma clients the test databases use, generated as vitest's global setup does.
await generateTestClients()
for (const provider of values.providers!.split(',') as Provider[]) {
  const database: TestDatabase = await createTestDatabase(provider)
  try {
    const seedStarted = performance.now()
    await database.db.$executeRawUnsafe(seedDashboardJobsSql(provider, JOBS))
    await database.db.$executeRawUnsafe(provider === 'postgresql' ? 'VACUUM ANALYZE "BackgroundJob"' : provider === 'mysql' ? 'ANALYZE TABLE `BackgroundJob`' : 'ANALYZE')
    console.log(`\n${provider}: ${JOBS} jobs seeded in ${Math.round(performance.now() - seedStarted)} ms`)
    const jobs = { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) }, queues: ['default', 'email', 'reports'] }
    const dashboard = createDashboard({ jobs, env: {} })
    const rows: string[][] = []
    const overview = await measure(dashboard, '/')
    rows.push(['overview', '', overview.median.toFixed(1), overview.p95.toFixed(1), overview.cpuMedian.toFixed(1)])
    for (const list of LISTS) {
      for (const page of [1, 50]) {
        const result = await measure(dashboard, await pathOfPage(dashboard, list.path, page))
        rows.push([`${list.label}, page ${page}`, String(result.rows), result.median.toFixed(1), result.p95.toFixed(1), result.cpuMedian.toFixed(1)])
      }
    }
    console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} on ${cpus().length} cores`)
    console.log(`| ${provider} | jobs on page | median ms | p95 ms | CPU ms (median) |\n|---|---:|---:|---:|---:|`)
    for (const row of rows) console.log(`| ${row.join(' | ')} |`)
  } finally {
    await database.drop()
  }
}
