/**
 * Why does pg-boss's fetch slow down with a long queue? EXPLAIN ANALYZE of its
 * next-job CTE with 20,000 created jobs, with and without ANALYZE. (diagnostic)
 */
import PgBoss from 'pg-boss'
import pg from 'pg'
import { createBenchDatabase } from '../lib/databases.js'
import { pgBossOptions } from '../peers/pg-boss.js'

const db = await createBenchDatabase('postgresql', 'pgboss_plan')
const boss = new PgBoss(pgBossOptions(db.url, { max: 2 }))
await boss.start()
await boss.createQueue('q')
for (let i = 0; i < 4; i++) await boss.insert(Array.from({ length: 5000 }, () => ({ name: 'q', data: {} })))
const client = new pg.Client({ connectionString: db.url })
await client.connect()
const sql = `EXPLAIN ANALYZE SELECT id FROM pgboss.job WHERE name = 'q' AND state < 'active' AND start_after < now() ORDER BY priority desc, created_on, id LIMIT 1 FOR UPDATE SKIP LOCKED`
for (const label of ['before ANALYZE', 'after ANALYZE']) {
  if (label === 'after ANALYZE') await client.query('analyze pgboss.job')
  const { rows } = await client.query(sql)
  console.log(`--- ${label}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`)
}
await client.end()
await boss.stop({ graceful: false, wait: true })
await db.drop()
