import { describe, expect, it } from 'vitest'
import { appTree } from './__tests__/app-tree.js'
import { readTsconfig } from './read-tsconfig.js'
import { detectImportAlias } from './detect-import-alias.js'
import { parseJsonc } from './parse-jsonc.js'
import { InvalidJsonFileError } from './errors.js'

describe('parseJsonc', () => {
  it('accepts comments and trailing commas but keeps // and /* inside strings', () => {
    const text = `{
      // line comment
      "a": "http://x/*y*/", /* block */
      "b": [1, 2,],
    }`
    expect(parseJsonc(text, 'x.json')).toEqual({ a: 'http://x/*y*/', b: [1, 2] })
  })

  it('names the file when it cannot parse it', () => {
    expect(() => parseJsonc('{ "a": }', 'tsconfig.json')).toThrow(InvalidJsonFileError)
    expect(() => parseJsonc('{ "a": }', 'tsconfig.json')).toThrow(/tsconfig.json/)
  })
})

describe('readTsconfig', () => {
  it('reads moduleResolution and paths, following a relative extends', () => {
    const { tree } = appTree({
      'tsconfig.base.json': '{ "compilerOptions": { "moduleResolution": "Bundler", "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }',
      'tsconfig.json': '{ "extends": "./tsconfig.base", "compilerOptions": { "strict": true } }',
    })
    const info = readTsconfig(tree, ['tsconfig.json'])!
    expect(info.moduleResolution).toBe('bundler')
    expect(info.paths).toEqual({ '@/*': ['src/*'] })
    expect(info.pathsBase).toBe('.')
    expect(detectImportAlias(info, 'src')).toBe('@/')
  })

  it('follows a package base from node_modules (@tsconfig/node20), and skips one that is not installed', () => {
    const { tree } = appTree({
      'node_modules/@tsconfig/node20/tsconfig.json': '{ "compilerOptions": { "module": "node16", "target": "es2022" } }',
      'tsconfig.json': '{ "extends": ["@tsconfig/strictest", "@tsconfig/node20/tsconfig.json"] }',
    })
    expect(readTsconfig(tree, ['tsconfig.json'])!.moduleResolution).toBe('node16')
    const { tree: bare } = appTree({ 'tsconfig.json': '{ "extends": "@tsconfig/node20" }' })
    expect(readTsconfig(bare, ['tsconfig.json'])!.moduleResolution).toBeNull()
  })

  it('infers NodeNext resolution from module: NodeNext', () => {
    const { tree } = appTree({ 'tsconfig.json': '{ "compilerOptions": { "module": "NodeNext" } }' })
    expect(readTsconfig(tree, ['tsconfig.json'])!.moduleResolution).toBe('nodenext')
  })

  it('is null without a config file', () => {
    expect(readTsconfig(appTree({}).tree, ['tsconfig.json', 'jsconfig.json'])).toBeNull()
  })
})

describe('detectImportAlias', () => {
  it('finds RedwoodJS\'s src/* alias relative to api/tsconfig.json\'s baseUrl', () => {
    const { tree } = appTree({
      'api/tsconfig.json': `{
        "compilerOptions": {
          "baseUrl": "./",
          "paths": { "src/*": ["./src/*", "../.redwood/types/mirror/api/src/*"], "types/*": ["./types/*"] },
        },
      }`,
    })
    expect(detectImportAlias(readTsconfig(tree, ['api/tsconfig.json']), 'api/src')).toBe('src/')
  })

  it('finds ~/ and @/ without a baseUrl (paths relative to the tsconfig) and prefers @/', () => {
    const { tree } = appTree({ 'tsconfig.json': '{ "compilerOptions": { "paths": { "~/*": ["./src/*"], "@/*": ["./src/*"] } } }' })
    expect(detectImportAlias(readTsconfig(tree, ['tsconfig.json']), 'src')).toBe('@/')
  })

  it('is null when no alias points at the source root', () => {
    const { tree } = appTree({ 'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./app/*"] } } }' })
    expect(detectImportAlias(readTsconfig(tree, ['tsconfig.json']), 'src')).toBeNull()
    expect(detectImportAlias(null, 'src')).toBeNull()
  })

  it('finds an alias to the app root when the source root is the root', () => {
    const { tree } = appTree({ 'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }' })
    expect(detectImportAlias(readTsconfig(tree, ['tsconfig.json']), '.')).toBe('@/')
  })
})
