import { describe, expect, it } from 'vitest'
import { appTree } from './__tests__/app-tree.js'
import { findClientExport, findPrismaClientModule, findPrismaClientModules } from './find-prisma-client.js'
import { PrismaClientModuleInvalidError, PrismaClientModuleNotFoundError } from './errors.js'

const client = "import { PrismaClient } from '@prisma/client'\n"

describe('findClientExport', () => {
  const cases: [string, string, string | null][] = [
    ['export const db', `${client}export const db = new PrismaClient()`, 'db'],
    ['export const prisma (Next.js global pattern)', `${client}const g = globalThis\nexport const prisma = g.prisma ?? new PrismaClient()`, 'prisma'],
    ['export { client as db }', `${client}const client = new PrismaClient()\nexport { client as db }`, 'db'],
    ['export default', `${client}export default new PrismaClient()`, 'default'],
    ['module.exports = { prisma }', `const { PrismaClient } = require('@prisma/client')\nconst prisma = new PrismaClient()\nmodule.exports = { prisma }`, 'prisma'],
    ['module.exports = client', `const { PrismaClient } = require('@prisma/client')\nmodule.exports = new PrismaClient()`, 'default'],
    ['exports.db =', `exports.db = new (require('@prisma/client').PrismaClient)()`, 'db'],
    ['an oddly named constructed export', `${client}export const orm = new PrismaClient()`, 'orm'],
    ['nothing exported', `${client}const db = new PrismaClient()`, null],
  ]
  for (const [name, text, expected] of cases) {
    it(`recognises ${name}`, () => expect(findClientExport(text)).toBe(expected))
  }
})

describe('findPrismaClientModule', () => {
  it('finds src/lib/db.ts', () => {
    const { tree } = appTree({ 'src/lib/db.ts': `${client}export const db = new PrismaClient()` })
    expect(findPrismaClientModule(tree, 'src')).toEqual({ path: 'src/lib/db.ts', exportName: 'db' })
  })

  it('finds lib/prisma.ts at the app root when the source root has none (Next.js)', () => {
    const { tree } = appTree({ 'src/app/page.tsx': '', 'lib/prisma.ts': `${client}export const prisma = new PrismaClient()` })
    expect(findPrismaClientModule(tree, 'src')).toEqual({ path: 'lib/prisma.ts', exportName: 'prisma' })
  })

  it('finds server/db.ts exporting a client generated to a custom output (Prisma 7)', () => {
    const { tree } = appTree({
      'src/server/db.ts': "import { PrismaClient } from '../generated/prisma/client'\nexport const db = new PrismaClient({ adapter })",
    })
    expect(findPrismaClientModule(tree, 'src')).toEqual({ path: 'src/server/db.ts', exportName: 'db' })
  })

  it('skips a candidate that is not about Prisma', () => {
    const { tree } = appTree({
      'src/db.ts': "import Database from 'better-sqlite3'\nexport const db = new Database('x.db')",
      'src/lib/prisma.ts': `${client}export const prisma = new PrismaClient()`,
    })
    expect(findPrismaClientModule(tree, 'src').path).toBe('src/lib/prisma.ts')
  })

  it('finds a folder index: lib/prisma/index.ts at the app root (monorepo packages)', () => {
    const { tree } = appTree({ 'src/app/page.tsx': '', 'lib/prisma/index.ts': `${client}export const prisma = new PrismaClient()` })
    expect(findPrismaClientModule(tree, 'src')).toEqual({ path: 'lib/prisma/index.ts', exportName: 'prisma' })
  })

  it.each(['src/lib/db/index.ts', 'src/lib/db/index.js', 'src/lib/db.mts', 'src/server/db/index.mts', 'src/db/index.cjs'])('finds %s', (path) => {
    const { tree } = appTree({ [path]: `${client}export const db = new PrismaClient()` })
    expect(findPrismaClientModule(tree, 'src')).toEqual({ path, exportName: 'db' })
  })

  it('lists every module that exports a client, the preferred one first', () => {
    const { tree } = appTree({
      'src/lib/db.ts': `${client}export const db = new PrismaClient()`,
      'lib/prisma/index.ts': `${client}export const prisma = new PrismaClient()`,
      'src/server/db.ts': "import Database from 'better-sqlite3'\nexport const db = new Database('x.db')",
    })
    expect(findPrismaClientModules(tree, 'src')).toEqual([
      { path: 'src/lib/db.ts', exportName: 'db' },
      { path: 'lib/prisma/index.ts', exportName: 'prisma' },
    ])
  })

  it('lists a module once when the source root is the app root', () => {
    const { tree } = appTree({ 'lib/db.ts': `${client}export const db = new PrismaClient()` })
    expect(findPrismaClientModules(tree, '.')).toEqual([{ path: 'lib/db.ts', exportName: 'db' }])
  })

  it('says truthfully where it looked: folder indexes and every extension', () => {
    const { tree } = appTree({ 'src/index.ts': '' })
    const error = (() => {
      try {
        findPrismaClientModule(tree, 'src')
      } catch (caught) {
        return caught as PrismaClientModuleNotFoundError
      }
    })()!
    expect(error.message).toContain('lib/prisma')
    expect(error.message).toMatch(/\/index/)
    expect(error.message).toMatch(/\{ts,mts,cts,js,mjs,cjs\}/)
    expect(error.message).toContain('src/')
  })

  it('fails with advice naming --db when there is none', () => {
    const { tree } = appTree({ 'src/index.ts': '' })
    expect(() => findPrismaClientModule(tree, 'src')).toThrow(PrismaClientModuleNotFoundError)
    try {
      findPrismaClientModule(tree, 'src')
    } catch (error) {
      expect((error as PrismaClientModuleNotFoundError).advice).toMatch(/--db/)
    }
  })

  it('takes --db with an export name, and finds the export itself without one', () => {
    const { tree } = appTree({ 'app/orm.ts': `${client}export const orm = new PrismaClient()` })
    expect(findPrismaClientModule(tree, 'src', 'app/orm.ts#orm')).toEqual({ path: 'app/orm.ts', exportName: 'orm' })
    expect(findPrismaClientModule(tree, 'src', './app/orm.ts')).toEqual({ path: 'app/orm.ts', exportName: 'orm' })
    expect(() => findPrismaClientModule(tree, 'src', 'app/missing.ts')).toThrow(PrismaClientModuleInvalidError)
  })
})
