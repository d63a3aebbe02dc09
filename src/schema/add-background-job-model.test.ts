import { ScaffolderError } from '../scaffolder-error.js'
import { describe, expect, it } from 'vitest'
import { addBackgroundJobModel } from './add-background-job-model.js'
import { DatabaseSchemaNotListedError, DatabaseSchemasNotUsedError, ExistingJobsModelError, InvalidModelNameError, JobsModelClashError, SchemaValidationError } from './errors.js'
import { findPrismaSchema } from './find-prisma-schema.js'
import { readSchemaFiles } from './schema-files.js'
import { formatSchema, forValidation, getDmmf, loadSchemaWasm, validateSchema, type Dmmf, type SchemaFiles } from './schema-wasm.js'
import { fixtureFiles, memoryTree } from './__tests__/schema-test-tree.js'

const toCrlf = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([path, content]) => [path, path.endsWith('.prisma') ? content.replace(/\n/g, '\r\n') : content]))

interface SchemaCase {
  name: string
  files: Record<string, string>
  kind: 'file' | 'folder'
  eol: '\n' | '\r\n'
}

const withoutFinalNewline = fixtureFiles('doc-comments-sqlite')
withoutFinalNewline['prisma/schema.prisma'] = withoutFinalNewline['prisma/schema.prisma']!.trimEnd()

const multiFile = { ...fixtureFiles('multi-file-postgresql'), 'prisma.config.ts': "export default { schema: 'prisma/schema' }\n" }

// Prisma 6 multi-file: the datasource keeps its connection URLs.
const multiFilePrisma6 = {
  ...multiFile,
  'prisma/schema/schema.prisma': (multiFile as Record<string, string>)['prisma/schema/schema.prisma']!.replace(
    'provider = "postgresql"',
    'provider  = "postgresql"\n  url       = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")',
  ),
}

const cases: SchemaCase[] = [
  { name: 'SQLite with /// doc comments, trailing // comments, an enum and @@map', files: fixtureFiles('doc-comments-sqlite'), kind: 'file', eol: '\n' },
  { name: 'SQLite without a final newline', files: withoutFinalNewline, kind: 'file', eol: '\n' },
  { name: 'SQLite with CRLF line endings and prisma-client-js', files: toCrlf(fixtureFiles('crlf-sqlite')), kind: 'file', eol: '\r\n' },
  { name: 'PostgreSQL ("postgres") with views, native types, a mapped enum, ending in a comment without newline', files: fixtureFiles('views-postgresql'), kind: 'file', eol: '\n' },
  { name: 'MySQL with a datasource named `database` and native types, found through package.json', files: fixtureFiles('mysql-native-types'), kind: 'file', eol: '\n' },
  { name: 'Prisma 6 app: prisma-client-js, url/directUrl in the datasource, lists', files: fixtureFiles('prisma6-postgresql'), kind: 'file', eol: '\n' },
  { name: 'multi-file schema folder (prisma.config.ts), models in a subfolder', files: multiFile, kind: 'folder', eol: '\n' },
  { name: 'multi-file schema folder with CRLF line endings', files: toCrlf(multiFile), kind: 'folder', eol: '\r\n' },
  // A Prisma 6 schema checked out on Windows (core.autocrlf): every url/directUrl line ends in \r.
  { name: 'Prisma 6 app with CRLF line endings: url/directUrl in the datasource', files: toCrlf(fixtureFiles('prisma6-postgresql')), kind: 'file', eol: '\r\n' },
  { name: 'Prisma 6 multi-file schema folder with CRLF line endings', files: toCrlf(multiFilePrisma6), kind: 'folder', eol: '\r\n' },
]

/** Everything the DMMF says about the models, views, enums, types and indexes other than `newModel`. */
function existingDatamodel(dmmf: Dmmf, newModel: string) {
  const { models, enums, types, indexes } = dmmf.datamodel  // views are among the models
  return {
    models: models.filter((model) => model.name !== newModel),
    enums,
    types,
    indexes: (indexes as Array<{ model: string }> | undefined)?.filter((index) => index.model !== newModel),
  }
}

/** The full DMMF straight from the wasm's `get_dmmf` (production code reads the cheaper `get_datamodel`). */
function dmmfOf(files: SchemaFiles): Dmmf {
  return JSON.parse(loadSchemaWasm().get_dmmf(JSON.stringify({ prismaSchema: forValidation(files) }))) as Dmmf
}

function hasOnly(eol: '\n' | '\r\n', text: string): boolean {
  return eol === '\r\n' ? !/(^|[^\r])\n/.test(text) && !/\r(?!\n)/.test(text) : !text.includes('\r')
}

