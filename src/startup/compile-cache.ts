import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import Module from 'node:module'
import { dirname, join, sep } from 'node:path'
import vm from 'node:vm'
import { compileCacheDir } from './cache-dir.js'

/**
 * A V8 code cache for the big CommonJS files the CLI loads. `g job` loads
 * ts-morph, which bundles the TypeScript compiler: 13 MB of JavaScript that
 * V8 parses and compiles on every run (about 100 of the 200 ms CPU that
 * loading ts-morph costs on Node 20, measured with test/cli/measure-startup.mjs).
 * With V8's serialized code for those files, a run deserializes it instead.
 *
 * Node 22 does this itself (`module.enableCompileCache()`), and we use it
 * there. Node 20 has no such switch, so this wraps `Module.prototype._compile`
 * for the large files of a few packages we checked (ts-morph's): it compiles
 * them as Node does when the module wrapper is patched (a `vm.Script` of
 * `Module.wrap(source)`), with the cached code when there is some, and writes
 * the code V8 holds for them at exit, after the command ran, so the functions
 * it used are in it. Such a script cannot `import()`: Node 20 cannot give a
 * script compiled from cached code a dynamic import callback. So the cache
 * covers only packages we name, which never do (TypeScript's "import(" are
 * all in strings; cached-packages.test.ts checks the installed files with
 * TypeScript's parser).
 *
 * Safe by construction: a cache entry is keyed by the file's path, size,
 * mtime, ctime and inode and by the Node version, so an edited or reinstalled
 * file (any write changes its ctime) never meets old code (V8 itself only
 * checks the source's length); V8 rejects code from another V8 or other
 * flags; every cache read or write that fails is ignored (a read-only home
 * just means no cache); a file that does not compile as CommonJS goes to
 * Node's own loader, which reports the error or loads it as ESM. Set
 * NODE_DISABLE_COMPILE_CACHE=1 to turn it off (the variable Node 22 honours).
 */

/** Smaller files compile in well under a millisecond: not worth a stat and a read. */
const MIN_CACHED_SOURCE_CHARS = 256 * 1024

/** The packages whose big files are cached: what `g job` loads (13 MB, about 200 ms to load uncached). */
export const CACHED_PACKAGES = ['ts-morph', '@ts-morph/common']

/** Bump when the cache entry format or key changes. */
const CACHE_FORMAT = 'jobs-kit-v8-code-cache-1'

interface CompileFunction {
  (this: Module, content: string, filename: string, format?: string): unknown
}

interface ModuleInternals {
  prototype: { _compile: CompileFunction; require(id: string): unknown }
  wrap(source: string): string
  _resolveFilename(request: string, parent: Module, isMain: boolean, options?: { paths?: string[] }): string
  _resolveLookupPaths(request: string, parent: Module): string[] | null
  _extensions: unknown
  _cache: unknown
  enableCompileCache?: (dir?: string) => unknown
}

let enabled = false

/** Where and what to cache. */
export interface CompileCacheOptions {
  /** Where entries live; by default the user's cache folder (`$XDG_CACHE_HOME/jobs-kit/v8-code-cache` or the platform's equivalent). */
  dir?: string
  /** Package names whose files (of 256 KiB or more) are cached on Node 20; by default ts-morph's. */
  packages?: string[]
}

/** Turns the code cache on for the rest of this process (once; later calls do nothing). */
export function enableCompileCache({ dir = compileCacheDir(), packages = CACHED_PACKAGES }: CompileCacheOptions = {}): void {
  if (enabled || process.env.NODE_DISABLE_COMPILE_CACHE) return
  enabled = true
  const modules = Module as unknown as ModuleInternals
  if (typeof modules.enableCompileCache === 'function') {
    // Node 22+: its own cache covers ESM too.
    try {
      modules.enableCompileCache(dir)
    } catch {
      // No cache is only slower.
    }
    return
  }
  const folders = packages.map((name) => `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`)
  const pending: { script: vm.Script; entry: Entry }[] = []
  const compile = modules.prototype._compile
  modules.prototype._compile = function (this: Module, content: string, filename: string, format?: string): unknown {
    if (format === 'module' || content.length < MIN_CACHED_SOURCE_CHARS || !folders.some((folder) => filename.includes(folder))) {
      return compile.call(this, content, filename, format)
    }
    const entry = entryFor(dir, filename)
    const cachedData = entry ? readEntry(entry) : undefined
    let script: vm.Script
    try {
      script = new vm.Script(modules.wrap(content), { filename, cachedData })
    } catch {
      return compile.call(this, content, filename, format)
    }
    if (entry && (!cachedData || script.cachedDataRejected)) pending.push({ script, entry })
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown
    return wrapper.call(this.exports, this.exports, requireFor(this, modules), this, filename, dirname(filename))
  }

  process.once('exit', () => {
    for (const { script, entry } of pending) writeEntry(entry, script)
  })
}

/** A cache entry: its file, and the key it must start with. */
interface Entry {
  path: string
  key: string
}

/**
 * The entry for `filename` as it is on disk now, or undefined when it cannot
 * be stat'ed. One entry per path, named by a hash of the path, so a
 * reinstalled package replaces its entries rather than piling up new ones.
 * The key is stored at the start of the entry and checked on read: the hash
 * in the name only has to spread entries out.
 */
function entryFor(dir: string, filename: string): Entry | undefined {
  try {
    const stats = statSync(filename)
    const key = `${[CACHE_FORMAT, process.version, process.arch, stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, filename].join('|')}\n`
    return { path: join(dir, `${fnv1a(filename)}.bin`), key }
  } catch {
    return undefined
  }
}

/** The cached code stored after the entry's key, or undefined (no entry, another key, unreadable). */
function readEntry(entry: Entry): Buffer | undefined {
  try {
    const data = readFileSync(entry.path)
    const key = Buffer.from(entry.key)
    return data.subarray(0, key.length).equals(key) ? data.subarray(key.length) : undefined
  } catch {
    return undefined
  }
}

/** Writes through a temporary file and a rename, so a concurrent run never reads half an entry. */
function writeEntry(entry: Entry, script: vm.Script): void {
  const temporary = `${entry.path}.${process.pid}.tmp`
  try {
    mkdirSync(dirname(entry.path), { recursive: true })
    writeFileSync(temporary, Buffer.concat([Buffer.from(entry.key), script.createCachedData()]))
    renameSync(temporary, entry.path)
  } catch {
    // A cache that cannot be written is only slower next time.
  }
}

/** 32-bit FNV-1a of `text`, as 8 hex digits (node:crypto would cost 3 ms to load). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/** The `require` a CommonJS module sees, as Node builds it (`makeRequireFunction`). */
function requireFor(module: Module, modules: ModuleInternals): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require
  const resolve = ((request: string, options?: { paths?: string[] }) => modules._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve
  resolve.paths = (request: string) => modules._resolveLookupPaths(request, module)
  require.resolve = resolve
  require.main = process.mainModule
  require.extensions = modules._extensions as NodeJS.Require['extensions']
  require.cache = modules._cache as NodeJS.Require['cache']
  return require
}
