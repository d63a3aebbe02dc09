/**
 * Oracle: the migration SQL we ship must be what Prisma itself generates.
 *
 * Prisma 7's `migrate` needs a schema engine binary we cannot download;
 * Prisma 6.19's CLI (devDependency `prisma6`) runs its WASM schema engine
 * offline when its config says `engine: 'js'`. Verified shape and
 * environment: `experimental: { adapter: true }` is required with
 * `engine: 'js'`, `adapter` must return a driver adapter factory (SQLite's is not
 * used; PostgreSQL's connects to the test server, read-only), the datasource still
 * needs a `url` (Prisma 6 syntax), and both PRISMA_SCHEMA_ENGINE_BINARY and
 * PRISMA_QUERY_ENGINE_LIBRARY must point at an existing file, or the CLI
 * tries to download engines.
 *
 * MySQL is not covered here: on `provider = "mysql"` the 6.19 WASM engine
 * aborts (`RuntimeError: unreachable`). The MySQL SQL is checked against a
 * real MariaDB through a generated Prisma 7 client in
 * migration-databases.test.ts instead.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import Handlebars from 'handlebars'
import { afterAll, describe, expect, it } from 'vitest'
import { renderJobsModel } from './jobs-model.js'
import { renderMigrationSql } from './migration-sql.js'
import { formatSchema } from './schema-wasm.js'

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const prisma6Cli = join(repoRoot, 'node_modules/prisma6/build/index.js')
const workDirs: string[] = []
afterAll(() => workDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

// The pg adapter connects (read-only) even for a diff from empty, so it needs the test server.
const POSTGRES_URL = process.env.JOBS_KIT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'

const ADAPTERS = {
  sqlite: { module: '@prisma/adapter-better-sqlite3', create: "new PrismaBetterSqlite3({ url: ':memory:' })", name: 'PrismaBetterSqlite3', url: 'file:./unused.db' },
  postgresql: { module: '@prisma/adapter-pg', create: `new PrismaPg({ connectionString: ${JSON.stringify(POSTGRES_URL)}, idleTimeoutMillis: 50 })`, name: 'PrismaPg', url: POSTGRES_URL },
} as const

/** What Prisma 6.19 generates for `model` from an empty database. */
async function prismaGeneratedSql(provider: keyof typeof ADAPTERS, model: string, dbSchemas?: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-oracle-'))
  workDirs.push(dir)
  const adapter = ADAPTERS[provider]
  const schemas = dbSchemas ? `\n  schemas  = ${JSON.stringify(dbSchemas)}` : ''
  writeFileSync(join(dir, 'schema.prisma'), `datasource db {\n  provider = "${provider}"\n  url      = "${adapter.url}"${schemas}\n}\n\n${model}`)
  const moduleUrl = (path: string) => pathToFileURL(join(repoRoot, 'node_modules', path)).href
  writeFileSync(
    join(dir, 'prisma.config.ts'),
    [
      `import { defineConfig } from '${moduleUrl('prisma6/config.js')}'`,
      `import { ${adapter.name} } from '${moduleUrl(`${adapter.module}/dist/index.mjs`)}'`,
      'export default defineConfig({',
      '  experimental: { adapter: true },',
      "  engine: 'js',",
      `  adapter: async () => ${adapter.create},`,
      "  schema: './schema.prisma',",
      '})',
      '',
    ].join('\n'),
  )
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [prisma6Cli, 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'schema.prisma', '--script'],
    {
      cwd: dir,
      timeout: 60_000,
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_QUERY_ENGINE_LIBRARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    },
  )
  return stdout
}

/** Only comments and whitespace may differ. */
function normalize(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .replace(/\s+/g, ' ')
    .trim()
}