describe('addBackgroundJobModel on real-world schemas', () => {
  for (const schemaCase of cases) {
    describe(schemaCase.name, () => {
      it('appends a formatted, valid jobs model and leaves every existing model, view and enum exactly as Prisma parsed it', async () => {
        const { tree } = memoryTree(schemaCase.files)
        const schema = await findPrismaSchema(tree)
        expect(schema.kind).toBe(schemaCase.kind)
        const before = readSchemaFiles(tree, schema)

        const result = await addBackgroundJobModel(tree, schema)
        expect(result).toMatchObject({ changed: true, modelName: 'BackgroundJob' })
        const after = readSchemaFiles(tree, schema)

        expect(validateSchema(after)).toBeNull()
        const dmmfAfter = dmmfOf(after)
        expect(existingDatamodel(dmmfAfter, 'BackgroundJob')).toEqual(existingDatamodel(dmmfOf(before), 'BackgroundJob'))
        // What the code reads (get_datamodel) is the DMMF's datamodel.
        expect(getDmmf(after).datamodel).toEqual(dmmfAfter.datamodel)
        expect(dmmfAfter.datamodel.models.map((model) => model.name)).toContain('BackgroundJob')

        const changes = tree.changes()
        expect(changes).toHaveLength(1)
        const change = changes[0]!
        let added: string
        if (schemaCase.kind === 'file') {
          expect(change.kind).toBe('update')
          expect(change.after!.startsWith(change.before!)).toBe(true)
          added = change.after!.slice(change.before!.length)
          // The file's own trailing-newline convention is kept.
          expect(change.after!.endsWith('\n')).toBe(change.before!.endsWith('\n'))
        } else {
          expect(change).toMatchObject({ kind: 'create', path: 'prisma/schema/jobs.prisma' })
          expect(before.map(([path, content]) => [path, tree.read(path)])).toEqual(before)
          added = change.after!
        }
        expect(hasOnly(schemaCase.eol, change.after!)).toBe(true)
        // The appended model is exactly what `prisma format` would print.
        const model = added.replace(/\r\n/g, '\n').trim()
        expect(formatSchema(model).trim()).toBe(model)
      })

      it('changes nothing when run again, on the same staged tree or after the change is on disk', async () => {
        const { tree } = memoryTree(schemaCase.files)
        const schema = await findPrismaSchema(tree)
        await addBackgroundJobModel(tree, schema)
        const staged = tree.changes()

        expect(await addBackgroundJobModel(tree, schema)).toMatchObject({ changed: false, modelName: 'BackgroundJob' })
        expect(tree.changes()).toEqual(staged)

        const onDisk = { ...schemaCase.files }
        for (const change of staged) onDisk[change.path] = change.after!
        const { tree: second } = memoryTree(onDisk)
        const secondSchema = await findPrismaSchema(second)
        expect(secondSchema.modelName).toBe('BackgroundJob')
        expect(await addBackgroundJobModel(second, secondSchema)).toMatchObject({ changed: false, modelName: 'BackgroundJob' })
        expect(second.changes()).toEqual([])
      })
    })
  }

  it('separates the model from the schema by exactly one blank line', async () => {
    for (const ending of ['}\n', '}\n\n', '}']) {
      const original = `datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id Int @id\n${ending}`
      const { tree } = memoryTree({ 'schema.prisma': original })
      await addBackgroundJobModel(tree, await findPrismaSchema(tree))
      const after = tree.read('schema.prisma')!
      expect(after.startsWith(original)).toBe(true)
      expect(after.slice(original.trimEnd().length)).toMatch(/^\n\n[^\n]/)
    }
  })

  it('uses the datasource name for native types (MySQL `@database.Text`)', async () => {
    const { tree } = memoryTree(fixtureFiles('mysql-native-types'))
    const schema = await findPrismaSchema(tree)
    await addBackgroundJobModel(tree, schema)
    const model = getDmmf(readSchemaFiles(tree, schema)).datamodel.models.find((m) => m.name === 'BackgroundJob')!
    const nativeTypes = Object.fromEntries(model.fields.map((field) => [field.name, field.nativeType]))
    expect(nativeTypes).toMatchObject({ handler: ['Text', []], lastError: ['Text', []], queue: null })
  })
})

