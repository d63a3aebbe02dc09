import { OptionalDependencyError } from '../../errors.js'
import { importOptionalPeer } from '../../import-optional-peer.js'

/**
 * One class of the app's `pg` package (an optional peer: the adapter's `pg`
 * and `notify` options use it), loaded when first needed. `whenMissing` says
 * what to do when `pg` is not installed.
 */
export async function importPgClass<T>(name: 'Pool' | 'Client', whenMissing: string): Promise<T> {
  const module = await importOptionalPeer('pg', whenMissing)
  // ESM gets pg's CommonJS exports as `default`; a bundler may hand them over as they are.
  const found = (module.default as Record<string, unknown> | undefined)?.[name] ?? module[name]
  if (!found) throw new OptionalDependencyError('pg', `The installed \`pg\` package has no ${name} export; install pg 8 or later.`)
  return found as T
}
