/**
 * The benchmark app's Prisma client, the way an app exports `db`: a generated
 * Prisma 7 client (test/support's, for the shipped BackgroundJob model) with
 * the driver adapter for BENCH_PROVIDER, connected to BENCH_DB_URL.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaMariaDb } from '@prisma/adapter-mariadb'
import { PrismaPg } from '@prisma/adapter-pg'
import { loadPrismaClientClass, type TestProvider } from '../../../../test/support/prisma-clients.js'
import { mariadbConnectionOptions } from '../../../lib/databases.js'

const provider = process.env.BENCH_PROVIDER as TestProvider
const url = process.env.BENCH_DB_URL
if (!provider || !url) throw new Error('bench/jobs-kit/app/lib/db.ts needs BENCH_PROVIDER and BENCH_DB_URL')

function driverAdapter(): unknown {
  if (provider === 'postgresql') return new PrismaPg({ connectionString: url })
  if (provider === 'mysql') return new PrismaMariaDb({ ...mariadbConnectionOptions(url!), connectionLimit: 5 } as ConstructorParameters<typeof PrismaMariaDb>[0])
  return new PrismaBetterSqlite3({ url: url! })
}

const PrismaClient = await loadPrismaClientClass(provider)
export const db = new PrismaClient({ adapter: driverAdapter() })
