/**
 * Vitest global setup: runs once before every suite.
 *
 * Generates the Prisma clients the runtime's integration tests use (see
 * prisma-clients.ts; unchanged schemas are not regenerated) and removes test
 * databases that killed runs left behind (see databases.ts).
 */
import { dropStaleTestDatabases } from './databases.js'
import { generateTestClients } from './prisma-clients.js'

export default async function setup(): Promise<void> {
  await Promise.all([generateTestClients(), dropStaleTestDatabases()])
}
