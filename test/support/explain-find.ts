/**
 * Prints the query plans of the adapter's find query with many waiting jobs,
 * for templates/schema/README.md. Not a test: run it by hand.
 *
 *   npx tsx test/support/explain-find.ts [rows=100000] [waiting|future]
 *
 * `waiting`: every row is due. `future`: every row is scheduled an hour ahead
 * except ten due low-priority (90) rows, the worst case for a priority-first index.
 *
 * Creates throwaway databases (dropped at the end), fills the jobs table and
 * prints EXPLAIN output for PostgreSQL (EXPLAIN ANALYZE, inside a rolled-back
 * transaction), MariaDB (EXPLAIN of the locking SELECT) and SQLite (EXPLAIN
 * QUERY PLAN), using the exact SQL the adapter sends.
 */
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { createTestDatabase, type TestDatabase, type TestPrismaClient, type TestProvider } from './databases.js'
import { generateTestClients } from './prisma-clients.js'

const rowCount = Number(process.argv[2] ?? 100_000)
const scenario = process.argv[3] === 'future' ? 'future' : 'waiting'
const queues = ['default', 'email', 'reports', 'webhooks']

async function fill(database: TestDatabase): Promise<void> {
  const start = Date.now() - rowCount * 10
  const model = database.db[database.model.charAt(0).toLowerCase() + database.model.slice(1)]
  for (let offset = 0; offset < rowCount; offset += 5_000) {
    const rows = Array.from({ length: Math.min(5_000, rowCount - offset) }, (_, i) => ({
      handler: JSON.stringify({ name: 'TestJob', path: 'TestJob/TestJob', args: [offset + i] }),
      queue: queues[(offset + i) % queues.length],
      priority: scenario === 'future' ? (offset + i < 10 ? 90 : 50) : [10, 50, 50, 50, 90][(offset + i) % 5],
      runAt: scenario === 'future' && offset + i >= 10 ? new Date(Date.now() + 3_600_000 + i) : new Date(start + (offset + i) * 10),
    }))
    await model.createMany({ data: rows })
  }
}

/** A client that, instead of running the adapter's statements, prints how the database would run them. */
function explaining(provider: TestProvider, db: TestPrismaClient, plans: string[]): TestPrismaClient {
  const explain = async (sql: string, values: unknown[]) => {
    plans.push(`-- ${sql.replace(/\s+/g, ' ').trim()}`)
    if (provider === 'postgresql') {
      const rows = await db.$queryRawUnsafe<Record<string, string>[]>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, ...values)
      plans.push(...rows.map((row) => row['QUERY PLAN']))
    } else if (provider === 'mysql') {
      const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`EXPLAIN ${sql}`, ...values)
      plans.push(...rows.map((row) => JSON.stringify(row, (_, value) => (typeof value === 'bigint' ? Number(value) : value))))
    } else {
      const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`EXPLAIN QUERY PLAN ${sql}`, ...values)
      plans.push(...rows.map((row) => String(row.detail)))
    }
    return []
  }
  return new Proxy(db, {
    get(target, key) {
      if (key === '$queryRawUnsafe') return (sql: string, ...values: unknown[]) => explain(sql, values)
      if (key === '$executeRawUnsafe') return async () => 0
      if (key === '$transaction') return (fn: (tx: TestPrismaClient) => Promise<unknown>) => fn(explaining(provider, db, plans))
      return Reflect.get(target, key)
    },
  }) as TestPrismaClient
}

async function main(): Promise<void> {
  await generateTestClients()
  for (const provider of ['postgresql', 'mysql', 'sqlite'] as const) {
    const database = await createTestDatabase(provider)
    try {
      await fill(database)
      if (provider === 'postgresql') await database.db.$executeRawUnsafe('ANALYZE "BackgroundJob"')
      if (provider === 'mysql') await database.db.$executeRawUnsafe('ANALYZE TABLE `BackgroundJob`')
      if (provider === 'sqlite') await database.db.$executeRawUnsafe('ANALYZE')
      const cases: Array<[string, { queues: '*' | string[]; limit: number }]> = [
        ['every queue, limit 1', { queues: '*', limit: 1 }],
        ['one queue, limit 1', { queues: ['email'], limit: 1 }],
        ['two queues, limit 5', { queues: ['email', 'reports'], limit: 5 }],
      ]
      for (const [label, find] of cases) {
        const plans: string[] = []
        // MariaDB: a mysql adapter needs $transaction, which the proxy provides.
        const adapter = new PrismaAdapter({ db: explaining(provider, database.db, plans) })
        await adapter.find({ processName: 'host:jobs-kit-worker.0', staleAfterSeconds: 60, ...find })
        console.log(`\n### ${provider}: ${rowCount} ${scenario === 'future' ? 'jobs scheduled later, 10 due at priority 90' : 'waiting jobs'}, ${label}\n`)
        console.log(plans.join('\n'))
      }
    } finally {
      await database.drop()
    }
  }
}

await main()
