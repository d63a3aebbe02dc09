import { posix } from 'node:path'

/**
 * The specifier `from` uses to import the module at `to` (both relative to
 * the app root): `./jobs-kit/index.js`, `../jobs/index`, `./db.js`.
 * With `with-extension`, a TypeScript file is imported by its emitted name
 * (`.ts` → `.js`, `.mts` → `.mjs`, `.cts` → `.cjs`); with `extensionless`,
 * `.ts`/`.js` are dropped (other extensions stay: they are not resolved implicitly).
 */
export function moduleSpecifier(from: string, to: string, importStyle: 'with-extension' | 'extensionless'): string {
  let relative = posix.relative(posix.dirname(from), to)
  if (!relative.startsWith('.')) relative = `./${relative}`
  if (importStyle === 'extensionless') return relative.replace(/\.(ts|tsx|js|jsx)$/, '')
  return relative.replace(/\.ts$/, '.js').replace(/\.tsx$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs')
}
