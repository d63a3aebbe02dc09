import type { Language } from './detect-language.js'
import type { PackageJson } from './read-package-json.js'
import type { TsconfigInfo } from './read-tsconfig.js'

export type ModuleType = 'esm' | 'cjs'

/**
 * How the app's code is loaded by Node: ESM when package.json says
 * `"type": "module"`, CommonJS otherwise (Node's own rule for `.js` files).
 * For JS apps this decides `import` vs `require` in what setup writes; TS
 * files always use `import` syntax and tsx runs them either way.
 */
export function detectModuleType(pkg: PackageJson): ModuleType {
  return pkg.type === 'module' ? 'esm' : 'cjs'
}

/**
 * Whether relative imports in written files carry a `.js` extension.
 * - `with-extension`: NodeNext/Node16 resolution requires it, and so does
 *   Node for JavaScript ESM. We also use it for JavaScript CommonJS: it is
 *   always valid for `require`, and it keeps one form for every JS app.
 * - `extensionless`: TS apps on `bundler` or classic `node`/`node10`
 *   resolution (Next.js, RedwoodJS, Vite) import without extensions, and
 *   their bundlers do not all map `.js` to `.ts`. tsx, which runs the jobs
 *   runner, resolves extensionless imports in both module systems.
 */
export type ImportStyle = 'with-extension' | 'extensionless'

/** Decides `ImportStyle` from the app's language and tsconfig (see `ImportStyle`). */
export function detectImportStyle(language: Language, tsconfig: TsconfigInfo | null): ImportStyle {
  if (language === 'js') return 'with-extension'
  const resolution = tsconfig?.moduleResolution
  return resolution === 'nodenext' || resolution === 'node16' ? 'with-extension' : 'extensionless'
}
