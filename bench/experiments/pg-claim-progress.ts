// Does the raw PostgreSQL claim slow down as deleted rows pile up at the head
// of the index? Prints ms per claim+delete for each block of 500 (diagnostic).
import pg from 'pg'
import { readMigrationSql } from '../../test/support/prisma-clients.js'
import { PG_CLAIM, PG_DELETE, STALE_MS } from '../ceiling/claim-sql.js'
import { createBenchDatabase } from '../lib/databases.js'

const db = await createBenchDatabase('postgresql', 'claimprogress')
const client = new pg.Client({ connectionString: db.url })
await client.connect()
await client.query(readMigrationSql('postgresql', 'default'))
await client.query(`insert into "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt")
    select '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', 'default', 50, now() - interval '1 hour' + i * interval '1 ms', now(), now() from generate_series(1, 5000) i`)
if (process.argv[2] === 'analyze') await client.query('analyze "BackgroundJob"')
const me = 'host:me'
const blocks: string[] = []
for (let b = 0; b < 8; b++) {
  const t = performance.now()
  for (let i = 0; i < 500; i++) {
    const now = new Date()
    const { rows } = await client.query({ name: 'claim', text: PG_CLAIM, values: [now, new Date(now.getTime() - STALE_MS), me] })
    await client.query({ name: 'del', text: PG_DELETE, values: [rows[0].id] })
  }
  blocks.push(((performance.now() - t) / 500).toFixed(2))
}
console.log(process.argv[2] ?? 'no analyze', 'ms per job by block of 500:', blocks.join(' '))
await client.end(); await db.drop()
