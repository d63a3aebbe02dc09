import { ScaffolderError } from '../scaffolder-error.js'
import { describe, expect, it } from 'vitest'
import {
  DatasourceNotFoundError,
  SchemaFileInFolderError,
  SchemaNotFoundError,
  SchemaPathNotFoundError,
  SchemaValidationError,
  UnreadablePrismaConfigError,
  UnsupportedProviderError,
} from './errors.js'
import { findPrismaSchema } from './find-prisma-schema.js'
import { APP_ROOT, fixtureFiles, memoryTree } from './__tests__/schema-test-tree.js'

const schemaFor = (provider: string, extra = '') =>
  `datasource db {\n  provider = "${provider}"\n}\n\ngenerator client {\n  provider = "prisma-client"\n  output   = "../generated"\n}\n${extra}`

const sqlite = schemaFor('sqlite')

describe('findPrismaSchema: where the schema is', () => {
  it('finds prisma/schema.prisma', async () => {
    const { tree } = memoryTree({ 'prisma/schema.prisma': sqlite })
    expect(await findPrismaSchema(tree)).toMatchObject({
      path: 'prisma/schema.prisma',
      kind: 'file',
      provider: 'sqlite',
      generator: { provider: 'prisma-client', output: '../generated' },
      migrationsPath: 'prisma/migrations',
      datasourceFile: 'prisma/schema.prisma',
      foundBy: 'default location',
    })
  })

  it('finds schema.prisma at the root, and prefers it to prisma/schema.prisma as the Prisma CLI does', async () => {
    const { tree } = memoryTree({ 'schema.prisma': sqlite, 'prisma/schema.prisma': schemaFor('postgresql') })
    expect(await findPrismaSchema(tree)).toMatchObject({ path: 'schema.prisma', provider: 'sqlite', migrationsPath: 'migrations' })
  })

  it('finds a multi-file prisma/schema/ folder, reading files in subfolders', async () => {
    const { tree } = memoryTree({
      'prisma/schema/models/user.prisma': 'model User {\n  id Int @id\n}\n',
      'prisma/schema/db/datasource.prisma': schemaFor('postgresql'),
    })
    expect(await findPrismaSchema(tree)).toMatchObject({
      path: 'prisma/schema',
      kind: 'folder',
      provider: 'postgresql',
      datasourceFile: 'prisma/schema/db/datasource.prisma',
      migrationsPath: 'prisma/schema/migrations',
    })
  })

  it('finds RedwoodJS api/db/schema.prisma from the project root', async () => {
    const { tree } = memoryTree({ 'redwood.toml': '[web]\n', 'api/db/schema.prisma': sqlite })
    expect(await findPrismaSchema(tree)).toMatchObject({ path: 'api/db/schema.prisma', migrationsPath: 'api/db/migrations', foundBy: 'RedwoodJS layout' })
  })

  it('reads package.json "prisma.schema"', async () => {
    const { tree } = memoryTree(fixtureFiles('mysql-native-types'))
    expect(await findPrismaSchema(tree)).toMatchObject({ path: 'db/schema.prisma', provider: 'mysql', foundBy: 'package.json "prisma.schema"' })
  })

  it.each([
    ['prisma.config.ts', "import { defineConfig } from 'prisma/config'\nexport default defineConfig({\n  schema: 'db/main.prisma',\n})\n"],
    ['prisma.config.mjs', 'export default {\n  // schema: "wrong.prisma",\n  schema: "db/main.prisma", /* schema: "also wrong" */\n}\n'],
    ['prisma.config.js', "const path = require('node:path')\nmodule.exports = { schema: path.join('db', 'main.prisma') }\n"],
    ['prisma.config.ts', "import path from 'node:path'\nexport default { schema: path.join(__dirname, 'db', 'main.prisma'), datasource: { url: 'file://x//y' } }\n"],
    ['prisma.config.ts', 'export default { schema: `db/main.prisma` }\n'],
  ])('reads `schema` from %s without running it (%#)', async (file, code) => {
    const { tree } = memoryTree({ [file]: code, 'db/main.prisma': sqlite, 'prisma/schema.prisma': schemaFor('postgresql') })
    expect(await findPrismaSchema(tree)).toMatchObject({ path: 'db/main.prisma', kind: 'file', foundBy: file })
  })

  it('treats a prisma.config `schema` folder as a multi-file schema and reads `migrations.path`', async () => {
    const files = {
      ...fixtureFiles('multi-file-postgresql'),
      'prisma.config.ts': "export default defineConfig({\n  schema: 'prisma/schema',\n  migrations: { path: 'db/migrations', seed: 'tsx seed.ts' },\n})\n",
    }
    const { tree } = memoryTree(files)
    expect(await findPrismaSchema(tree)).toMatchObject({ path: 'prisma/schema', kind: 'folder', migrationsPath: 'db/migrations' })
  })

  it('puts migrations next to the datasource file for Prisma 6 multi-file schemas, in the folder for Prisma 7', async () => {
    const files = {
      'prisma/schema/models.prisma': 'model User {\n  id Int @id\n}\n',
      'prisma/schema/base/db.prisma': sqlite,
    }
    const prisma6 = memoryTree({ ...files, 'package.json': '{"devDependencies":{"prisma":"^6.19.0"}}' }).tree
    const prisma7 = memoryTree({ ...files, 'package.json': '{"devDependencies":{"prisma":"^7.10.0"}}' }).tree
    expect((await findPrismaSchema(prisma6)).migrationsPath).toBe('prisma/schema/base/migrations')
    expect((await findPrismaSchema(prisma7)).migrationsPath).toBe('prisma/schema/migrations')
  })

  it('accepts --schema as a file, a folder or an absolute path', async () => {
    const { tree } = memoryTree({ 'other/app.prisma': sqlite, 'multi/a.prisma': schemaFor('mysql'), 'prisma/schema.prisma': schemaFor('postgresql') })
    expect(await findPrismaSchema(tree, { schema: 'other/app.prisma' })).toMatchObject({ path: 'other/app.prisma', foundBy: '--schema' })
    expect(await findPrismaSchema(tree, { schema: './multi/' })).toMatchObject({ path: 'multi', kind: 'folder', provider: 'mysql' })
    expect(await findPrismaSchema(tree, { schema: `${APP_ROOT}/other/app.prisma` })).toMatchObject({ path: 'other/app.prisma' })
  })

  it('applies the precedence --schema > prisma.config > package.json > default locations', async () => {
    const files: Record<string, string> = {
      'cli.prisma': schemaFor('sqlite'),
      'config.prisma': schemaFor('postgresql'),
      'pkg.prisma': schemaFor('mysql'),
      'prisma/schema.prisma': schemaFor('sqlite'),
      'prisma.config.ts': "export default { schema: 'config.prisma' }\n",
      'package.json': JSON.stringify({ prisma: { schema: 'pkg.prisma' } }),
    }
    expect((await findPrismaSchema(memoryTree(files).tree, { schema: 'cli.prisma' })).path).toBe('cli.prisma')
    expect((await findPrismaSchema(memoryTree(files).tree)).path).toBe('config.prisma')
    delete files['prisma.config.ts']
    expect((await findPrismaSchema(memoryTree(files).tree)).path).toBe('pkg.prisma')
    delete files['package.json']
    expect((await findPrismaSchema(memoryTree(files).tree)).path).toBe('prisma/schema.prisma')
  })
})

