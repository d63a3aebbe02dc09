// Why is the raw PostgreSQL claim slower than graphile-worker's get_job?
// Times claim+delete pairs in one process with variants of the statement (diagnostic).
import pg from 'pg'
import { readMigrationSql } from '../../test/support/prisma-clients.js'
import { PG_CLAIM, PG_DELETE, STALE_MS } from '../ceiling/claim-sql.js'
import { createBenchDatabase } from '../lib/databases.js'

const db = await createBenchDatabase('postgresql', 'claimplans')
const client = new pg.Client({ connectionString: db.url })
await client.connect()
await client.query(readMigrationSql('postgresql', 'default'))
const fill = (n: number) =>
  client.query(`insert into "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt")
    select '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', 'default', 50, now() - interval '1 hour' + i * interval '1 ms', now(), now() from generate_series(1, $1::int) i`, [n])

async function time(label: string, claim: () => Promise<any>, analyzeAfterFill = true) {
  await client.query('delete from "BackgroundJob"'); await client.query('vacuum analyze "BackgroundJob"')
  await fill(5000)
  if (analyzeAfterFill) await client.query('analyze "BackgroundJob"')
  const t = performance.now()
  for (let i = 0; i < 2000; i++) {
    const { rows } = await claim()
    await client.query({ name: 'del', text: PG_DELETE, values: [rows[0].id] })
  }
  console.log(label, ((performance.now() - t) / 2000).toFixed(3), 'ms/job')
}
const me = 'host:me'
const values = () => { const now = new Date(); return [now, new Date(now.getTime() - STALE_MS), me] }
await time('unnamed, stats from the empty table (no analyze after the insert)', () => client.query(PG_CLAIM, values()), false)
await time('named (prepared)', () => client.query({ name: 'claim', text: PG_CLAIM, values: values() }))
await time('unnamed', () => client.query(PG_CLAIM, values()))
const noId = PG_CLAIM.replace(', "id" ASC', '')
await time('unnamed, no id tiebreak', () => client.query(noId, values()))
await time('named, no id tiebreak', () => client.query({ name: 'claim2', text: noId, values: values() }))
await fill(3000)
const explain = await client.query('explain analyze ' + PG_CLAIM.replace(/\$1/g, 'now()').replace(/\$2/g, "now() - interval '4 hours'").replace(/\$3/g, `'${me}'`))
console.log(explain.rows.map((r) => r['QUERY PLAN']).join('\n'))
await client.end(); await db.drop()
