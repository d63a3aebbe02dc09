import type { PrismaClientLike } from '../adapters/prisma/prisma-client.js'
import type { JobsAdapter } from '../types.js'
import { WorkerRegistry } from './worker-registry.js'

/**
 * The worker registry in the database of the Prisma adapter `preferred`
 * names, if it is one, else of the config's first Prisma adapter (recognised
 * by its client, so an app's own copy of the class works too). Undefined
 * when no adapter stores through Prisma: workers then go unregistered.
 */
export function findRegistry(adapters: Record<string, JobsAdapter>, preferred?: string): WorkerRegistry | undefined {
  const dbOf = (adapter: JobsAdapter | undefined): PrismaClientLike | undefined => {
    const db = (adapter as { db?: PrismaClientLike } | undefined)?.db
    return typeof db?.$queryRawUnsafe === 'function' ? db : undefined
  }
  const db = (preferred !== undefined ? dbOf(adapters[preferred]) : undefined) ?? Object.values(adapters).map(dbOf).find((found) => found !== undefined)
  return db ? new WorkerRegistry(db) : undefined
}
