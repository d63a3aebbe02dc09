/**
 * Where a jobs-kit job's time goes, per database, in one process (no worker
 * processes): scheduling through the raw driver vs Prisma create vs later(),
 * and the worker's two queries (find + success) one job at a time vs ten at a
 * time. Diagnostic for docs/benchmarks.md "Findings".
 *
 *   tsx bench/experiments/jobs-kit-costs.ts postgresql|mysql|sqlite [jobs] [wal]
 *
 * `wal` (SQLite): switch the file to journal_mode=WAL first, as an app could.
 */
import { hostname } from 'node:os'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import type { Provider } from '../lib/databases.js'
import { nowMs } from '../lib/stats.js'

const provider = (process.argv[2] ?? 'postgresql') as Provider
const jobs = Number(process.argv[3] ?? 1000)
await generateTestClients()
const database = await createTestDatabase(provider)
process.env.BENCH_PROVIDER = provider
process.env.BENCH_DB_URL = database.url
const { later, jobs: manager } = await import('../jobs-kit/app/lib/jobs.js')
const { db } = await import('../jobs-kit/app/lib/db.js')
const { NoopJob } = await import('../jobs-kit/app/jobs/bench-jobs.js')
const adapter = manager.adapters.prisma
if (provider === 'sqlite' && process.argv[4] === 'wal') console.log('sqlite journal_mode:', await db.$queryRawUnsafe('PRAGMA journal_mode = WAL'))
if (provider === 'postgresql') {
  const pg = (await import('pg')).default
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  await timeIt('SELECT 1 through the pg driver', 300, () => client.query('SELECT 1'))
  await client.end()
}
const q = (n: string) => (provider === 'mysql' ? `\`${n}\`` : `"${n}"`)
const table = q('BackgroundJob')

async function timeIt(label: string, count: number, body: (i: number) => Promise<unknown>): Promise<number> {
  const started = nowMs()
  for (let i = 0; i < count; i++) await body(i)
  const ms = (nowMs() - started) / count
  console.log(`${provider} ${label}: ${ms.toFixed(3)} ms per call`)
  return ms
}
const clear = () => db.$executeRawUnsafe(`DELETE FROM ${table}`)
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
const p = (i: number) => (provider === 'postgresql' ? `$${i}` : '?')

// Scheduling: the same row three ways.
await timeIt('SELECT 1 through Prisma ($queryRawUnsafe)', 300, () => db.$queryRawUnsafe('SELECT 1'))
await timeIt('INSERT through Prisma ($executeRawUnsafe)', jobs, () =>
  db.$executeRawUnsafe(`INSERT INTO ${table} (${['handler', 'queue', 'priority', 'runAt', 'updatedAt'].map(q).join(', ')}) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`, handler, 'default', 50, new Date(), new Date()),
)
await clear()
await timeIt('backgroundJob.create (model API)', jobs, () =>
  db.backgroundJob.create({ data: { handler, queue: 'default', priority: 50, runAt: new Date() }, select: { id: true } }),
)
await clear()
await timeIt('later(NoopJob)', jobs, () => later(NoopJob, []))

// Working: find + success, 1 at a time and 10 at a time.
await db.$executeRawUnsafe(provider === 'mysql' ? 'ANALYZE TABLE `BackgroundJob`' : 'ANALYZE "BackgroundJob"')
const me = `${hostname()}:experiment`
const findMs = await timeIt('adapter.find limit 1', jobs / 2, async () => {
  const [job] = await adapter.find({ processName: me, staleAfterSeconds: 60, queues: '*', limit: 1 })
  await adapter.success({ job, deleteJob: true })
})
void findMs
const remainingJobs = Number(((await db.$queryRawUnsafe(`SELECT count(*) AS n FROM ${table}`)) as { n: unknown }[])[0].n)
let foundPerCall = 0
await timeIt('adapter.find limit 10 + success each (per find)', Math.floor(remainingJobs / 20), async () => {
  const found = await adapter.find({ processName: me, staleAfterSeconds: 60, queues: '*', limit: 10 })
  foundPerCall = found.length
  for (const job of found) await adapter.success({ job, deleteJob: true })
})
console.log(`  (${foundPerCall} jobs per find)`)
await timeIt('adapter.find limit 10 + one deleteMany (per find)', Math.floor(remainingJobs / 20), async () => {
  const found = await adapter.find({ processName: me, staleAfterSeconds: 60, queues: '*', limit: 10 })
  for (const job of found) (adapter as any).release?.(job)
  await db.backgroundJob.deleteMany({ where: { id: { in: found.map((job: { id: number }) => job.id) } } })
})
await db.$disconnect()
await database.drop()
