/**
 * What a user's install must provide: every module the built CLI reaches at
 * run time, and every module the vendored runtime imports in a JavaScript app.
 *
 * `npx jobs-kit` installs our `dependencies` only. A package the CLI imports
 * that is merely a devDependency works in this repository and fails for every
 * user (as `typescript` once did in `setup`). The vendored runtime lives in the
 * app, which has Node and its own Prisma client: it may import Node built-ins,
 * its own files, and the optional peers an app opts into, loaded lazily.
 *
 * Imports are found with the TypeScript compiler's own pre-processor
 * (`ts.preProcessFile`, which sees static imports, re-exports, `import()` and
 * `require()`), from `dist/cli.js` along relative imports, so a module no
 * command loads does not count and one loaded lazily does.
 */
import { existsSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ts } from 'ts-morph'
import { describe, expect, it } from 'vitest'
import { renderRuntimeFiles } from '../../src/vendoring/render-runtime.js'

const REPO = resolve(fileURLToPath(new URL('../../', import.meta.url)))
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  peerDependencies?: Record<string, string>
}
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))

/** Optional peers an app installs when it opts into them; the runtime loads them lazily. */
const RUNTIME_OPTIONAL_PEERS = new Set(['pg', 'bullmq', 'ioredis', 'amqplib', 'croner'])

/** The specifiers a JavaScript source imports, requires or loads with `import()` / `createRequire(...)(...)`. */
function importsOf(source: string): string[] {
  const found = ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName)
  // `createRequire(import.meta.url)('ts-morph')`: a require the pre-processor cannot name.
  for (const match of source.matchAll(/createRequire\([^)]*\)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1]!)
  return found
}

function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

/** Bare specifiers reached from `entry` along relative imports, each with the first file that imports it. */
function bareImportsReachedFrom(entry: string): Map<string, string> {
  const bare = new Map<string, string>()
  const seen = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = resolve(dirname(file), specifier)
        const candidates = [target, `${target}.js`, join(target, 'index.js')]
        const found = candidates.find((candidate) => existsSync(candidate) && /\.(c|m)?js$/.test(candidate))
        if (found) queue.push(found)
        else if (!/\.(json|wasm)$/.test(specifier)) throw new Error(`${file} imports ${specifier}, which does not exist in dist/`)
      } else if (!BUILTINS.has(specifier) && !bare.has(packageName(specifier))) {
        bare.set(packageName(specifier), file.slice(REPO.length + 1))
      }
    }
  }
  return bare
}

describe('what a user installs is enough', () => {
  it('every package the built CLI reaches at run time is a dependency (not a devDependency)', () => {
    const entry = join(REPO, 'dist/cli.js')
    expect(existsSync(entry), 'dist/cli.js exists: run `npm run build` first (npm test does)').toBe(true)
    const reached = bareImportsReachedFrom(entry)
    // The CLI reaches its heavy dependencies lazily: the walk must see them, or it proves nothing.
    expect([...reached.keys()]).toEqual(expect.arrayContaining(['ts-morph', 'handlebars']))
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies ?? {})])
    const undeclared = [...reached].filter(([name]) => !declared.has(name)).map(([name, by]) => `${name} (imported by ${by})`)
    expect(undeclared, 'packages the CLI imports at run time that are not in "dependencies"').toEqual([])
  })

  it.each([
    ['esm', 'with-extension'],
    ['cjs', 'with-extension'],
    ['esm', 'extensionless'],
  ] as const)('the runtime vendored into a JavaScript app (%s, %s) imports only Node built-ins, its own files and optional peers', (moduleType, importStyle) => {
    const files = renderRuntimeFiles({ language: 'js', moduleType, importStyle })
    expect(files.size).toBeGreaterThan(10)
    const offending: string[] = []
    for (const [path, source] of files) {
      for (const specifier of importsOf(source)) {
        if (specifier.startsWith('.') || BUILTINS.has(specifier) || RUNTIME_OPTIONAL_PEERS.has(packageName(specifier))) continue
        offending.push(`${path} imports ${specifier}`)
      }
    }
    expect(offending).toEqual([])
  })

  it('the import walk sees a devDependency the CLI would import', () => {
    // The check must be able to fail: a module importing typescript, as setup once did, is reported.
    const source = `import ts from 'typescript'\nconst m = createRequire(import.meta.url)('esbuild')\nawait import('vitest')`
    expect(importsOf(source).map(packageName)).toEqual(expect.arrayContaining(['typescript', 'esbuild', 'vitest']))
  })
})
