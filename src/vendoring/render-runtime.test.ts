import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { renderRuntimeFiles, type RenderRuntimeOptions } from './render-runtime.js'
import { isRuntimeTestFile, readRuntimeSources } from './read-runtime-sources.js'
import { runtimeSources } from './__fixtures__/runtime-sources.js'

const ts: RenderRuntimeOptions = { language: 'ts', moduleType: 'esm', importStyle: 'with-extension' }

const temps: string[] = []
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})

/** Writes rendered files into a fresh folder (with a package.json of the given type); returns it. */
function writeCopy(files: Map<string, string>, type: 'module' | 'commonjs'): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-vendor-'))
  temps.push(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }))
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

describe('renderRuntimeFiles on a small runtime', () => {
  it('leaves out tests, type tests, __tests__ and __fixtures__', () => {
    expect([...renderRuntimeFiles(ts, runtimeSources).keys()]).toEqual([
      'index.ts', 'errors.ts', 'types.ts', 'worker/backoff.ts', 'manager/job-manager.ts', 'cycle/ping.ts', 'cycle/pong.ts', 'README.md',
    ])
  })

  it('vendors TypeScript as is for NodeNext apps', () => {
    const files = renderRuntimeFiles(ts, runtimeSources)
    expect(files.get('manager/job-manager.ts')).toBe(runtimeSources.get('manager/job-manager.ts'))
  })

  it('drops .js from relative imports for extensionless apps, and only from relative ones', () => {
    const files = renderRuntimeFiles({ ...ts, importStyle: 'extensionless' }, runtimeSources)
    expect(files.get('index.ts')).toMatchInlineSnapshot(`
      "/** The runtime's public API. */
      export { JobManager } from './manager/job-manager'
      export { backoffSeconds } from './worker/backoff'
      export { ping } from './cycle/ping'
      export * from './errors'
      export type { Logger } from './types'
      "
    `)
    expect(files.get('manager/job-manager.ts')).toContain("from 'node:url'")
  })

  it('strips types into readable ESM JavaScript, keeping comments, blank lines and template text', () => {
    const files = renderRuntimeFiles({ language: 'js', moduleType: 'esm', importStyle: 'with-extension' }, runtimeSources)
    expect([...files.keys()]).toEqual(['index.js', 'errors.js', 'types.js', 'worker/backoff.js', 'manager/job-manager.js', 'cycle/ping.js', 'cycle/pong.js', 'README.md'])
    expect(files.get('manager/job-manager.js')).toMatchSnapshot()
    expect(files.get('worker/backoff.js')).toMatchInlineSnapshot(`
      "/**
       * Seconds to wait before the next attempt: attempts⁴ (1, 16, 81, …).
       */
      export function backoffSeconds(attempts) {
        return attempts ** 4;
      }
      "
    `)
  })

  it('strips types into hand-written-looking CommonJS, with import.meta.url rebuilt from __filename and import() kept', () => {
    const files = renderRuntimeFiles({ language: 'js', moduleType: 'cjs', importStyle: 'with-extension' }, runtimeSources)
    const manager = files.get('manager/job-manager.js')!
    expect(manager).toMatchSnapshot()
    expect(manager).not.toContain('import.meta')
    expect(manager).toContain('await import(path)')
    expect(files.get('index.js')).toMatchSnapshot()
    expect(files.get('types.js')).toBe('// This module only declares TypeScript types: in JavaScript it is empty.\n')
  })

  it('keeps TypeScript\'s CommonJS emit (live bindings) for modules in an import cycle', () => {
    const files = renderRuntimeFiles({ language: 'js', moduleType: 'cjs', importStyle: 'with-extension' }, runtimeSources)
    expect(files.get('cycle/ping.js')).toContain('(0, pong_js_1.pong)(n - 1)')
    expect(files.get('cycle/pong.js')).toContain('exports.pong = pong')
    expect(files.get('worker/backoff.js')).toContain('module.exports = { backoffSeconds };')
  })

  it('renders CommonJS that loads and runs under Node', () => {
    const dir = writeCopy(renderRuntimeFiles({ language: 'js', moduleType: 'cjs', importStyle: 'with-extension' }, runtimeSources), 'commonjs')
    const out = execFileSync(process.execPath, ['-e', `
      const { JobManager, backoffSeconds, ping, JobsKitError } = require(${JSON.stringify(join(dir, 'index.js'))})
      const m = new JobManager(['a', 'b'])
      console.log(backoffSeconds(2), m.delay(11), m.self.endsWith('job-manager.js'), ping(3), typeof JobsKitError, m.usage().split('\\n')[1])
    `], { encoding: 'utf8' })
    expect(out.trim()).toBe('16 10000 true pong function     work      run attached')
  })

  it('renders ESM that loads and runs under Node', () => {
    const dir = writeCopy(renderRuntimeFiles({ language: 'js', moduleType: 'esm', importStyle: 'with-extension' }, runtimeSources), 'module')
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
      const { JobManager, backoffSeconds } = await import(${JSON.stringify(join(dir, 'index.js'))})
      const m = new JobManager(['a'])
      console.log(backoffSeconds(3), m.self.endsWith('job-manager.js'))
    `], { encoding: 'utf8' })
    expect(out.trim()).toBe('81 true')
  })
})

describe('renderRuntimeFiles on the real runtime (src/runtime)', () => {
  const sources = readRuntimeSources()

  it('reads every runtime file but the tests and fixtures', () => {
    expect(sources.size).toBeGreaterThan(0)
    for (const path of sources.keys()) expect(isRuntimeTestFile(path), path).toBe(false)
  })

  it('renders one file per source, .ts becoming .js for JS apps', () => {
    const js = renderRuntimeFiles({ language: 'js', moduleType: 'esm', importStyle: 'with-extension' }, sources)
    expect([...js.keys()].sort()).toEqual([...sources.keys()].map((path) => path.replace(/(?<!\.d)\.ts$/, '.js')).sort())
  })

  for (const moduleType of ['esm', 'cjs'] as const) {
    it(`renders ${moduleType} JavaScript that Node's parser accepts, file by file`, () => {
      const files = renderRuntimeFiles({ language: 'js', moduleType, importStyle: 'with-extension' }, sources)
      const dir = writeCopy(files, moduleType === 'esm' ? 'module' : 'commonjs')
      const paths = [...files.keys()].filter((path) => path.endsWith('.js'))
      // One process parses them all (what node --check does, without a process per file):
      // ESM as a vm.SourceTextModule, CommonJS inside Node's module wrapper. Nothing runs.
      const script = `
        const vm = require('node:vm'), fs = require('node:fs'), path = require('node:path')
        const failures = []
        for (const file of ${JSON.stringify(paths)}) {
          const code = fs.readFileSync(path.join(${JSON.stringify(dir)}, file), 'utf8')
          try {
            if (${moduleType === 'esm'}) new vm.SourceTextModule(code, { identifier: file })
            else new vm.Script('(function (exports, require, module, __filename, __dirname) {' + code + '\\n})', { filename: file })
          } catch (error) { failures.push(file + ': ' + error.message) }
        }
        console.log(JSON.stringify(failures))
      `
      const out = execFileSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', '-e', script], { encoding: 'utf8' })
      expect(JSON.parse(out)).toEqual([])
      for (const [path, content] of files) {
        if (!path.endsWith('.js')) continue
        if (moduleType === 'cjs') expect(content, path).not.toMatch(/import\.meta|^import |^export /m)
        else expect(content, path).not.toMatch(/^"use strict"|Object\.defineProperty\(exports/m)
      }
    })
  }

  it('renders a CommonJS runtime whose index loads with require() and exports the API', () => {
    const dir = writeCopy(renderRuntimeFiles({ language: 'js', moduleType: 'cjs', importStyle: 'with-extension' }, sources), 'commonjs')
    const out = execFileSync(process.execPath, ['-e', `
      const runtime = require(${JSON.stringify(join(dir, 'index.js'))})
      console.log(typeof runtime.JobManager, typeof runtime.PrismaAdapter, typeof runtime.currentJob, typeof runtime.JobsKitError)
    `], { encoding: 'utf8' })
    expect(out.trim()).toBe('function function function function')
  })

  it('renders an ESM runtime whose index loads with import() and exports the API', () => {
    const dir = writeCopy(renderRuntimeFiles({ language: 'js', moduleType: 'esm', importStyle: 'with-extension' }, sources), 'module')
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
      const runtime = await import(${JSON.stringify(join(dir, 'index.js'))})
      console.log(typeof runtime.JobManager, typeof runtime.PrismaAdapter, typeof runtime.currentJob, typeof runtime.JobsKitError)
    `], { encoding: 'utf8' })
    expect(out.trim()).toBe('function function function function')
  })

  it('node --check accepts the CommonJS runner entry point', () => {
    const files = renderRuntimeFiles({ language: 'js', moduleType: 'cjs', importStyle: 'with-extension' }, sources)
    const dir = writeCopy(files, 'commonjs')
    const entry = [...files.keys()].find((path) => path === 'runner/cli.js') ?? [...files.keys()].find((path) => path.endsWith('.js'))!
    expect(() => execFileSync(process.execPath, ['--check', join(dir, entry)], { stdio: 'pipe' })).not.toThrow()
  })
})