describe('addBackgroundJobModel when the schema already has something of that name', () => {
  const schemaWith = (body: string) => ({
    'prisma/schema.prisma': `datasource db {\n  provider = "sqlite"\n}\n\ngenerator client {\n  provider = "prisma-client"\n  output   = "../generated"\n}\n\n${body}\n`,
  })

  it('reuses an existing jobs model under another name and table, changing nothing', async () => {
    const { tree } = memoryTree(fixtureFiles('existing-jobs-model'))
    const schema = await findPrismaSchema(tree)
    expect(schema.modelName).toBe('Job')
    expect(await addBackgroundJobModel(tree, schema)).toMatchObject({ changed: false, modelName: 'Job' })
    expect(tree.changes()).toEqual([])
  })

  it('refuses a different model named BackgroundJob, staging nothing, and --model picks another name', async () => {
    const { tree } = memoryTree(schemaWith('model BackgroundJob {\n  id   Int    @id\n  name String\n}'))
    const schema = await findPrismaSchema(tree)
    const error = await addBackgroundJobModel(tree, schema).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JobsModelClashError)
    expect(error).toMatchObject({ clash: 'model', modelName: 'BackgroundJob', suggestion: 'JobsKitJob' })
    expect((error as ScaffolderError).advice).toMatch(/setup again with `--model JobsKitJob`/)
    expect(tree.changes()).toEqual([])

    expect(await addBackgroundJobModel(tree, schema, { modelName: 'JobsKitJob' })).toMatchObject({ changed: true, modelName: 'JobsKitJob' })
    expect(tree.read('prisma/schema.prisma')).toMatch(/^model JobsKitJob \{$/m)
  })

  it('refuses an enum named BackgroundJob', async () => {
    const { tree } = memoryTree(schemaWith('enum BackgroundJob {\n  A\n}\n\nmodel User {\n  id Int @id\n}'))
    const error = await addBackgroundJobModel(tree, await findPrismaSchema(tree)).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'JOBS_MODEL_CLASH', clash: 'model', existing: 'enum' })
  })

  it('refuses when another model already maps to the table, whatever its case', async () => {
    const { tree } = memoryTree(schemaWith('model Legacy {\n  id Int @id\n\n  @@map("backgroundjob")\n}'))
    const error = await addBackgroundJobModel(tree, await findPrismaSchema(tree)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JobsModelClashError)
    expect(error).toMatchObject({ clash: 'table', existing: 'model Legacy', tableName: 'BackgroundJob', existingTable: 'backgroundjob' })
    // The real table, as the schema maps it, not the model's name.
    expect((error as Error).message).toMatch(/model Legacy already uses the table "backgroundjob"/)
    expect((error as ScaffolderError).advice).toMatch(/setup again with `--table background_jobs`/)
    expect(tree.changes()).toEqual([])
  })

  it('suggests names nothing in the schema uses, so the advice works as given', async () => {
    const taken = [
      'model BackgroundJob {\n  id Int @id\n}',
      'model jobsKitJob {\n  id Int @id\n}', // the client's delegate names are lower-cased: JobsKitJob would collide
      'model Archive {\n  id Int @id\n\n  @@map("QueuedJob")\n}',
    ].join('\n\n')
    const { tree } = memoryTree(schemaWith(taken))
    const schema = await findPrismaSchema(tree)
    const error = (await addBackgroundJobModel(tree, schema).catch((e: unknown) => e)) as JobsModelClashError
    expect(error.suggestion).toBe('JobsKitJob_2')
    expect(await addBackgroundJobModel(tree, schema, { modelName: error.suggestion })).toMatchObject({ changed: true })

    const tables = memoryTree(schemaWith('model A {\n  id Int @id\n\n  @@map("BackgroundJob")\n}\n\nmodel B {\n  id Int @id\n\n  @@map("background_jobs")\n}'))
    const tableError = await addBackgroundJobModel(tables.tree, await findPrismaSchema(tables.tree)).catch((e: unknown) => e)
    expect(tableError).toMatchObject({ clash: 'table', suggestion: 'jobs_kit_jobs' })
  })

  it('refuses --model, --table or --db-schema that ask for a second jobs model, naming the one there is', async () => {
    const { tree } = memoryTree(fixtureFiles('existing-jobs-model'))
    const schema = await findPrismaSchema(tree)
    for (const options of [{ modelName: 'OtherJob' }, { tableName: 'other_jobs' }]) {
      const error = await addBackgroundJobModel(tree, schema, options).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ExistingJobsModelError)
      expect((error as Error).message).toMatch(/already has the jobs model Job \(table "background_jobs"\)/)
    }
    // Naming the model that is there (or its table) is fine.
    expect(await addBackgroundJobModel(tree, schema, { modelName: 'Job', tableName: 'background_jobs' })).toMatchObject({ changed: false, modelName: 'Job' })
    expect(tree.changes()).toEqual([])
  })

  it('maps the model to --table', async () => {
    const { tree } = memoryTree(schemaWith('model User {\n  id Int @id\n}'))
    const schema = await findPrismaSchema(tree)
    await addBackgroundJobModel(tree, schema, { tableName: 'background_jobs' })
    const model = getDmmf(readSchemaFiles(tree, schema)).datamodel.models.find((m) => m.name === 'BackgroundJob')!
    expect(model.dbName).toBe('background_jobs')
  })

  it('rejects names Prisma would not accept before asking the engine', async () => {
    const { tree } = memoryTree(schemaWith('model User {\n  id Int @id\n}'))
    const schema = await findPrismaSchema(tree)
    await expect(addBackgroundJobModel(tree, schema, { modelName: '1Job' })).rejects.toBeInstanceOf(InvalidModelNameError)
    await expect(addBackgroundJobModel(tree, schema, { tableName: 'jobs; DROP' })).rejects.toBeInstanceOf(InvalidModelNameError)
    expect(tree.changes()).toEqual([])
  })
})

