/**
 * The adapter orders due jobs by (priority, runAt, id); the shipped index is
 * (priority, runAt). On PostgreSQL, jobs that share a runAt (scheduled with
 * the same waitUntil, or in one bulk insert) must then be sorted by id on
 * every claim. Times the raw claim + delete on 5,000 due rows in groups of
 * 1,000 sharing a runAt, with the shipped index and with (priority, runAt, id)
 * added. (diagnostic)
 */
import pg from 'pg'
import { readFileSync } from 'node:fs'
import { PG_CLAIM, PG_DELETE, STALE_MS } from '../ceiling/claim-sql.js'
import { createBenchDatabase } from '../lib/databases.js'

const db = await createBenchDatabase('postgresql', 'orderindex')
const client = new pg.Client({ connectionString: db.url })
await client.connect()
// The table as setup wrote it before the indexes ended in id (the experiment adds or swaps in the id index).
await client.query(readFileSync('templates/schema/migrations/previous-indexes/postgresql.sql', 'utf8'))

async function run(label: string, statement: string) {
  await client.query(`insert into "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt")
    select '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', 'default', 50, date_trunc('second', now()) - interval '1 hour' + (i / 1000) * interval '1 ms', now(), now() from generate_series(0, 4999) i`)
  await client.query('analyze "BackgroundJob"')
  const started = performance.now()
  for (let i = 0; i < 2000; i++) {
    const now = new Date()
    const { rows } = await client.query({ name: `claim-${statement}`, text: PG_CLAIM, values: [now, new Date(now.getTime() - STALE_MS), 'me'] })
    await client.query({ name: `del-${statement}`, text: PG_DELETE, values: [rows[0].id] })
  }
  console.log(`${label}: ${((performance.now() - started) / 2000).toFixed(3)} ms per claim + delete`)
  await client.query('delete from "BackgroundJob"')
  await client.query('vacuum "BackgroundJob"')
}
await run('index (priority, runAt)', 'a')
await client.query('create index "BackgroundJob_priority_runAt_id_idx" on "BackgroundJob" (priority, "runAt", id)')
await run('index (priority, runAt, id) added', 'b')
await client.end()
await db.drop()
