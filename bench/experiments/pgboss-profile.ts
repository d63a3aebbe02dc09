// Where does a pg-boss fetch/complete loop spend its time? (diagnostic, not part of npm run bench)
import PgBoss from 'pg-boss'
import { createBenchDatabase } from '../lib/databases.js'
import { pgBossOptions } from '../peers/pg-boss.js'
const db = await createBenchDatabase('postgresql', 'pgboss_profile')
const boss = new PgBoss(pgBossOptions(db.url, { max: 4 }))
await boss.start(); await boss.createQueue('q')
await boss.insert(Array.from({ length: 2000 }, () => ({ name: 'q', data: {} })))
let f = 0, c = 0
for (let i = 0; i < 500; i++) {
  let t = performance.now(); const [job] = await boss.fetch('q', { batchSize: 1 }); f += performance.now() - t
  t = performance.now(); await boss.complete('q', job.id); c += performance.now() - t
}
console.log('fetch ms/job', f / 500, 'complete ms/job', c / 500)
await boss.stop({ graceful: false, wait: true }); await db.drop()
