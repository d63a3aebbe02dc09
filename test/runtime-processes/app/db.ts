/**
 * The test app's Prisma client: the generated test client for DB_PROVIDER
 * (see test/support/prisma-clients.ts), connected to DATABASE_URL through the
 * provider's driver adapter, as a real app's `lib/db.ts` would.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaMariaDb } from '@prisma/adapter-mariadb'
import { PrismaPg } from '@prisma/adapter-pg'
import { loadPrismaClientClass, type TestProvider } from '../../support/prisma-clients.js'

const provider = process.env.DB_PROVIDER as TestProvider | undefined
const url = process.env.DATABASE_URL
if (!provider || !url) throw new Error('The process-test app needs DB_PROVIDER (sqlite, postgresql or mysql) and DATABASE_URL.')

function driverAdapter(): unknown {
  if (provider === 'sqlite') return new PrismaBetterSqlite3({ url: url! })
  // DB_PG_SCHEMA: the app's tables live in that PostgreSQL schema (adapter-pg's `schema` option).
  if (provider === 'postgresql') return new PrismaPg({ connectionString: url }, process.env.DB_PG_SCHEMA ? { schema: process.env.DB_PG_SCHEMA } : undefined)
  const server = new URL(url!)
  return new PrismaMariaDb({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username || 'root'),
    password: decodeURIComponent(server.password),
    database: server.pathname.slice(1),
    connectionLimit: 5,
  })
}

const PrismaClient = await loadPrismaClientClass(provider)
export const db = new PrismaClient({ adapter: driverAdapter() })