describe('findPrismaSchema: what the schema says', () => {
  it('normalises provider "postgres" to "postgresql" and reads a Prisma 6 prisma-client-js generator', async () => {
    const { tree } = memoryTree(fixtureFiles('prisma6-postgresql'))
    expect(await findPrismaSchema(tree)).toMatchObject({ provider: 'postgresql', generator: { provider: 'prisma-client-js' } })
    const views = await findPrismaSchema(memoryTree(fixtureFiles('views-postgresql')).tree)
    expect(views.provider).toBe('postgresql')
  })

  it('names an existing jobs model (same fields, any name or table)', async () => {
    const { tree } = memoryTree(fixtureFiles('existing-jobs-model'))
    expect((await findPrismaSchema(tree)).modelName).toBe('Job')
    expect((await findPrismaSchema(memoryTree(fixtureFiles('doc-comments-sqlite')).tree)).modelName).toBeUndefined()
  })
})

describe('findPrismaSchema: errors', () => {
  it('says where it looked and what to do when there is no schema', async () => {
    const error = await findPrismaSchema(memoryTree({ 'package.json': '{}' }).tree).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaNotFoundError)
    expect((error as Error).message).toMatch(/prisma\/schema\.prisma/)
    expect((error as ScaffolderError).advice).toMatch(/npx prisma init|--schema/)
  })

  it('fails on a --schema path that does not exist instead of falling back', async () => {
    const { tree } = memoryTree({ 'prisma/schema.prisma': sqlite })
    const error = await findPrismaSchema(tree, { schema: 'nope.prisma' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaPathNotFoundError)
    expect(error).toMatchObject({ path: 'nope.prisma', source: '--schema' })
  })

  it('fails on a prisma.config or package.json path that does not exist', async () => {
    const config = memoryTree({ 'prisma.config.ts': "export default { schema: 'gone.prisma' }", 'prisma/schema.prisma': sqlite }).tree
    await expect(findPrismaSchema(config)).rejects.toMatchObject({ code: 'SCHEMA_PATH_NOT_FOUND', source: 'prisma.config.ts' })
    const pkg = memoryTree({ 'package.json': '{"prisma":{"schema":"gone.prisma"}}', 'prisma/schema.prisma': sqlite }).tree
    await expect(findPrismaSchema(pkg)).rejects.toBeInstanceOf(SchemaPathNotFoundError)
  })

  it('asks for --schema when prisma.config computes the path', async () => {
    const { tree } = memoryTree({ 'prisma.config.ts': 'export default { schema: process.env.SCHEMA_PATH }', 'prisma/schema.prisma': sqlite })
    const error = await findPrismaSchema(tree).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnreadablePrismaConfigError)
    expect((error as ScaffolderError).advice).toMatch(/--schema/)
  })

  it.each(['sqlserver', 'cockroachdb'])('refuses provider %s with a clear error', async (provider) => {
    const { tree } = memoryTree({ 'prisma/schema.prisma': schemaFor(provider) })
    const error = await findPrismaSchema(tree).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnsupportedProviderError)
    expect((error as Error).message).toMatch(new RegExp(`"${provider}".*SQLite, PostgreSQL or MySQL`))
  })

  it('tells a MongoDB app plainly that jobs-kit cannot run on it, without advice to point --schema elsewhere', async () => {
    const { tree } = memoryTree({ 'prisma/schema.prisma': schemaFor('mongodb') })
    const error = await findPrismaSchema(tree).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnsupportedProviderError)
    const message = (error as Error).message
    expect(message).toMatch(/uses MongoDB/)
    expect(message).toMatch(/SQLite, PostgreSQL or MySQL/)
    expect(message).toMatch(/cannot run on it/)
    expect(message).not.toMatch(/--schema/)
    expect((error as ScaffolderError).advice).not.toMatch(/--schema/)
  })

  it('quotes the engine when the datasource provider is not one Prisma knows', async () => {
    const { tree } = memoryTree({ 'prisma/schema.prisma': schemaFor('postgress') })
    const error = await findPrismaSchema(tree).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaValidationError)
    expect((error as SchemaValidationError).engineMessage).toMatch(/provider not known: "postgress"/)
  })

  it('refuses a schema without a datasource block', async () => {
    const { tree } = memoryTree({ 'prisma/schema.prisma': 'model User {\n  id Int @id\n}\n' })
    await expect(findPrismaSchema(tree)).rejects.toBeInstanceOf(DatasourceNotFoundError)
  })

  it('refuses a schema that does not validate, quoting the engine', async () => {
    const { tree } = memoryTree({ 'prisma/schema.prisma': schemaFor('sqlite', '\nmodel User {\n  id Int @id\n  team Team\n}\n') })
    const error = await findPrismaSchema(tree).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaValidationError)
    expect((error as SchemaValidationError).engineMessage).toMatch(/Team/)
  })

  it('refuses a folder without .prisma files given by --schema', async () => {
    const { tree } = memoryTree({ 'empty/readme.md': 'x', 'prisma/schema.prisma': sqlite })
    await expect(findPrismaSchema(tree, { schema: 'empty' })).rejects.toBeInstanceOf(SchemaPathNotFoundError)
  })

  it('quotes the engine without terminal colour codes (the CLI may print to a file or a pipe)', async () => {
    const { tree } = memoryTree({ 'prisma/schema.prisma': schemaFor('sqlite', '\nmodel User {\n  id Int @id\n  team Team\n}\n') })
    const error = (await findPrismaSchema(tree).catch((e: unknown) => e)) as SchemaValidationError
    expect(error.engineMessage).toMatch(/Team/)
    expect(error.message).not.toMatch(/\u001b\[/)
  })
})

