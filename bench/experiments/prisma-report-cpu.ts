/**
 * Client CPU per report without the `pg` option: the Prisma model API
 * (ModelJobReports) vs the same changes as raw PostgreSQL statements run
 * through the client's $queryRawUnsafe (PostgresqlJobReports on prismaQuery).
 * One job locked, its heartbeat renewed and a failed attempt recorded N
 * times; process.cpuUsage, variants interleaved, median of rounds.
 *
 *   tsx bench/experiments/prisma-report-cpu.ts [calls=2000] [rounds=3]
 */
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'

const [calls = 2000, rounds = 3] = process.argv.slice(2, 4).map(Number)
await generateTestClients()
const database = await createTestDatabase('postgresql')
process.env.BENCH_PROVIDER = 'postgresql'
process.env.BENCH_DB_URL = database.url
const { resolveJobTable } = await import('../../src/runtime/adapters/prisma/job-table.js')
const { prismaQuery } = await import('../../src/runtime/adapters/prisma/sql/run-query.js')
const { ModelJobReports } = await import('../../src/runtime/adapters/prisma/model-reports.js')
const { PostgresqlJobReports } = await import('../../src/runtime/adapters/prisma/sql/report-postgresql.js')
const { db } = (await import('../jobs-kit/app/lib/db.js')) as { db: any }
const table = resolveJobTable(db, 'BackgroundJob', 'postgresql')
const reports = {
  model: new ModelJobReports(() => db.backgroundJob),
  raw: new PostgresqlJobReports(async () => prismaQuery(db), async () => prismaQuery(db), () => table),
}
const row = await db.backgroundJob.create({ data: { handler: '{}', queue: 'default', priority: 50, runAt: new Date(), lockedBy: 'me', lockedAt: new Date() } })
const job = { ...row, lockedBy: 'me' }
const results = new Map<string, number[]>()
for (let round = 0; round < rounds; round++) {
  for (const [label, r] of Object.entries(reports)) {
    for (const kind of ['heartbeat', 'retry'] as const) {
      const me0 = process.cpuUsage()
      for (let i = 0; i < calls; i++) {
        if (kind === 'heartbeat') await r.heartbeat([job.id], 'me')
        else {
          // The lock back first (not measured apart: both variants pay it the same).
          await r.report(job, { kind: 'retry', lastError: 'Error: nope', retryAt: new Date() })
        }
      }
      const me = process.cpuUsage(me0)
      const cpu = (me.user + me.system) / 1000 / calls
      const key = `${kind} ${label}`
      results.set(key, [...(results.get(key) ?? []), cpu])
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
for (const [label, xs] of results) console.log(`median ${label.padEnd(16)} ${median(xs).toFixed(3)} ms/call (${xs.map((x) => x.toFixed(3)).join(', ')})`)
await db.$disconnect()
await database.drop()
process.exit(0)
