import { isRuntimeTestFile, readRuntimeSources } from './read-runtime-sources.js'
import { stripRelativeJsExtensions } from './rewrite-import-extensions.js'
import { stripTypes } from './strip-types.js'
import { esmToCommonJs } from './to-commonjs.js'
import { modulesInCycles } from './import-cycles.js'
import { replaceImportMeta } from './replace-import-meta.js'

/** How the app wants its copy of the runtime. */
export interface RenderRuntimeOptions {
  /** `ts`: the sources as they are; `js`: types stripped. */
  language: 'ts' | 'js'
  /**
   * For `js`: ESM (`import`) or CommonJS (`require`) output. For `ts`, CommonJS
   * apps get `import.meta` replaced (TypeScript refuses it when compiling to CommonJS).
   */
  moduleType: 'esm' | 'cjs'
  /** Keep `.js` on relative imports, or drop it (TypeScript apps on bundler/node10 resolution). */
  importStyle: 'with-extension' | 'extensionless'
}

/**
 * Renders the runtime as it is vendored into an app: `relative path → content`
 * (paths relative to the runtime folder, e.g. `worker/worker.ts`, or
 * `worker/worker.js` for JS apps), sorted by path. Pure apart from reading
 * the sources, which can be passed in: `update` re-renders a new version with
 * the options recorded in the app's jobs-kit.json and diffs the result.
 */
export function renderRuntimeFiles(
  options: RenderRuntimeOptions,
  sources: Map<string, string> = readRuntimeSources(),
): Map<string, string> {
  const rendered = new Map<string, string>()
  const inCycles = options.language === 'js' && options.moduleType === 'cjs' ? modulesInCycles(sources) : new Set<string>()
  for (const [path, source] of sources) {
    if (isRuntimeTestFile(path)) continue
    const isTypeScript = /\.ts$/.test(path) && !/\.d\.ts$/.test(path)
    if (!isTypeScript) {
      rendered.set(path, source)
      continue
    }
    if (options.language === 'ts') {
      // tsx runs import.meta in CommonJS too, but the app's tsc would refuse it.
      const typescript = options.moduleType === 'cjs' ? replaceImportMeta(source) : source
      rendered.set(path, options.importStyle === 'extensionless' ? stripRelativeJsExtensions(typescript) : typescript)
      continue
    }
    const javascript = options.moduleType === 'esm'
      ? stripTypes(source, { moduleType: 'esm', fileName: path })
      : toCommonJs(source, path, inCycles.has(path))
    // A file of nothing but types (types.ts) still exists as a module, so imports of it keep working.
    rendered.set(path.replace(/\.ts$/, '.js'), options.importStyle === 'extensionless' ? stripRelativeJsExtensions(javascript) : javascript)
  }
  return rendered
}

/**
 * CommonJS the way a person writes it (`const { x } = require(…)`,
 * `module.exports = { … }`), or TypeScript's own CommonJS emit for modules
 * in an import cycle and forms the rewrite does not cover: destructuring at
 * require time would break live bindings there.
 */
function toCommonJs(source: string, path: string, inCycle: boolean): string {
  if (!inCycle) {
    const converted = esmToCommonJs(stripTypes(replaceImportMeta(source), { moduleType: 'esm', fileName: path }))
    if (converted !== null) return converted
  }
  return stripTypes(source, { moduleType: 'cjs', fileName: path })
}
