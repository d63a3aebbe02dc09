import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// Each case runs a fresh `node` (the cache patches the process's module
// loader, so never inside the test worker): tsx's ESM loader for our
// TypeScript, and Node's own CommonJS loader for the package it requires.
const REPO = fileURLToPath(new URL('../../', import.meta.url))
const TSX_ESM = join(REPO, 'node_modules/tsx/dist/esm/index.mjs')
const COMPILE_CACHE = join(REPO, 'src/startup/compile-cache.ts')

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-compile-cache-'))
  dirs.push(dir)
  return dir
}

/** About 330 KB of CommonJS: above the size the cache starts at (256 KiB). */
function bigModule(value: string): string {
  const padding = Array.from({ length: 8000 }, (_, i) => `function f${i}(a) { return a + ${i} }`).join('\n')
  return `'use strict'
const { helper } = require('./helper.js')
module.exports = {
  value: '${value}',
  sum: f7999(1),
  filename: __filename,
  dirname: __dirname,
  thisIsExports: this === module.exports,
  resolved: require.resolve('./helper.js'),
  cached: Object.keys(require.cache).some((key) => key.endsWith('helper.js')),
  helper,
}
${padding}
`
}

/** An app folder with `node_modules/big/`: a big CommonJS module and a small helper it requires. */
function appWithBigPackage(): string {
  const app = tempDir()
  const pkg = join(app, 'node_modules/big')
  mkdirSync(pkg, { recursive: true })
  writeFileSync(join(pkg, 'package.json'), '{ "name": "big", "main": "index.js" }\n')
  writeFileSync(join(pkg, 'index.js'), bigModule('v1'))
  writeFileSync(join(pkg, 'helper.js'), "exports.helper = 'from helper'\n")
  return app
}

interface Run {
  code: number | null
  out: Record<string, unknown>
  stderr: string
}

/** Enables the cache in `cacheDir` for the packages `big` and `broken`, requires `request` from `app` and prints what the module saw. */
function run(app: string, cacheDir: string, options: { request?: string; env?: Record<string, string> } = {}): Run {
  const script = `
    import { createRequire } from 'node:module'
    import { enableCompileCache } from ${JSON.stringify(COMPILE_CACHE)}
    enableCompileCache({ dir: ${JSON.stringify(cacheDir)}, packages: ['big', 'broken'] })
    const loaded = createRequire(${JSON.stringify(join(app, 'index.js'))})(${JSON.stringify(options.request ?? 'big')})
    console.log(JSON.stringify(loaded))
  `
  const result = spawnSync(process.execPath, ['--import', TSX_ESM, '--input-type=module', '-e', script], {
    cwd: app,
    encoding: 'utf8',
    env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '', ...options.env },
  })
  const lastLine = result.stdout.trim().split('\n').pop() ?? ''
  return { code: result.status, out: result.status === 0 ? JSON.parse(lastLine) : {}, stderr: result.stderr }
}

const entries = (cacheDir: string) => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((name) => name.endsWith('.bin')) : [])

function expectLoadedCorrectly(result: Run, app: string, value = 'v1') {
  const pkg = join(app, 'node_modules/big')
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(result.out).toEqual({
    value,
    sum: 8000,
    filename: join(pkg, 'index.js'),
    dirname: pkg,
    thisIsExports: true,
    resolved: join(pkg, 'helper.js'),
    cached: true,
    helper: 'from helper',
  })
}

