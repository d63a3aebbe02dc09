/**
 * What running each of the worker's writes as a transaction of its own costs on SQLite through Prisma
 * (`src/runtime/adapters/prisma/sqlite-own-transactions.ts`): the calls a concurrency-1 worker makes per
 * job (`successAndFind` with the next find, deleting), without the worker, on a WAL file, with the
 * adapter's writes in their own transactions and, for comparison, with the client as it was before
 * (each statement sent as it is, which runs inside any transaction the app has open). Also `schedule`.
 * CPU of this process per call (process.cpuUsage), median of several rounds, variants alternating.
 *
 *   tsx bench/experiments/sqlite-own-transactions.ts [jobs=2000] [rounds=5]
 *
 * 2026-12-03, 2,000 jobs, 5 rounds, shared 2-core machine at load 11–17 (median CPU ms):
 *   statements as they are: successAndFind 0.51–0.57 per job, schedule 0.32–0.40 per call
 *   own transactions:       successAndFind 1.07 (one transaction for delete + claim; 1.15 with one each),
 *                           schedule 0.71–0.72 per call
 * A Prisma interactive transaction costs ~0.3 ms CPU of its own. Workers with `betterSqlite3: true`
 * (what `setup` writes for apps on better-sqlite3) run their statements on their own connection and pay
 * none of it. Tried: `db.$transaction([op])` costs almost nothing more than `op`, because Prisma runs a
 * batch of one without a transaction, so it still runs inside the app's open one (checked: lost on rollback).
 */
import { hostname } from 'node:os'
import { PrismaAdapter } from '../../src/runtime/index.js'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'

const N = Number(process.argv[2] ?? 2000)
const rounds = Number(process.argv[3] ?? 5)
await generateTestClients()
const database = await createTestDatabase('sqlite')
await database.db.$queryRawUnsafe('PRAGMA journal_mode = WAL')
const db = await database.newClient() // opens the file in WAL, as a worker's
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
const me = `${hostname()}:loop`
const next = { processName: me, staleAfterSeconds: 60, queues: '*' as const, limit: 1, workerStartedAt: new Date() }
const variants = ['statements as they are', 'own transactions'] as const
const loop: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]))
const schedule: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]))

function adapterFor(variant: (typeof variants)[number]): PrismaAdapter {
  const adapter = new PrismaAdapter({ db, watchSqliteFile: false })
  // Before: the adapter used the app's client as it is.
  if (variant === 'statements as they are') Object.assign(adapter, { db, schedulingDb: db })
  return adapter
}

for (let round = 0; round < rounds; round++) {
  for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
    const adapter = adapterFor(variant)
    let before = process.cpuUsage()
    for (let i = 0; i < N; i++) await adapter.schedule({ handler: JSON.parse(handler), queue: 'default', priority: 50, runAt: new Date(Date.now() - 3_600_000 + i) })
    let cpu = process.cpuUsage(before)
    schedule[variant]!.push((cpu.user + cpu.system) / 1000 / N)
    let jobs = await adapter.find(next)
    before = process.cpuUsage()
    let done = 0
    while (jobs.length > 0) {
      done += jobs.length
      jobs = await adapter.successAndFind({ jobs, deleteJob: true, next })
    }
    cpu = process.cpuUsage(before)
    loop[variant]!.push((cpu.user + cpu.system) / 1000 / done)
    await adapter.close()
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const show = (xs: number[]) => `${median(xs).toFixed(3)}  [${xs.map((x) => x.toFixed(3)).join(', ')}]`
for (const variant of variants) {
  console.log(`${variant}: successAndFind ${show(loop[variant]!)} CPU ms/job; schedule ${show(schedule[variant]!)} CPU ms/call`)
}
await database.drop()
process.exit(0)
