/**
 * Does an index on (priority, runAt, id) help the find with 20,000 jobs
 * queued? Times 2,000 raw claims + deletes (the ceiling's SQL, which has the
 * adapter's due condition and order) on PostgreSQL, with the shipped
 * (priority, runAt) index and with (priority, runAt, id) in its place, for
 * two shapes of queue: every job its own runAt (the benchmark's rows, and
 * `later()` one at a time) and 1,000 jobs per runAt (a bulk enqueue, or many
 * jobs with the same `waitUntil`). Prints the plan of one claim of each.
 * MySQL/MariaDB and SQLite need no run: their secondary indexes end in the
 * primary key (InnoDB) or rowid (SQLite), so (priority, runAt) is already
 * ordered by id (see templates/schema/README.md for their plans). (diagnostic)
 *
 *   tsx bench/experiments/order-index-20k.ts
 */
import pg from 'pg'
import { readFileSync } from 'node:fs'
import { PG_CLAIM, PG_DELETE, STALE_MS } from '../ceiling/claim-sql.js'
import { createBenchDatabase } from '../lib/databases.js'

const ROWS = 20_000
const CLAIMS = 2_000
const db = await createBenchDatabase('postgresql', 'orderindex20k')
const client = new pg.Client({ connectionString: db.url })
await client.connect()
// The table as setup wrote it before the indexes ended in id (the experiment adds or swaps in the id index).
await client.query(readFileSync('templates/schema/migrations/previous-indexes/postgresql.sql', 'utf8'))

async function fill(jobsPerRunAt: number) {
  await client.query('delete from "BackgroundJob"')
  await client.query('vacuum "BackgroundJob"')
  await client.query(
    `insert into "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt")
     select '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', 'default', 50,
       date_trunc('second', now()) - interval '1 hour' + (i / ${jobsPerRunAt}) * interval '1 ms', now(), now()
     from generate_series(0, ${ROWS - 1}) i`,
  )
  await client.query('analyze "BackgroundJob"')
}

async function time(label: string, jobsPerRunAt: number) {
  await fill(jobsPerRunAt)
  const now = new Date()
  const { rows: plan } = await client.query(`explain (analyze, costs off) ${PG_CLAIM}`, [now, new Date(now.getTime() - STALE_MS), 'plan'])
  await fill(jobsPerRunAt)
  const started = performance.now()
  for (let i = 0; i < CLAIMS; i++) {
    const at = new Date()
    const { rows } = await client.query({ text: PG_CLAIM, values: [at, new Date(at.getTime() - STALE_MS), 'me'] })
    await client.query({ text: PG_DELETE, values: [rows[0].id] })
  }
  const ms = (performance.now() - started) / CLAIMS
  console.log(`${label}, ${jobsPerRunAt === 1 ? 'own runAt each' : `${jobsPerRunAt} jobs per runAt`}: ${ms.toFixed(3)} ms per claim + delete`)
  console.log(plan.map((row) => `    ${row['QUERY PLAN']}`).filter((line) => /Sort|Index|Rows Removed|Execution/.test(line)).join('\n'))
}

for (const jobsPerRunAt of [1, 1000]) await time('index (priority, runAt)', jobsPerRunAt)
await client.query('drop index "BackgroundJob_priority_runAt_idx"')
await client.query('create index "BackgroundJob_priority_runAt_id_idx" on "BackgroundJob" (priority, "runAt", id)')
for (const jobsPerRunAt of [1, 1000]) await time('index (priority, runAt, id)', jobsPerRunAt)
await client.end()
await db.drop()
