import { describe, expect, it } from 'vitest'
import { appTree } from './__tests__/app-tree.js'
import { detectProject } from './detect-project.js'
import { PackageJsonNotFoundError, PrismaClientModuleNotFoundError } from './errors.js'
import { jsCjsApp, jsEsmApp, redwoodApp, tsEsmApp } from '../generators/setup/__fixtures__/apps.js'

const summary = async (files: Record<string, string>, options = {}) => {
  const project = await detectProject(appTree(files).tree, options)
  return {
    packageManager: project.packageManager,
    language: project.language,
    moduleType: project.moduleType,
    importStyle: project.importStyle,
    srcRoot: project.srcRoot,
    redwood: project.redwood,
    importAlias: project.importAlias,
    db: project.db,
    schema: { path: project.schema.path, kind: project.schema.kind, provider: project.schema.provider },
  }
}

const schema = (provider = 'sqlite') => `generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "${provider}"\n}\n`
const db = "import { PrismaClient } from '@prisma/client'\nexport const db = new PrismaClient()\n"

describe('detectProject', () => {
  it('detects a TypeScript ESM app with src/, an @/ alias and NodeNext resolution', async () => {
    expect(await summary(tsEsmApp)).toEqual({
      packageManager: 'pnpm', language: 'ts', moduleType: 'esm', importStyle: 'with-extension', srcRoot: 'src', redwood: false,
      importAlias: '@/', db: { path: 'src/lib/db.ts', exportName: 'db' },
      schema: { path: 'prisma/schema.prisma', kind: 'file', provider: 'postgresql' },
    })
  })

  it('detects a JavaScript CommonJS app at the root', async () => {
    expect(await summary(jsCjsApp)).toEqual({
      packageManager: 'npm', language: 'js', moduleType: 'cjs', importStyle: 'with-extension', srcRoot: '.', redwood: false,
      importAlias: null, db: { path: 'db.js', exportName: 'prisma' },
      schema: { path: 'prisma/schema.prisma', kind: 'file', provider: 'sqlite' },
    })
  })

  it('detects a RedwoodJS app: api/src, api/db/schema.prisma, the src/ alias, extensionless imports', async () => {
    expect(await summary(redwoodApp)).toEqual({
      packageManager: 'yarn', language: 'ts', moduleType: 'cjs', importStyle: 'extensionless', srcRoot: 'api/src', redwood: true,
      importAlias: 'src/', db: { path: 'api/src/lib/db.ts', exportName: 'db' },
      schema: { path: 'api/db/schema.prisma', kind: 'file', provider: 'sqlite' },
    })
  })

  it('detects a JavaScript ESM app with a default-exported client', async () => {
    expect(await summary(jsEsmApp)).toEqual({
      packageManager: 'bun', language: 'js', moduleType: 'esm', importStyle: 'with-extension', srcRoot: 'src', redwood: false,
      importAlias: null, db: { path: 'src/db.js', exportName: 'default' },
      schema: { path: 'prisma/schema.prisma', kind: 'file', provider: 'mysql' },
    })
  })

  it('honours --ts/--js and --schema', async () => {
    const files = { ...jsCjsApp, 'other/jobs.prisma': schema('postgresql') }
    const project = await summary(files, { language: 'ts', schema: 'other/jobs.prisma' })
    expect(project.language).toBe('ts')
    expect(project.schema).toEqual({ path: 'other/jobs.prisma', kind: 'file', provider: 'postgresql' })
  })

  it('finds the schema named by package.json "prisma.schema"', async () => {
    const files = {
      'package.json': JSON.stringify({ name: 'a', prisma: { schema: 'database/main.prisma' } }),
      'database/main.prisma': schema('mysql'),
      'src/lib/db.ts': db,
    }
    expect((await summary(files)).schema).toEqual({ path: 'database/main.prisma', kind: 'file', provider: 'mysql' })
  })

  it('finds the schema named by prisma.config.ts', async () => {
    const files = {
      'package.json': JSON.stringify({ name: 'a', type: 'module' }),
      'prisma.config.ts': "import { defineConfig } from 'prisma/config'\n\nexport default defineConfig({\n  schema: 'db/schema',\n})\n",
      'db/schema/main.prisma': schema('postgresql'),
      'db/schema/user.prisma': 'model User {\n  id Int @id\n}\n',
      'src/lib/db.ts': db,
    }
    expect((await summary(files)).schema).toEqual({ path: 'db/schema', kind: 'folder', provider: 'postgresql' })
  })

  it('fails with advice when there is no package.json', async () => {
    const error = await detectProject(appTree({ 'prisma/schema.prisma': schema() }).tree).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PackageJsonNotFoundError)
    expect((error as PackageJsonNotFoundError).advice).toMatch(/npm init/)
  })

  it('fails with advice when there is no Prisma schema', async () => {
    const error = await detectProject(appTree({ 'package.json': '{}', 'src/lib/db.ts': db }).tree).catch((e: unknown) => e)
    expect((error as { code?: string }).code).toBe('SCHEMA_NOT_FOUND')
    expect((error as Error).message).toMatch(/--schema/)
  })

  it('fails with advice when no module exports the Prisma client', async () => {
    const error = await detectProject(appTree({ 'package.json': '{}', 'prisma/schema.prisma': schema() }).tree).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PrismaClientModuleNotFoundError)
  })
})
