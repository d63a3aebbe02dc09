import type { AdapterCapabilities, JobsAdapter } from '../types.js'

/**
 * The capabilities of an adapter that declares none: the whole contract, as
 * the Prisma adapter keeps it (an adapter written before capabilities existed
 * was written against that adapter).
 */
export const FULL_CAPABILITIES: AdapterCapabilities = Object.freeze({
  transactionalEnqueue: true,
  order: 'global',
  staleRecovery: 'immediate',
  statusCounts: 'exact',
  jobLookup: true,
})

/** What `adapter` promises: its own declaration, or `FULL_CAPABILITIES`. */
export function capabilitiesOf(adapter: JobsAdapter): AdapterCapabilities {
  return adapter.capabilities ?? FULL_CAPABILITIES
}
