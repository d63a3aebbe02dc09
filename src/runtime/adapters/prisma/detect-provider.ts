import { ProviderDetectionError } from '../../errors.js'
import type { PrismaClientLike } from './prisma-client.js'

/**
 * Reads the database provider from a Prisma client. Prisma has no public API
 * for it, so this checks the internal places that exist in Prisma 6.19 and
 * 7.x clients, most specific first:
 *
 * - `_activeProvider`: the datasource provider of the generated client (6 and 7);
 * - `_engineConfig.activeProvider`: the same, one level down (6 and 7);
 * - `_engineConfig.adapter.provider`: the driver adapter's own name (7; `postgres` for adapter-pg).
 *
 * Returns the provider as the schema spells it (`postgresql`, `mysql`, `sqlite`, …).
 * Throws `ProviderDetectionError` when none is there: pass `provider` to the adapter then.
 */
export function detectProvider(db: PrismaClientLike): string {
  const client = db as {
    _activeProvider?: unknown
    _engineConfig?: { activeProvider?: unknown; adapter?: { provider?: unknown } }
  }
  const candidates = [client._activeProvider, client._engineConfig?.activeProvider, client._engineConfig?.adapter?.provider]
  const found = candidates.find((value): value is string => typeof value === 'string' && value.length > 0)
  if (!found) throw new ProviderDetectionError('the client exposes neither _activeProvider nor a driver adapter provider')
  return normalizeProvider(found)
}

/** `postgres` (driver adapters) and `postgresql` (schemas) are the same database. */
export function normalizeProvider(provider: string): string {
  const lower = provider.toLowerCase()
  if (lower === 'postgres') return 'postgresql'
  if (lower === 'mariadb') return 'mysql'
  return lower
}
