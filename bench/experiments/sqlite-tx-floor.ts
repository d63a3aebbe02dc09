/**
 * The SQLite floor of a concurrency-1 worker's statements, through better-sqlite3 alone (no jobs-kit code):
 * CPU per job of the ways to group one job's claim and delete into transactions, on a WAL file
 * (synchronous NORMAL), median of several rounds (process.cpuUsage).
 *
 *   ceiling:        BEGIN IMMEDIATE claim 1 COMMIT; BEGIN IMMEDIATE delete 1 COMMIT (bench/ceiling)
 *   finish+find:    BEGIN IMMEDIATE delete previous, claim 1 RETURNING * COMMIT (the betterSqlite3 option)
 *   batch N:        BEGIN IMMEDIATE delete the N previous, claim N RETURNING * COMMIT (one per N jobs)
 *   delete each, claim N: one delete transaction per job, one claim transaction per N jobs
 *
 *   finish+find, a turn each: finish+find with a setImmediate between transactions, as the worker's loop
 *
 *   tsx bench/experiments/sqlite-tx-floor.ts [jobs=10000] [rounds=5]     (EXTRA=1: a second, idle connection open)
 *
 * 2026-12-03 17:15 UTC, 10,000 jobs, 3 rounds, load 5–11, median CPU µs per job:
 *   ceiling 71.4 · finish+find 51.0 · batch 2 30.8 · batch 4 20.1 · batch 8 14.3 · batch 16 10.5
 *   delete each, claim 4 50.0 · delete each, claim 8 45.9
 * 17:33 UTC, 5,000 jobs, load 14–17: finish+find 60.2 (tight loop) / 78.8 (a turn each); with EXTRA=1 58.2 / 66.2.
 * The commit is the cost: claiming ahead without completing jobs together saves ≤ 10 %; completing N jobs
 * in the transaction that claims the next N divides it by ~N^0.6.
 */
import Database from 'better-sqlite3'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'

const [total = 10_000, rounds = 5] = process.argv.slice(2, 4).map(Number)
await generateTestClients()
const database = await createTestDatabase('sqlite')
const file = database.url.replace(/^file:/, '')
await database.db.$disconnect()
const db = new Database(file)
db.pragma('journal_mode = WAL')
db.close()
const conn = new Database(file) // opens a WAL file: synchronous NORMAL, as a worker's connection
// EXTRA=1: a second connection open on the file, idle after one read, as the app's Prisma client is beside the worker's.
const extra = process.env.EXTRA === '1' ? new Database(file) : undefined
extra?.prepare('SELECT count(*) FROM "BackgroundJob"').get()
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
const insert = conn.prepare(`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") VALUES (?, 'default', 50, ?, ?, ?)`)
const fill = conn.transaction(() => {
  const base = Date.now() - 3_600_000
  for (let i = 0; i < total; i++) {
    const at = new Date(base + i).toISOString().replace('Z', '+00:00')
    insert.run(handler, at, at, at)
  }
})
const DUE = `"runAt" <= ? AND "failedAt" IS NULL AND ("lockedAt" IS NULL OR "lockedAt" < ? OR ("lockedBy" = ? AND "lockedAt" < ?))`
const claimSql = (limit: number) =>
  `UPDATE "BackgroundJob" SET "attempts" = "attempts" + 1, "lockedAt" = ?, "lockedBy" = ?, "updatedAt" = ? ` +
  `WHERE "id" IN (SELECT "id" FROM "BackgroundJob" WHERE ${DUE} ORDER BY "priority" ASC, "runAt" ASC, "id" ASC LIMIT ${limit}) RETURNING *`
const claims = new Map<number, Database.Statement>()
const claim = (limit: number) => {
  let statement = claims.get(limit)
  if (!statement) claims.set(limit, (statement = conn.prepare(claimSql(limit))))
  const now = new Date().toISOString().replace('Z', '+00:00')
  const stale = new Date(Date.now() - 60_000).toISOString().replace('Z', '+00:00')
  return statement.all(now, 'me', now, now, stale, 'me', now) as { id: number }[]
}
const deletes = new Map<number, Database.Statement>()
const remove = (ids: number[]) => {
  if (ids.length === 0) return
  let statement = deletes.get(ids.length)
  if (!statement) deletes.set(ids.length, (statement = conn.prepare(`DELETE FROM "BackgroundJob" WHERE id IN (${ids.map(() => '?').join(', ')})`)))
  statement.run(...ids)
}
const tx = conn.transaction((fn: () => unknown) => fn())
const immediate = <T>(fn: () => T): T => tx.immediate(fn) as T

const variants: Record<string, () => number> = {
  ceiling: () => {
    let done = 0
    for (;;) {
      const rows = immediate(() => claim(1))
      if (rows.length === 0) return done
      immediate(() => remove([rows[0]!.id]))
      done++
    }
  },
  'finish+find': () => {
    let done = 0
    let rows = immediate(() => claim(1))
    while (rows.length > 0) {
      const ids = rows.map((row) => row.id)
      rows = immediate(() => (remove(ids), claim(1)))
      done += ids.length
    }
    return done
  },
  ...Object.fromEntries(
    [2, 4, 8, 16].map((n) => [
      `batch ${n}`,
      () => {
        let done = 0
        let rows = immediate(() => claim(n))
        while (rows.length > 0) {
          const ids = rows.map((row) => row.id)
          rows = immediate(() => (remove(ids), claim(n)))
          done += ids.length
        }
        return done
      },
    ]),
  ),
  ...Object.fromEntries(
    [4, 8].map((n) => [
      `delete each, claim ${n}`,
      () => {
        let done = 0
        for (;;) {
          const rows = immediate(() => claim(n))
          if (rows.length === 0) return done
          for (const row of rows) immediate(() => remove([row.id])), done++
        }
      },
    ]),
  ),
}
// The same finish+find, but each transaction in its own turn of the event loop (setImmediate), as a worker runs it.
const finishFindAsync = async () => {
  let done = 0
  let rows = immediate(() => claim(1))
  while (rows.length > 0) {
    const ids = rows.map((row) => row.id)
    await new Promise((resolve) => setImmediate(resolve))
    rows = immediate(() => (remove(ids), claim(1)))
    done += ids.length
  }
  return done
}
const results = new Map<string, number[]>()
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
for (let round = 0; round < rounds; round++) {
  {
    fill()
    const before = process.cpuUsage()
    const done = await finishFindAsync()
    const cpu = process.cpuUsage(before)
    results.set('finish+find, a turn each', [...(results.get('finish+find, a turn each') ?? []), (cpu.user + cpu.system) / done])
  }
  for (const [name, run] of Object.entries(variants)) {
    fill()
    const before = process.cpuUsage()
    const done = run()
    const cpu = process.cpuUsage(before)
    if (done !== total) throw new Error(`${name}: ${done} of ${total}`)
    results.set(name, [...(results.get(name) ?? []), (cpu.user + cpu.system) / done])
  }
}
for (const [name, xs] of results) console.log(`${name.padEnd(22)} ${median(xs).toFixed(1).padStart(6)} µs CPU/job  [${xs.map((x) => x.toFixed(1)).join(' ')}]`)
extra?.close()
conn.close()
await database.drop()
process.exit(0)
