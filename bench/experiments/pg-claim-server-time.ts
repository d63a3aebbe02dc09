/**
 * Server time of one claim, one connection, 20,000 due jobs: jobs-kit's
 * finish-and-find (the `pg` pool's path: a named, prepared statement) against
 * graphile-worker 0.17's get_job + complete_job texts on its own schema.
 * Wall time per job over a loop (no other client on these tables), and
 * EXPLAIN (ANALYZE, BUFFERS) of one execution after the loop has run a while
 * (so a prepared statement is on its generic plan if PostgreSQL picked one).
 *
 *   tsx bench/experiments/pg-claim-server-time.ts [jobs=20000] [loop=3000]
 */
import { loadavg } from 'node:os'
import { makeWorkerUtils, runMigrations } from 'graphile-worker'
import pg from 'pg'
import { readMigrationSql } from '../../test/support/prisma-clients.js'
import { SqlParameters } from '../../src/runtime/adapters/prisma/sql/dialect.js'
import { claimDueJobsSql } from '../../src/runtime/adapters/prisma/sql/find-postgresql.js'
import { createBenchDatabase } from '../lib/databases.js'

const [JOBS = 20000, LOOP = 3000] = process.argv.slice(2).map(Number)
const variant = process.argv[4] ?? 'current'
const jkDb = await createBenchDatabase('postgresql', 'claimtime_jk')
const gwDb = await createBenchDatabase('postgresql', 'claimtime_gw')
const jk = new pg.Client({ connectionString: jkDb.url })
await jk.connect()
await jk.query(readMigrationSql('postgresql', 'default'))
const table: any = { table: '"BackgroundJob"', column: new Proxy({}, { get: (_, k) => `"${String(k)}"` }) }

async function fillJk() {
  await jk.query('DELETE FROM "BackgroundJob"')
  await jk.query('VACUUM ANALYZE "BackgroundJob"')
  // As the bench fills: each row its own runAt, in the past.
  await jk.query(`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt")
    SELECT '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', 'default', 50, now() - interval '1 hour' + g * interval '1 ms', now(), now() FROM generate_series(1, $1::int) g`, [JOBS])
  await jk.query('ANALYZE "BackgroundJob"')
}

function finishAndFind(finished: number[], named: boolean) {
  const p = new SqlParameters('postgresql')
  const now = new Date()
  const fin = `finished AS (DELETE FROM "BackgroundJob" WHERE "id" = ANY(${p.add(finished)})),`
  const sql = claimDueJobsSql(table, p, { now, staleBefore: new Date(now.getTime() - 3600e3), processName: 'host:me', takeBackLockedBefore: new Date(now.getTime() - 60_000), queues: '*', excludeIds: finished }, 1, fin, 'columns')
  const values = p.values.map((v) => (v instanceof Date ? v.toISOString().slice(0, -1) : v))
  return { text: sql, values, ...(named ? { name: finished.length ? 'ff1' : 'ff0' } : {}) }
}

async function loopJk(label: string, named: boolean) {
  await fillJk()
  let last: number[] = []
  const t = performance.now()
  for (let i = 0; i < LOOP; i++) {
    const { rows } = await jk.query(finishAndFind(last, named))
    last = rows.map((r) => r.id)
  }
  const ms = (performance.now() - t) / LOOP
  // The plan it runs now: EXPLAIN of the same text through SQL-level PREPARE, run 6 times first (generic plan from the 6th).
  const q = finishAndFind(last, false)
  await jk.query(`PREPARE ffx AS ${q.text}`).catch(() => {})
  const lit = (v: unknown) => (Array.isArray(v) ? `'{${v.join(',')}}'` : typeof v === 'number' ? String(v) : `'${v}'`)
  for (let i = 0; i < 6; i++) await jk.query(`EXECUTE ffx(${finishAndFind(last, false).values.map(lit).join(', ')})`).then(({ rows }: any) => (last = rows.map((r: any) => r.id)))
  const plan = await jk.query(`EXPLAIN (ANALYZE, BUFFERS) ${named ? `EXECUTE ffx(${finishAndFind(last, false).values.map(lit).join(', ')})` : finishAndFind(last, false).text.replace(/\$(\d+)/g, (_, n) => lit(finishAndFind(last, false).values[Number(n) - 1]))}`)
  await jk.query('DEALLOCATE ffx')
  console.log(`jobs-kit finish-and-find ${label}: ${ms.toFixed(3)} ms/job (wall, 1 connection); load ${loadavg()[0].toFixed(2)}`)
  console.log(plan.rows.map((r) => '    ' + r['QUERY PLAN']).join('\n'))
}

await runMigrations({ connectionString: gwDb.url, logger: undefined as any })
const gwPool = new pg.Pool({ connectionString: gwDb.url, max: 2 })
gwPool.on('error', () => {})
const utils = await makeWorkerUtils({ pgPool: gwPool })
const gw = new pg.Client({ connectionString: gwDb.url })
await gw.connect()
async function loopGw() {
  await gw.query('DELETE FROM graphile_worker._private_jobs')
  await gw.query('VACUUM ANALYZE graphile_worker._private_jobs')
  for (let o = 0; o < JOBS; o += 5000) await utils.addJobs(Array.from({ length: Math.min(5000, JOBS - o) }, () => ({ identifier: 'noop', payload: {} })))
  await gw.query('ANALYZE graphile_worker._private_jobs')
  const taskIds = (await gw.query(`select id from graphile_worker._private_tasks where identifier = 'noop'`)).rows.map((r) => r.id)
  const getJob = `with j as (select jobs.job_queue_id, jobs.priority, jobs.run_at, jobs.id from graphile_worker._private_jobs as jobs where jobs.is_available = true and run_at <= now() and task_id = any($2::int[]) and (jobs.job_queue_id is null or jobs.job_queue_id in (select id from graphile_worker._private_job_queues as job_queues where job_queues.is_available = true for update skip locked)) order by priority asc, run_at asc limit 1 for update skip locked), q as (update graphile_worker._private_job_queues as job_queues set locked_by = $1::text, locked_at = now() from j where job_queues.id = j.job_queue_id) update graphile_worker._private_jobs as jobs set attempts = jobs.attempts + 1, locked_by = $1::text, locked_at = now() from j where jobs.id = j.id returning *`
  const t = performance.now()
  for (let i = 0; i < LOOP; i++) {
    const { rows } = await gw.query({ name: 'get_job', text: getJob, values: ['pool-me', taskIds] })
    await gw.query({ name: 'complete_job', text: 'delete from graphile_worker._private_jobs as jobs where id = $1::bigint', values: [rows[0].id] })
  }
  const ms = (performance.now() - t) / LOOP
  const plan = await gw.query(`EXPLAIN (ANALYZE, BUFFERS) ${getJob.replace('$2::int[]', `'{${taskIds.join(',')}}'::int[]`).replace(/\$1/g, `'pool-me'`)}`)
  console.log(`graphile-worker get_job + complete_job: ${ms.toFixed(3)} ms/job (wall, 1 connection, 2 statements); load ${loadavg()[0].toFixed(2)}`)
  console.log(plan.rows.map((r) => '    ' + r['QUERY PLAN']).join('\n'))
}

for (let round = 0; round < 2; round++) {
  await loopGw()
  await loopJk('named (as the pg pool sends it)', true)
  await loopJk('unnamed', false)
}
await utils.release(); await gwPool.end(); await gw.end(); await jk.end()
await jkDb.drop(); await gwDb.drop()
