/**
 * Client CPU per job of the worker's finish-and-find statement run through
 * the app's Prisma client (no `pg` option), one job at a time in one process,
 * for several ways of sending it. process.cpuUsage (user + system) of this
 * process, so neighbours barely move it; variants interleaved, median of rounds.
 *
 *   tsx bench/experiments/prisma-raw-cpu.ts [jobs=3000] [rounds=3] [variants=a,b,…]
 */
import pg from 'pg'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'

const [jobs = 3000, rounds = 3] = process.argv.slice(2, 4).map(Number)
await generateTestClients()
const database = await createTestDatabase('postgresql')
process.env.BENCH_PROVIDER = 'postgresql'
process.env.BENCH_DB_URL = database.url
process.env.BENCH_WITHOUT_PG = '1'
const { finishAndFindPostgresql } = await import('../../src/runtime/adapters/prisma/sql/finish-and-find-postgresql.js')
const { resolveJobTable } = await import('../../src/runtime/adapters/prisma/job-table.js')
const { prismaQuery } = await import('../../src/runtime/adapters/prisma/sql/run-query.js')
const { db } = (await import('../jobs-kit/app/lib/db.js')) as { db: any }
const table = resolveJobTable(db, 'BackgroundJob', 'postgresql')
const client = new pg.Client({ connectionString: database.url })
await client.connect()
await db.$queryRawUnsafe('SELECT 1')

async function fill() {
  await client.query('DELETE FROM "BackgroundJob"')
  await client.query(`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', 'default', 50, now() - interval '1 hour' + (g || ' ms')::interval, now(), now() FROM generate_series(1, ${jobs}) g`)
  await client.query('VACUUM ANALYZE "BackgroundJob"')
}
const startedAt = new Date()
const filter = () => ({ now: new Date(), staleBefore: new Date(Date.now() - 60_000), processName: 'me', takeBackLockedBefore: startedAt, queues: '*' as const })
type Step = (finished: number) => Promise<number | undefined>
const viaRunQuery = (query: any, returning: 'columns' | 'json' = 'columns'): Step => async (id) =>
  (await finishAndFindPostgresql(query, table, [id], filter(), 1, returning))[0]?.id

const variants: Record<string, Step> = {
  queryRawUnsafe: viaRunQuery(prismaQuery(db)),
  // What the adapter runs without the `pg` option.
  queryRawUnsafeJson: viaRunQuery(prismaQuery(db), 'json'),
  // The same with the statement's whitespace collapsed (a shorter text to pass through Prisma and send).
  queryRawUnsafeJsonCompact: viaRunQuery(async (sql: string, values: unknown[]) => prismaQuery(db)(sql.replace(/\s+/g, ' ').trim(), values), 'json'),
  // Lower bound: the same statement on a plain pg client, unnamed.
  executeRawUnsafe: async (id) => {
    // No rows back: what decoding the result costs (finds nothing useful: for comparison only).
    const { sql, values } = statement(id)
    await db.$executeRawUnsafe(sql, ...values)
    return id === -1 ? -2 : nextId(id)
  },
  fewerParams: async (id) => {
    const f = filter()
    const rows = await db.$queryRawUnsafe(FEWER, [id], f.now, f.staleBefore, f.processName, f.takeBackLockedBefore, 1)
    return (rows as any[])[0]?.id
  },
  fewerParamsJson: async (id) => {
    const f = filter()
    const rows = await db.$queryRawUnsafe(FEWER_JSON, [id], f.now, f.staleBefore, f.processName, f.takeBackLockedBefore, 1)
    return rows[0] ? JSON.parse((rows as any[])[0].j).id : undefined
  },
  select1: async (id) => {
    await db.$queryRawUnsafe('SELECT 1')
    return id === -1 ? -2 : nextId(id)
  },
  pgSelect1: async (id) => {
    await client.query('SELECT 1')
    return id === -1 ? -2 : nextId(id)
  },
  pgUnnamed: viaRunQuery(async (text: string, values: unknown[]) => (await client.query({ text, values })).rows),
}
// Fixed-length loops for the variants that find nothing.
let fixedLeft = 0
function nextId(id: number): number | undefined { return --fixedLeft > 0 ? id : undefined }
function statement(id: number) {
  let out: any
  void finishAndFindPostgresql(async (sql: string, values: unknown[]) => { out = { sql: sql.replace('RETURNING job.*', 'RETURNING job.id'), values }; return [] }, table, [id], filter(), 1)
  return out as { sql: string; values: unknown[] }
}
const FEWER_BODY = `WITH finished AS (DELETE FROM "BackgroundJob" WHERE id = ANY($1::int[])),
    due AS (
      SELECT id FROM "BackgroundJob"
      WHERE "runAt" <= $2 AND "failedAt" IS NULL AND ("lockedAt" IS NULL OR "lockedAt" < $3 OR ("lockedBy" = $4 AND "lockedAt" < $5)) AND id <> ALL($1::int[])
      ORDER BY priority ASC, "runAt" ASC, id ASC
      LIMIT $6
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "BackgroundJob" AS job
    SET attempts = job.attempts + 1, "lockedAt" = $2, "lockedBy" = $4, "updatedAt" = $2
    FROM due WHERE job.id = due.id`
const FEWER = FEWER_BODY + ' RETURNING job.*'
const FEWER_JSON = FEWER_BODY + ' RETURNING row_to_json(job.*)::text AS j'
const pick = process.argv[4]?.split(',')
const results = new Map<string, number[]>()
for (let round = 0; round < rounds; round++) {
  for (const [label, step] of Object.entries(variants)) {
    if (pick && !pick.includes(label)) continue
    await fill()
    fixedLeft = jobs
    let id = await step(-1)
    const me0 = process.cpuUsage()
    const t0 = performance.now()
    let n = 0
    while (id !== undefined) {
      id = await step(id)
      n++
    }
    const ms = performance.now() - t0
    const me = process.cpuUsage(me0)
    const cpu = (me.user + me.system) / 1000 / n
    results.set(label, [...(results.get(label) ?? []), cpu])
    console.log(`${label.padEnd(16)} ${n} jobs: ${((n / ms) * 1000).toFixed(0)} jobs/s, client ${cpu.toFixed(3)} ms/job`)
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
for (const [label, xs] of results) console.log(`median ${label.padEnd(16)} ${median(xs).toFixed(3)} ms/job`)
await client.end()
await db.$disconnect()
await database.drop()
process.exit(0)
