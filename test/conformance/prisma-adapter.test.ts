/** The Prisma adapter passes the adapter conformance suite on SQLite (through Prisma and with `betterSqlite3`), PostgreSQL and MariaDB. */
import { TEST_PROVIDERS } from '../support/databases.js'
import { defineAdapterConformance } from './define-adapter-conformance.js'
import { prismaTarget } from './targets/prisma-target.js'

for (const provider of TEST_PROVIDERS) {
  defineAdapterConformance({ name: `PrismaAdapter on ${provider}`, setup: () => prismaTarget(provider) })
}
defineAdapterConformance({ name: 'PrismaAdapter on sqlite with betterSqlite3', setup: () => prismaTarget('sqlite', { betterSqlite3: true }) })
