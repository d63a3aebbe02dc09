/** The Prisma adapter passes the adapter conformance suite on SQLite, PostgreSQL and MariaDB. */
import { TEST_PROVIDERS } from '../support/databases.js'
import { defineAdapterConformance } from './define-adapter-conformance.js'
import { prismaTarget } from './targets/prisma-target.js'

for (const provider of TEST_PROVIDERS) {
  defineAdapterConformance({ name: `PrismaAdapter on ${provider}`, setup: () => prismaTarget(provider) })
}
