/**
 * The Prisma adapter as a conformance target: a fresh database per provider
 * (test/support/databases.ts), and, for the contention test's processes, a
 * `createAdapter(config)` that opens a client of its own on that database.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaMariaDb } from '@prisma/adapter-mariadb'
import { PrismaPg } from '@prisma/adapter-pg'
import { fileURLToPath } from 'node:url'
import { PrismaAdapter } from '../../../src/runtime/adapters/prisma/prisma-adapter.js'
import { createTestDatabase, type TestProvider } from '../../support/databases.js'
import { readJob } from '../../support/jobs-table.js'
import { loadPrismaClientClass } from '../../support/prisma-clients.js'
import type { ConformanceTarget } from '../define-adapter-conformance.js'

interface ChildConfig {
  provider: TestProvider
  url: string
  model: string
  /** SQLite: the adapter's `betterSqlite3` option. */
  betterSqlite3?: boolean
}

export async function prismaTarget(provider: TestProvider, options: { betterSqlite3?: boolean } = {}): Promise<ConformanceTarget> {
  const betterSqlite3 = options.betterSqlite3 === true
  const database = await createTestDatabase(provider)
  return {
    // One client for every instance in this process (a client per instance would hold a pool of
    // connections each until the end of the file); the contention test's processes have their own.
    createAdapter: ({ logger } = {}) => new PrismaAdapter({ db: database.db, model: database.model, logger, betterSqlite3 }),
    child: { module: fileURLToPath(import.meta.url), config: { provider, url: database.url, model: database.model, betterSqlite3 } satisfies ChildConfig },
    readJob: async (id) => {
      const row = await readJob(database, id)
      return row && { attempts: row.attempts, lastError: row.lastError, failedAt: row.failedAt, lockedBy: row.lockedBy }
    },
    transaction: (fn) => database.db.$transaction(fn),
    teardown: () => database.drop(),
  }
}

/** For the contention test's processes: a client of its own on the target's database. */
export async function createAdapter({ provider, url, model, betterSqlite3 }: ChildConfig): Promise<PrismaAdapter> {
  const PrismaClient = await loadPrismaClientClass(provider)
  let driver: unknown
  if (provider === 'sqlite') driver = new PrismaBetterSqlite3({ url })
  else if (provider === 'postgresql') driver = new PrismaPg({ connectionString: url })
  else {
    const server = new URL(url)
    driver = new PrismaMariaDb({
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username || 'root'),
      password: decodeURIComponent(server.password),
      database: server.pathname.slice(1),
      connectionLimit: 5,
    })
  }
  const db = new PrismaClient({ adapter: driver })
  await db.$connect()
  const adapter = new PrismaAdapter({ db, model, betterSqlite3 })
  const close = adapter.close.bind(adapter)
  // The child owns this client: close it with the adapter.
  adapter.close = async () => {
    await close()
    await db.$disconnect()
  }
  return adapter
}
