/**
 * Does jobs-kit's SQLite find slow down with the queue's length? Times
 * adapter.find + success with 2,000 and 20,000 due rows, with and without
 * ANALYZE, and prints SQLite's plan for the adapter's statement. (diagnostic)
 */
import Database from 'better-sqlite3'
import { hostname } from 'node:os'
import { PrismaAdapter } from '../../src/runtime/index.js'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { NOOP_HANDLER } from '../ceiling/claim-sql.js'

await generateTestClients()
for (const rows of [2000, 20_000]) {
  for (const analyze of [false, true]) {
    const database = await createTestDatabase('sqlite')
    const file = database.url.replace(/^file:/, '')
    const raw = new Database(file)
    const insert = raw.prepare('INSERT INTO "BackgroundJob" ("handler", "queue", "priority", "runAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)')
    const base = Date.now() - 3_600_000
    raw.transaction(() => { for (let i = 0; i < rows; i++) insert.run(NOOP_HANDLER, 'default', 50, new Date(base + i).toISOString(), new Date().toISOString(), new Date().toISOString()) })()
    if (analyze) raw.exec('ANALYZE')
    const now = new Date().toISOString()
    const plan = raw.prepare(`EXPLAIN QUERY PLAN UPDATE "BackgroundJob" SET "attempts" = "attempts" + 1, "lockedAt" = ?, "lockedBy" = ?, "updatedAt" = ? WHERE "id" IN (SELECT "id" FROM "BackgroundJob" WHERE ("runAt" IS NULL OR "runAt" <= ?) AND "failedAt" IS NULL AND ("lockedAt" IS NULL OR "lockedAt" < ? OR "lockedBy" = ?) ORDER BY "priority" ASC, "runAt" ASC, "id" ASC LIMIT ?) RETURNING *`).all(now, 'me', now, now, now, 'me', 1) as { detail: string }[]
    raw.close()
    const adapter = new PrismaAdapter({ db: database.db })
    const me = `${hostname()}:scale`
    const started = performance.now()
    for (let i = 0; i < 300; i++) {
      const [job] = await adapter.find({ processName: me, staleAfterSeconds: 60, queues: '*', limit: 1 })
      await adapter.success({ job, deleteJob: true })
    }
    console.log(`${rows} rows, ${analyze ? 'ANALYZE' : 'no ANALYZE'}: ${((performance.now() - started) / 300).toFixed(2)} ms per find + success; plan: ${plan.map((p) => p.detail).join(' | ')}`)
    await database.drop()
  }
}
