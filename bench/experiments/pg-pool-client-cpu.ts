/**
 * Client CPU per job of the worker's finish-and-find through the `pg` pool
 * path (pgPoolQuery with prepared statement names, as the adapter runs it),
 * one process, one connection, claim one job per statement: rows returned as
 * columns vs as one JSON text, and a pool opened as the adapter opens it
 * (`allowExitOnIdle`) vs without it. CPU of this process (process.cpuUsage), which
 * other load moves far less than wall time. Interleaved rounds.
 *
 *   tsx bench/experiments/pg-pool-client-cpu.ts [jobs=3000] [rounds=4]
 */
import { loadavg } from 'node:os'
import pg from 'pg'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { pgPoolQuery, PreparedStatementNames } from '../../src/runtime/adapters/prisma/pg-pool.js'
import { finishAndFindPostgresql } from '../../src/runtime/adapters/prisma/sql/finish-and-find-postgresql.js'
import { resolveJobTable } from '../../src/runtime/adapters/prisma/job-table.js'
import type { ClaimedRows } from '../../src/runtime/adapters/prisma/sql/find-postgresql.js'

const [jobs = 3000, rounds = 4] = process.argv.slice(2).map(Number)
await generateTestClients()
const database = await createTestDatabase('postgresql')
const table = resolveJobTable(database.db as any, 'BackgroundJob', 'postgresql')
// The adapter opens its pool with allowExitOnIdle (pg-pool.ts): pg-pool then unrefs the socket at every release.
const pools = { exitOnIdle: new pg.Pool({ connectionString: database.url, max: 1, allowExitOnIdle: true }), plain: new pg.Pool({ connectionString: database.url, max: 1 }) }
const admin = new pg.Client({ connectionString: database.url })
await admin.connect()

async function fill() {
  await admin.query('DELETE FROM "BackgroundJob"')
  await admin.query(`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', 'default', 50, now() - interval '1 hour' + (g || ' ms')::interval, now(), now() FROM generate_series(1, ${jobs + 200}) g`)
  await admin.query('VACUUM ANALYZE "BackgroundJob"')
}

async function loop(returning: ClaimedRows, poolName: keyof typeof pools = 'exitOnIdle'): Promise<string> {
  const pool = pools[poolName]
  await fill()
  const query = pgPoolQuery(pool as any, new PreparedStatementNames())
  const startedAt = new Date()
  const filter = () => ({ now: new Date(), staleBefore: new Date(Date.now() - 3600e3), processName: 'host:1', takeBackLockedBefore: startedAt, queues: '*' as const })
  let last = (await finishAndFindPostgresql(query, table, [], filter(), 1, returning)).map((j) => j.id)
  for (let i = 0; i < 100; i++) last = (await finishAndFindPostgresql(query, table, last, filter(), 1, returning)).map((j) => j.id)
  const cpu = process.cpuUsage()
  const t = performance.now()
  for (let i = 0; i < jobs; i++) last = (await finishAndFindPostgresql(query, table, last, filter(), 1, returning)).map((j) => j.id)
  const used = process.cpuUsage(cpu)
  return `${returning.padEnd(8)} ${poolName.padEnd(10)} client CPU ${((used.user + used.system) / 1000 / jobs).toFixed(4)} ms/job, wall ${((performance.now() - t) / jobs).toFixed(3)} ms/job`
}

for (let round = 0; round < rounds; round++) {
  for (const [returning, poolName] of [['columns', 'exitOnIdle'], ['columns', 'plain'], ['json', 'exitOnIdle']] as const) {
    console.log(`${await loop(returning, poolName)}; load ${loadavg()[0].toFixed(2)}`)
  }
}
await pools.exitOnIdle.end(); await pools.plain.end(); await admin.end(); await database.drop()
process.exit(0)
