import { describe, expect, it } from 'vitest'
import { detectImportStyle, detectModuleType } from './detect-module-type.js'
import type { TsconfigInfo } from './read-tsconfig.js'

const tsconfig = (moduleResolution: string | null): TsconfigInfo => ({ path: 'tsconfig.json', pathsBase: '.', paths: {}, moduleResolution, module: null })

describe('detectModuleType', () => {
  it('is ESM for "type": "module" and CommonJS otherwise (Node\'s rule)', () => {
    expect(detectModuleType({ type: 'module' })).toBe('esm')
    expect(detectModuleType({ type: 'commonjs' })).toBe('cjs')
    expect(detectModuleType({})).toBe('cjs')
  })
})

describe('detectImportStyle', () => {
  it('keeps .js for NodeNext and Node16 resolution', () => {
    expect(detectImportStyle('ts', tsconfig('nodenext'))).toBe('with-extension')
    expect(detectImportStyle('ts', tsconfig('node16'))).toBe('with-extension')
  })

  it('goes extensionless for bundler and node10 resolution, and without a tsconfig', () => {
    expect(detectImportStyle('ts', tsconfig('bundler'))).toBe('extensionless')
    expect(detectImportStyle('ts', tsconfig('node10'))).toBe('extensionless')
    expect(detectImportStyle('ts', tsconfig('node'))).toBe('extensionless')
    expect(detectImportStyle('ts', null)).toBe('extensionless')
  })

  it('always keeps .js in JavaScript apps (Node needs it for ESM; require accepts it)', () => {
    expect(detectImportStyle('js', tsconfig('bundler'))).toBe('with-extension')
    expect(detectImportStyle('js', null)).toBe('with-extension')
  })
})
