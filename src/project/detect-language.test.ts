import { describe, expect, it } from 'vitest'
import { appTree } from './__tests__/app-tree.js'
import { detectLanguage } from './detect-language.js'

describe('detectLanguage', () => {
  it('is TypeScript with a tsconfig.json', () => {
    expect(detectLanguage(appTree({ 'tsconfig.json': '{}', 'src/a.js': '' }).tree, {}, 'src')).toBe('ts')
  })

  it('is TypeScript for a RedwoodJS app with api/tsconfig.json', () => {
    expect(detectLanguage(appTree({ 'api/tsconfig.json': '{}' }).tree, {}, 'api/src')).toBe('ts')
  })

  it('is TypeScript with a typescript dependency and no JS sources', () => {
    expect(detectLanguage(appTree({ 'src/a.ts': '' }).tree, { devDependencies: { typescript: '^5' } }, 'src')).toBe('ts')
    expect(detectLanguage(appTree({}).tree, { devDependencies: { typescript: '^5' } }, '.')).toBe('ts')
  })

  it('is JavaScript when the sources are all .js, even with typescript installed (for type checking JS)', () => {
    expect(detectLanguage(appTree({ 'src/a.js': '', 'src/lib/b.mjs': '' }).tree, { devDependencies: { typescript: '^5' } }, 'src')).toBe('js')
  })

  it('is TypeScript from .ts sources alone', () => {
    expect(detectLanguage(appTree({ 'lib/db.ts': '', 'index.ts': '' }).tree, {}, '.')).toBe('ts')
  })

  it('is JavaScript with neither tsconfig, typescript nor .ts files (a jsconfig.json does not count)', () => {
    expect(detectLanguage(appTree({ 'jsconfig.json': '{}', 'index.js': '' }).tree, {}, '.')).toBe('js')
  })

  it('ignores node_modules and .d.ts files', () => {
    expect(detectLanguage(appTree({ 'index.js': '', 'node_modules/x/index.ts': '', 'types.d.ts': '' }).tree, {}, '.')).toBe('js')
  })
})
