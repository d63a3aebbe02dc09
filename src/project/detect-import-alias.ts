import { posix } from 'node:path'
import type { TsconfigInfo } from './read-tsconfig.js'

/**
 * The tsconfig path alias that points at the source root, as a prefix:
 * `@/` for `"@/*": ["./src/*"]`, `src/` for RedwoodJS's `"src/*": ["./src/*"]`,
 * or null. Used for the imports shown in next steps and by `g job`.
 */
export function detectImportAlias(tsconfig: TsconfigInfo | null, srcRoot: string): string | null {
  if (!tsconfig) return null
  const candidates: string[] = []
  for (const [key, targets] of Object.entries(tsconfig.paths)) {
    if (!key.endsWith('/*') || !Array.isArray(targets)) continue
    const target = targets[0]
    if (typeof target !== 'string' || !target.endsWith('/*')) continue
    const resolved = posix.normalize(posix.join(tsconfig.pathsBase, target.slice(0, -2))) || '.'
    if (resolved === srcRoot) candidates.push(key.slice(0, -1))
  }
  // Prefer the conventional aliases when several point at the same folder.
  const preferred = ['@/', '~/', 'src/']
  candidates.sort((a, b) => rank(a) - rank(b))
  function rank(alias: string) {
    const index = preferred.indexOf(alias)
    return index === -1 ? preferred.length : index
  }
  return candidates[0] ?? null
}