describe('addBackgroundJobModel validation', () => {
  it('reports the engine message and stages nothing when the result would not validate', async () => {
    const { tree } = memoryTree({ 'schema.prisma': 'datasource db {\n  provider = "sqlite"\n}\n' })
    const schema = await findPrismaSchema(tree)
    // `String` passes our name check but is a reserved name in Prisma.
    const error = await addBackgroundJobModel(tree, schema, { modelName: 'String' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaValidationError)
    expect(error).toMatchObject({ stage: 'after' })
    expect((error as SchemaValidationError).engineMessage).toMatch(/String/)
    expect(tree.changes()).toEqual([])
  })

  it('refuses to touch a schema that is already invalid, with the engine message', async () => {
    const files: SchemaFiles = [['schema.prisma', 'datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id Int @id\n  team Team\n}\n']]
    const { tree } = memoryTree(Object.fromEntries(files))
    const location = { path: 'schema.prisma', kind: 'file' as const, provider: 'sqlite', generator: { provider: '' }, migrationsPath: 'migrations', datasourceFile: 'schema.prisma', foundBy: 'test' }
    const error = await addBackgroundJobModel(tree, location).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaValidationError)
    expect(error).toMatchObject({ stage: 'before' })
    expect((error as Error).message).toMatch(/Team/)
    expect(tree.changes()).toEqual([])
  })
})

describe('addBackgroundJobModel on Prisma 6 schemas the Prisma 7 engine would reject', () => {
  it('ignores connection URLs and preview features Prisma 7 dropped, and leaves them in the file', async () => {
    const schema6 = [
      'generator client {',
      '  provider        = "prisma-client-js"',
      '  previewFeatures = ["metrics", "relationJoins"]',
      '}',
      '',
      'datasource db {',
      '  provider          = "mysql"',
      '  url               = env("DATABASE_URL")',
      '  shadowDatabaseUrl = env("SHADOW_DATABASE_URL")',
      '}',
      '',
      'model User {',
      '  id Int @id',
      '}',
      '',
    ].join('\n')
    const { tree } = memoryTree({ 'prisma/schema.prisma': schema6 })
    const schema = await findPrismaSchema(tree)
    expect(await addBackgroundJobModel(tree, schema)).toMatchObject({ changed: true, modelName: 'BackgroundJob' })
    const after = tree.read('prisma/schema.prisma')!
    expect(after.startsWith(schema6)).toBe(true)
    expect(after).toContain('handler   String    @db.Text')
  })

  it('still reports real errors in such a schema, at their real line', async () => {
    const schema6 = 'generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ["metrics"]\n}\n\ndatasource db {\n  provider = "sqlite"\n  url      = "file:dev.db"\n}\n\nmodel User {\n  id   Int @id\n  team Team\n}\n'
    const { tree } = memoryTree({ 'prisma/schema.prisma': schema6 })
    const error = await findPrismaSchema(tree).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SchemaValidationError)
    expect((error as SchemaValidationError).engineMessage).toMatch(/Team[\s\S]*schema\.prisma:13/)
  })
})

