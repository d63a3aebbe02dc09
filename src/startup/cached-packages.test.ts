import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CACHED_PACKAGES } from './compile-cache.js'

// A script compiled from V8's cached code has no dynamic import callback on
// Node 20, so every package the compile cache covers must never call import().
// This reads the installed files with TypeScript's parser (text search is not
// enough: TypeScript's own source has "import(" in its messages).
const require = createRequire(import.meta.url)
const { ts } = require('ts-morph') as typeof import('ts-morph')
type TsNode = import('ts-morph').ts.Node

function packageFiles(name: string): string[] {
  const root = dirname(require.resolve(`${name}/package.json`))
  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.(c?js)$/.test(entry.name)) files.push(path)
    }
  }
  walk(root)
  return files
}

function dynamicImports(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const found: string[] = []
  const visit = (node: TsNode) => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      found.push(`${path}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('packages the compile cache covers', () => {
  it.each(CACHED_PACKAGES)('%s never calls import()', (name) => {
    const files = packageFiles(name)
    expect(files.length).toBeGreaterThan(0)
    expect(files.flatMap(dynamicImports)).toEqual([])
  })

  it('the check finds an import() call, and not one in a string', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-imports-'))
    try {
      const file = join(dir, 'a.js')
      writeFileSync(file, "const message = 'use import(\"x\")'\nexports.load = () => import('./b.mjs')\n")
      expect(dynamicImports(file)).toEqual([`${file}:2`])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