describe('V8 code cache for big CommonJS files', () => {
  it('writes an entry on the first run and uses it unchanged on the next, with the module behaving the same', () => {
    const app = appWithBigPackage()
    const cacheDir = join(tempDir(), 'cache')

    expectLoadedCorrectly(run(app, cacheDir), app)
    const [entry] = entries(cacheDir)
    expect(entries(cacheDir)).toHaveLength(1)
    const written = statSync(join(cacheDir, entry!))
    expect(readFileSync(join(cacheDir, entry!), 'latin1')).toContain(join(app, 'node_modules/big/index.js'))

    expectLoadedCorrectly(run(app, cacheDir), app)
    // Rewritten only when missing or rejected by V8: the same file means V8 took the cached code.
    const reused = statSync(join(cacheDir, entry!))
    expect([reused.ino, reused.mtimeMs]).toEqual([written.ino, written.mtimeMs])
  })

  it('never serves old code for a file edited to the same length (V8 alone would accept it)', () => {
    const app = appWithBigPackage()
    const cacheDir = join(tempDir(), 'cache')
    expectLoadedCorrectly(run(app, cacheDir), app)
    const file = join(app, 'node_modules/big/index.js')
    const before = readFileSync(file, 'utf8')
    writeFileSync(file, before.replace("value: 'v1'", "value: 'v2'"))
    expect(readFileSync(file, 'utf8')).toHaveLength(before.length)

    expectLoadedCorrectly(run(app, cacheDir), app, 'v2')
    expect(entries(cacheDir)).toHaveLength(1) // replaced, not piled up
    expectLoadedCorrectly(run(app, cacheDir), app, 'v2')
  })

  it('ignores a corrupt entry and replaces it', () => {
    const app = appWithBigPackage()
    const cacheDir = join(tempDir(), 'cache')
    expectLoadedCorrectly(run(app, cacheDir), app)
    const path = join(cacheDir, entries(cacheDir)[0]!)
    const entry = readFileSync(path)
    const keyLength = entry.indexOf(10) + 1
    const garbage = Buffer.alloc(entry.length - keyLength, 0x5a)
    writeFileSync(path, Buffer.concat([entry.subarray(0, keyLength), garbage]))

    expectLoadedCorrectly(run(app, cacheDir), app)
    expect(readFileSync(path).subarray(keyLength).equals(garbage)).toBe(false)
    expectLoadedCorrectly(run(app, cacheDir), app)
  })

  it('runs normally when the cache folder cannot be created', () => {
    const app = appWithBigPackage()
    const blocker = join(tempDir(), 'a-file')
    writeFileSync(blocker, 'not a folder\n')
    const cacheDir = join(blocker, 'cache')
    expectLoadedCorrectly(run(app, cacheDir), app)
    expectLoadedCorrectly(run(app, cacheDir), app)
    expect(readFileSync(blocker, 'utf8')).toBe('not a folder\n')
  })

  it('writes nothing with NODE_DISABLE_COMPILE_CACHE set', () => {
    const app = appWithBigPackage()
    const cacheDir = join(tempDir(), 'cache')
    expectLoadedCorrectly(run(app, cacheDir, { env: { NODE_DISABLE_COMPILE_CACHE: '1' } }), app)
    expect(existsSync(cacheDir)).toBe(false)
  })

  it('leaves small files and other packages to Node', () => {
    const app = appWithBigPackage()
    const cacheDir = join(tempDir(), 'cache')
    const other = join(app, 'node_modules/other')
    mkdirSync(other)
    writeFileSync(join(other, 'index.js'), bigModule('other'))
    writeFileSync(join(other, 'helper.js'), "exports.helper = 'from other helper'\n")
    const big = run(app, cacheDir, { request: 'other' })
    expect(big.code).toBe(0)
    expect(big.out).toMatchObject({ value: 'other', helper: 'from other helper' })
    const small = run(app, cacheDir, { request: 'big/helper.js' })
    expect(small.out).toEqual({ helper: 'from helper' })
    expect(entries(cacheDir)).toEqual([])
  })

  it('hands files that are not CommonJS back to Node: the same result as without the cache', () => {
    const app = appWithBigPackage()
    const cacheDir = join(tempDir(), 'cache')
    const pkg = join(app, 'node_modules/broken')
    mkdirSync(pkg, { recursive: true })
    writeFileSync(join(pkg, 'index.js'), `${'// padding\n'.repeat(30_000)}module.exports = {\n`)
    const withCache = run(app, cacheDir, { request: 'broken' })
    const without = run(app, cacheDir, { request: 'broken', env: { NODE_DISABLE_COMPILE_CACHE: '1' } })
    expect(withCache.code).not.toBe(0)
    expect(withCache.code).toBe(without.code)
    expect(withCache.stderr).toMatch(/SyntaxError/)
    // The same report down to the stack, which has one more frame: the cache's.
    const report = (stderr: string) => stderr.slice(0, stderr.indexOf('\n    at '))
    expect(report(withCache.stderr)).toBe(report(without.stderr))
    expect(entries(cacheDir)).toEqual([])
  })
})