describe('addBackgroundJobModel follows the schema\'s indentation', () => {
  const indented = (unit: string) =>
    `datasource db {\n${unit}provider = "sqlite"\n}\n\nmodel User {\n${unit}id    Int    @id\n${unit}email String @unique\n\n${unit}@@map("users")\n}\n`

  it.each([
    ['four spaces', '    '],
    ['tabs', '\t'],
    ['two spaces', '  '],
  ])('%s: the appended model is indented the same way, columns aligned as prisma format aligns them', async (_name, unit) => {
    const { tree } = memoryTree({ 'prisma/schema.prisma': indented(unit) })
    const schema = await findPrismaSchema(tree)
    await addBackgroundJobModel(tree, schema)
    const model = /model BackgroundJob \{\n([^}]*)\}/.exec(tree.read('prisma/schema.prisma')!)![1]!
    const lines = model.split('\n').filter((line) => line.trim() !== '')
    for (const line of lines) expect(line.startsWith(unit) && !/^\s/.test(line.slice(unit.length)), JSON.stringify(line)).toBe(true)
    expect(lines).toContain(`${unit}runAt     DateTime? @default(now())`)
    expect(validateSchema(readSchemaFiles(tree, schema))).toBeNull()
  })

  it('a new jobs.prisma in a multi-file schema follows the folder\'s files', async () => {
    const files = Object.fromEntries(Object.entries(multiFile).map(([path, content]) => [path, path.endsWith('.prisma') ? content.replace(/^  /gm, '    ') : content]))
    const { tree } = memoryTree(files)
    await addBackgroundJobModel(tree, await findPrismaSchema(tree))
    expect(tree.read('prisma/schema/jobs.prisma')).toMatch(/^    id        Int       @id @default\(autoincrement\(\)\)$/m)
  })
})

describe('addBackgroundJobModel on a multi-schema PostgreSQL datasource', () => {
  const multiSchema = (schemas: string) => ({
    'prisma/schema.prisma': [
      'generator client {',
      '  provider = "prisma-client"',
      '  output   = "../generated/prisma"',
      '}',
      '',
      'datasource db {',
      '  provider = "postgresql"',
      `  schemas  = [${schemas}]`,
      '}',
      '',
      'model User {',
      '  id    String  @id @db.Uuid',
      '  email String?',
      '',
      '  @@map("users")',
      '  @@schema("auth")',
      '}',
      '',
    ].join('\n'),
  })

  it.each([
    ['"public" when listed', '"auth", "public"', 'public'],
    ['the first listed schema otherwise', '"auth", "billing"', 'auth'],
  ])('adds @@schema: %s', async (_name, schemas, expected) => {
    const { tree } = memoryTree(multiSchema(schemas))
    const schema = await findPrismaSchema(tree)
    const result = await addBackgroundJobModel(tree, schema)
    expect(result).toMatchObject({ changed: true, jobsTable: { name: 'BackgroundJob', table: 'BackgroundJob', dbSchema: expected } })
    expect(tree.read('prisma/schema.prisma')).toContain(`  @@schema("${expected}")\n}`)
    const model = getDmmf(readSchemaFiles(tree, schema)).datamodel.models.find((m) => m.name === 'BackgroundJob')!
    expect(model.schema).toBe(expected)
  })

  it('--db-schema picks a listed schema; an unlisted one, or one on a datasource without schemas, is refused with what to do', async () => {
    const { tree } = memoryTree(multiSchema('"auth", "public"'))
    const schema = await findPrismaSchema(tree)
    const unlisted = await addBackgroundJobModel(tree, schema, { dbSchema: 'jobs' }).catch((e: unknown) => e)
    expect(unlisted).toBeInstanceOf(DatabaseSchemaNotListedError)
    expect((unlisted as ScaffolderError).advice).toMatch(/setup again with `--db-schema public`/)
    expect(tree.changes()).toEqual([])
    expect(await addBackgroundJobModel(tree, schema, { dbSchema: 'auth' })).toMatchObject({ jobsTable: { dbSchema: 'auth' } })

    const plain = memoryTree({ 'schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\n' })
    const notUsed = await addBackgroundJobModel(plain.tree, await findPrismaSchema(plain.tree), { dbSchema: 'jobs' }).catch((e: unknown) => e)
    expect(notUsed).toBeInstanceOf(DatabaseSchemasNotUsedError)
    expect((notUsed as ScaffolderError).advice).toMatch(/without --db-schema/)
  })

  it('a table of the same name in another database schema is no clash; in the same one it is', async () => {
    const files = multiSchema('"auth", "public"')
    files['prisma/schema.prisma'] += '\nmodel AuthJob {\n  id Int @id\n\n  @@map("BackgroundJob")\n  @@schema("auth")\n}\n'
    const { tree } = memoryTree(files)
    const schema = await findPrismaSchema(tree)
    await expect(addBackgroundJobModel(tree, schema, { dbSchema: 'auth' })).rejects.toMatchObject({ clash: 'table', existingTable: 'BackgroundJob' })
    expect(await addBackgroundJobModel(tree, schema)).toMatchObject({ changed: true, jobsTable: { dbSchema: 'public' } })
  })
})