describe('findPrismaSchema: --schema at one file of a multi-file schema', () => {
  const folder = {
    'prisma/schema/schema.prisma': `${schemaFor('postgresql')}\nmodel Team {\n  id      Int    @id\n  members User[]\n}\n`,
    'prisma/schema/models/user.prisma': 'model User {\n  id     Int  @id\n  teamId Int\n  team   Team @relation(fields: [teamId], references: [id])\n}\n',
    'prisma/schema/models/enums.prisma': 'enum Kind {\n  A\n}\n',
  }

  it('says to pass the folder when the file with the datasource does not validate on its own', async () => {
    const { tree } = memoryTree(folder)
    const error = await findPrismaSchema(tree, { schema: 'prisma/schema/schema.prisma' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaFileInFolderError)
    expect((error as ScaffolderError).advice).toMatch(/pass the folder: --schema prisma\/schema\b/i)
    // One short message, not the engine's errors for every missing model.
    expect((error as Error).message.split('\n').length).toBeLessThan(4)
  })

  it('says to pass the folder when the file has no datasource, from a subfolder of the schema', async () => {
    const { tree } = memoryTree(folder)
    const error = await findPrismaSchema(tree, { schema: 'prisma/schema/models/user.prisma' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaFileInFolderError)
    expect((error as ScaffolderError).advice).toMatch(/--schema prisma\/schema\b/)
  })

  it('still quotes the engine when the folder does not validate either', async () => {
    const { tree } = memoryTree({ ...folder, 'prisma/schema/models/user.prisma': 'model User {\n  id Int @id\n  team Missing\n}\n' })
    const error = await findPrismaSchema(tree, { schema: 'prisma/schema/schema.prisma' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaValidationError)
  })
})
