/**
 * PostgreSQL backend CPU per claimed job for the worker's finish-and-find
 * statement, run by one pg client in a loop: text as the adapter builds it,
 * unnamed (parsed and planned every time) vs a named prepared statement.
 * CPU time of the backend process (/proc), so other load barely moves it.
 *
 *   tsx bench/experiments/pg-statement-cpu.ts [jobs=5000] [rounds=3]
 */
import pg from 'pg'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { readCpuMs } from '../lib/processes.js'

const [jobs = 5000, rounds = 3] = process.argv.slice(2).map(Number)
await generateTestClients()
const database = await createTestDatabase('postgresql')
process.env.BENCH_PROVIDER = 'postgresql'
process.env.BENCH_DB_URL = database.url
const { jobs: manager } = await import('../jobs-kit/app/lib/jobs.js')
const { finishAndFindPostgresql } = await import('../../src/runtime/adapters/prisma/sql/finish-and-find-postgresql.js')
const { resolveJobTable } = await import('../../src/runtime/adapters/prisma/job-table.js')
const { db } = await import('../jobs-kit/app/lib/db.js')
const table = resolveJobTable(db as any, 'BackgroundJob', 'postgresql')
const client = new pg.Client({ connectionString: database.url })
await client.connect()
const backendPid = Number((await client.query('select pg_backend_pid() as pid')).rows[0].pid)

async function fill() {
  await client.query(`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', 'default', 50, now() - interval '1 hour' + (g || ' ms')::interval, now(), now() FROM generate_series(1, ${jobs}) g`)
  await client.query('VACUUM ANALYZE "BackgroundJob"')
}

const variants: Record<string, (name: string) => (sql: string, values: unknown[]) => Promise<any[]>> = {
  unnamed: () => async (text, values) => (await client.query({ text, values: values.map((v) => (v instanceof Date ? v.toISOString() : v)) })).rows,
  named: (prefix) => {
    const names = new Map<string, string>()
    return async (text, values) => {
      let name = names.get(text)
      if (!name) names.set(text, (name = `${prefix}_${names.size}`))
      return (await client.query({ name, text, values: values.map((v) => (v instanceof Date ? v.toISOString() : v)) })).rows
    }
  },
}
const startedAt = new Date()
for (let round = 0; round < rounds; round++) {
  for (const [label, make] of Object.entries(variants)) {
    await fill()
    const query = make(`r${round}`)
    const filter = () => ({ now: new Date(), staleBefore: new Date(Date.now() - 60_000), processName: 'me', takeBackLockedBefore: startedAt, queues: '*' as const })
    let [job] = await finishAndFindPostgresql(query, table, [-1], filter(), 1)
    const cpu0 = readCpuMs(backendPid)!
    const me0 = process.cpuUsage()
    const t0 = performance.now()
    let n = 0
    while (job) {
      ;[job] = await finishAndFindPostgresql(query, table, [job.id], filter(), 1)
      n++
    }
    const ms = performance.now() - t0
    const me = process.cpuUsage(me0)
    console.log(`${label.padEnd(8)} ${n} jobs: ${(n / ms * 1000).toFixed(0)} jobs/s, backend ${((readCpuMs(backendPid)! - cpu0) / n).toFixed(3)} ms/job, client ${((me.user + me.system) / 1000 / n).toFixed(3)} ms/job`)
  }
}
await client.end()
await db.$disconnect()
await database.drop()
void manager
process.exit(0)
