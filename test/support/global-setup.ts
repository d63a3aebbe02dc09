/**
 * Vitest global setup: runs once before every suite.
 *
 * Generates the Prisma clients the runtime's integration tests use
 * (see prisma-clients.ts); unchanged schemas are not regenerated.
 */
import { generateTestClients } from './prisma-clients.js'

export default async function setup(): Promise<void> {
  await generateTestClients()
}
