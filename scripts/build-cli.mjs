#!/usr/bin/env node
// Bundles the CLI entry, after `tsc` has built `src/` to `dist/`:
//   node scripts/build-cli.mjs        (part of `npm run build`)
//
// `dist/cli.js` becomes src/cli.ts with yargs inlined. yargs is about 70 ES
// modules that Node would otherwise resolve, read and compile one by one on
// every run; in one file, `jobs-kit --help` costs about 30 ms less CPU
// (test/cli/measure-startup.mjs). Everything else stays tsc's output: every
// relative import in cli.ts (the command modules, which load their handlers
// lazily) is left as it is, pointing at the same files in dist/, so each
// module of ours exists once at run time, and code that finds templates/,
// src/runtime/ or package.json from its own `import.meta.url` keeps its place.
//
// yargs finds its translations (locales/*.json) from its own file's URL; in the
// bundle that URL is dist/cli.js, so the locales are copied to
// dist/yargs-locales/ and the one line that names the folder is rewritten.
//
// yargs, cliui and wrap-ansi bring three copies of string-width (7.2 twice,
// 8.x once), and each builds an Intl.Segmenter when it loads, about 5 ms of
// ICU set-up apiece. The bundle keeps one string-width, the newest (it measures
// printable ASCII without the segmenter), and builds its segmenter on first
// use, so an English `--help` never builds one: 30 ms less CPU per run, the
// output unchanged (test/cli/built-cli.test.ts compares it with the unbundled
// CLI's, in languages with wide characters too).
import { build } from 'esbuild'
import { chmodSync, cpSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const entry = join(root, 'src/cli.ts')
const outfile = join(root, 'dist/cli.js')
const localesDir = join(root, 'dist/yargs-locales')

const YARGS_SHIM = /[\\/]node_modules[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/
const YARGS_LOCALES_LINE = "directory: resolve(__dirname, '../../../locales'),"
// In yargs' shim `__dirname` is the shim's own file path; in the bundle it is dist/cli.js.
const BUNDLED_LOCALES_LINE = "directory: resolve(__dirname, '../yargs-locales'),"

const STRING_WIDTH = /[\\/]node_modules[\\/]string-width[\\/]index\.js$/
const EAGER_SEGMENTER = 'const segmenter = new Intl.Segmenter();'
const LAZY_SEGMENTER = 'let segmenterInstance; const segmenter = { segment: (text) => (segmenterInstance ??= new Intl.Segmenter()).segment(text) };'

/** Relative imports of the entry stay imports of tsc's output next to dist/cli.js. */
const keepOurModules = {
  name: 'keep-our-modules',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.importer !== entry) return undefined
      return { path: args.path, external: true }
    })
  },
}

/** Points yargs at dist/yargs-locales/; fails the build when yargs no longer has the line we rewrite. */
let yargsLocales
const relocateYargsLocales = {
  name: 'relocate-yargs-locales',
  setup(esbuild) {
    esbuild.onLoad({ filter: YARGS_SHIM }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes(YARGS_LOCALES_LINE)) {
        throw new Error(`${args.path} no longer contains \`${YARGS_LOCALES_LINE}\`: update scripts/build-cli.mjs for this yargs version`)
      }
      yargsLocales = join(dirname(args.path), '../../locales')
      return { contents: source.replace(YARGS_LOCALES_LINE, BUNDLED_LOCALES_LINE), loader: 'js' }
    })
  },
}

/** One string-width for every package, the top-level one, with its segmenter built on first use. */
const oneStringWidth = {
  name: 'one-string-width',
  setup(esbuild) {
    const top = join(root, 'node_modules/string-width')
    const { version } = JSON.parse(readFileSync(join(top, 'package.json'), 'utf8'))
    if (Number(version.split('.')[0]) < 8) throw new Error(`string-width ${version} at ${top}: the bundle needs 8 or later (its ASCII fast path)`)
    const lookup = Symbol('top-level string-width')
    esbuild.onResolve({ filter: /^string-width$/ }, (args) => {
      if (args.pluginData === lookup) return undefined // esbuild's own resolution, from the repo root
      return esbuild.resolve('string-width', { resolveDir: root, kind: args.kind, pluginData: lookup })
    })
    esbuild.onLoad({ filter: STRING_WIDTH }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      const code = source.replace(/\/\/.*$/gm, '') // comments say "segmenter" too
      const uses = code.match(/\bsegmenter\b/g)?.length ?? 0
      const segmentCalls = code.match(/\bsegmenter\.segment\(/g)?.length ?? 0
      if (!source.includes(EAGER_SEGMENTER) || uses !== segmentCalls + 1) {
        throw new Error(`${args.path} no longer builds its segmenter as \`${EAGER_SEGMENTER}\` and only calls segment() on it: update scripts/build-cli.mjs`)
      }
      return { contents: source.replace(EAGER_SEGMENTER, LAZY_SEGMENTER), loader: 'js' }
    })
  },
}

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Our runtime dependencies are loaded by tsc's output, from node_modules, as before.
  external: ['ts-morph', 'handlebars', '@clack/prompts', '@prisma/prisma-schema-wasm', 'diff', 'node-diff3'],
  plugins: [keepOurModules, relocateYargsLocales, oneStringWidth],
  logLevel: 'warning',
})
if (!yargsLocales) throw new Error('yargs was not bundled from lib/platform-shims/esm.mjs: update scripts/build-cli.mjs for this yargs version')
rmSync(localesDir, { recursive: true, force: true })
cpSync(yargsLocales, localesDir, { recursive: true })
chmodSync(outfile, 0o755)