describe('shipped migration SQL equals what Prisma 6.19 generates for the model setup appends', () => {
  for (const provider of ['sqlite', 'postgresql'] as const) {
    it(`${provider}: default model BackgroundJob`, async () => {
      const model = formatSchema(renderJobsModel({ provider, modelName: 'BackgroundJob' }))
      const prisma = await prismaGeneratedSql(provider, model)
      expect(prisma).toContain('CREATE TABLE "BackgroundJob"')
      expect(normalize(renderMigrationSql(provider, 'BackgroundJob'))).toBe(normalize(prisma))
    })

    it(`${provider}: model mapped to another table (--table background_jobs)`, async () => {
      const model = formatSchema(renderJobsModel({ provider, modelName: 'BackgroundJob', tableName: 'background_jobs' }))
      const prisma = await prismaGeneratedSql(provider, model)
      expect(prisma).toContain('CREATE TABLE "background_jobs"')
      expect(normalize(renderMigrationSql(provider, 'background_jobs'))).toBe(normalize(prisma))
    })

    it(`${provider}: the previous template's indexes (an app set up before \`id\` ended them)`, async () => {
      const current = renderJobsModel({ provider, modelName: 'BackgroundJob' })
      const previous = current.replace('@@index([priority, runAt, id])', '@@index([priority, runAt])').replace('@@index([queue, priority, runAt, id])', '@@index([queue, priority, runAt])')
      expect(previous).not.toBe(current)
      const prisma = await prismaGeneratedSql(provider, formatSchema(previous))
      expect(normalize(renderMigrationSql(provider, 'BackgroundJob', null, 'previous'))).toBe(normalize(prisma))
    })

    it(`${provider}: another model name (--model QueuedTask)`, async () => {
      const model = formatSchema(renderJobsModel({ provider, modelName: 'QueuedTask' }))
      expect(normalize(renderMigrationSql(provider, 'QueuedTask'))).toBe(normalize(await prismaGeneratedSql(provider, model)))
    })
  }
})

describe('shipped migration SQL for a multi-schema PostgreSQL datasource (@@schema)', () => {
  it('another schema (--db-schema jobs --table background_jobs): the schema is created and the table and indexes qualified, as Prisma writes them', async () => {
    const model = formatSchema(renderJobsModel({ provider: 'postgresql', modelName: 'BackgroundJob', tableName: 'background_jobs', dbSchema: 'jobs' }))
    const prisma = await prismaGeneratedSql('postgresql', model, ['jobs'])
    expect(prisma).toContain('CREATE TABLE "jobs"."background_jobs"')
    expect(normalize(renderMigrationSql('postgresql', 'background_jobs', 'jobs'))).toBe(normalize(prisma))
  })

  it('"public": Prisma leaves the connection\'s default schema implicit; ours names it, otherwise the same SQL', async () => {
    const model = formatSchema(renderJobsModel({ provider: 'postgresql', modelName: 'BackgroundJob', dbSchema: 'public' }))
    const prisma = await prismaGeneratedSql('postgresql', model, ['auth', 'public'])
    const ours = renderMigrationSql('postgresql', 'BackgroundJob', 'public')
    expect(ours).toContain('CREATE TABLE "public"."BackgroundJob" (')
    // Prisma also creates every listed schema; the jobs migration only needs its own.
    const prismaJobsPart = normalize(prisma).replace('CREATE SCHEMA IF NOT EXISTS "auth"; ', '')
    expect(normalize(ours).replaceAll('"public"."BackgroundJob"', '"BackgroundJob"')).toBe(prismaJobsPart)
  })
})

describe('shipped migration SQL of the recurring jobs\' schedule model', () => {
  for (const provider of ['sqlite', 'postgresql'] as const) {
    it(`${provider}: BackgroundJobSchedule`, async () => {
      const template = readFileSync(join(repoRoot, 'templates/schema/background-job-schedule.prisma.hbs'), 'utf8')
      const model = formatSchema(Handlebars.compile(template, { noEscape: true })({ modelName: 'BackgroundJobSchedule' }))
      const prisma = await prismaGeneratedSql(provider, model)
      expect(prisma).toContain('CREATE TABLE "BackgroundJobSchedule"')
      const shipped = readFileSync(join(repoRoot, 'templates/schema/migrations/recurring', `${provider}.sql`), 'utf8')
      // Prisma starts every PostgreSQL script with the connection's schema; the jobs migration before it creates that already.
      expect(normalize(shipped)).toBe(normalize(prisma).replace('CREATE SCHEMA IF NOT EXISTS "public"; ', ''))
    })
  }
})

describe('shipped migration SQL of the worker registry\'s models', () => {
  for (const provider of ['sqlite', 'postgresql'] as const) {
    it(`${provider}: BackgroundJobWorker and BackgroundJobCount`, async () => {
      const render = (file: string, modelName: string) =>
        Handlebars.compile(readFileSync(join(repoRoot, 'templates/schema', file), 'utf8'), { noEscape: true })({ modelName })
      const model = formatSchema(`${render('background-job-worker.prisma.hbs', 'BackgroundJobWorker')}\n${render('background-job-count.prisma.hbs', 'BackgroundJobCount')}`)
      const prisma = await prismaGeneratedSql(provider, model)
      expect(prisma).toContain('CREATE TABLE "BackgroundJobWorker"')
      const shipped = readFileSync(join(repoRoot, 'templates/schema/migrations/workers', `${provider}.sql`), 'utf8')
      expect(normalize(shipped)).toBe(normalize(prisma).replace('CREATE SCHEMA IF NOT EXISTS "public"; ', ''))
    })
  }
})
