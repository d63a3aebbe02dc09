/**
 * `jobs-kit setup` on apps whose schema is in the way of the default jobs
 * model: a different model of the same name, a table of the same name, a
 * multi-schema PostgreSQL datasource, an old migration that created another
 * table of that name. Each refusal names flags; here those flags are taken
 * from the printed message and the command is run again with them, as a
 * user would: it must succeed, and the schema, the migration, the config's
 * `model:` and jobs-kit.json must agree on the model and its table.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tsEsmApp } from '../../src/generators/setup/__fixtures__/apps.js'
import { runCli, snapshotDir, writeApp } from './run-cli.js'

const dirs: string[] = []
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

const datasource = (extra = '') => `datasource db {\n  provider = "postgresql"${extra}\n}\n`
const generator = 'generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\n'

function app(schema: string, files: Record<string, string> = {}): string {
  const dir = writeApp({ ...tsEsmApp, 'prisma/schema.prisma': schema, ...files })
  dirs.push(dir)
  return dir
}

/** The flags a refusal tells the user to run setup again with: "run setup again with `--model JobsKitJob`". */
function advisedFlags(stderr: string): string[] {
  const advised = /setup again with `([^`]+)`/.exec(stderr)
  if (!advised) throw new Error(`no "setup again with \`…\`" advice in:\n${stderr}`)
  return advised[1]!.split(/\s+/)
}

function migrationSql(dir: string): string {
  const folder = readdirSync(join(dir, 'prisma/migrations')).find((name) => name.endsWith('_background_jobs'))
  if (!folder) throw new Error('setup wrote no background_jobs migration')
  return readFileSync(join(dir, 'prisma/migrations', folder, 'migration.sql'), 'utf8')
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8')
const jobsKitModel = (dir: string) => (JSON.parse(read(dir, 'jobs-kit.json')) as { model?: unknown }).model

describe('setup --model / --table', () => {
  it('an app with its own BackgroundJob model is told to use --model, and doing so sets everything up under that name', async () => {
    const dir = app(`${generator}\n${datasource()}\n/// Report exports users start from the dashboard.\nmodel BackgroundJob {\n  id        String   @id @default(cuid())\n  kind      String\n  status    String   @default("pending")\n  createdAt DateTime @default(now())\n}\n`)
    const before = snapshotDir(dir)
    const refused = await runCli(['setup', '--cwd', dir, '--yes', '--migration'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/already has a model named BackgroundJob/)
    expect(snapshotDir(dir)).toEqual(before)

    const flags = advisedFlags(refused.stderr)
    expect(flags[0]).toBe('--model')
    const modelName = flags[1]!
    const accepted = await runCli(['setup', '--cwd', dir, '--yes', '--migration', ...flags])
    expect(accepted.stderr).toBe('')
    expect(accepted.code).toBe(0)

    const schema = read(dir, 'prisma/schema.prisma')
    expect(schema.startsWith(before['prisma/schema.prisma']!)).toBe(true)
    expect(schema).toMatch(new RegExp(`^model ${modelName} \\{$`, 'm'))
    expect(migrationSql(dir)).toContain(`CREATE TABLE "${modelName}" (`)
    // The adapter's options are one per line (setup may add `pg`/`notify` or `sqliteWal` after the model).
    expect(read(dir, 'src/lib/jobs.ts')).toMatch(new RegExp(`new PrismaAdapter\\(\\{\\s*db,\\s*model: '${modelName}',`))
    expect(jobsKitModel(dir)).toEqual({ name: modelName, table: modelName, dbSchema: null })
    // The worker registry's models keep their fixed names whatever --model says (the runtime reaches them by those).
    for (const model of ['BackgroundJobWorker', 'BackgroundJobCount']) {
      expect(schema).toMatch(new RegExp(`^model ${model} \\{$`, 'm'))
      expect(migrationSql(dir)).toContain(`CREATE TABLE "${model}" (`)
    }

    // Run again, with or without the flag: nothing to change.
    const setUp = snapshotDir(dir)
    expect((await runCli(['setup', '--cwd', dir, '--yes', '--migration', ...flags])).code).toBe(0)
    expect((await runCli(['setup', '--cwd', dir, '--yes', '--migration'])).code).toBe(0)
    expect(snapshotDir(dir)).toEqual(setUp)
  })

  it('--model with --table maps the model, and the migration, config and jobs-kit.json follow the table', async () => {
    const dir = app(`${generator}\n${datasource()}\nmodel User {\n  id Int @id\n}\n`)
    const run = await runCli(['setup', '--cwd', dir, '--yes', '--migration', '--model', 'QueuedJob', '--table', 'queued_jobs'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const model = /model QueuedJob \{[^}]*\}/.exec(read(dir, 'prisma/schema.prisma'))?.[0]
    expect(model).toContain('@@map("queued_jobs")')
    const sql = migrationSql(dir)
    expect(sql).toContain('CREATE TABLE "queued_jobs" (')
    expect(sql).toContain('CREATE INDEX "queued_jobs_queue_priority_runAt_id_idx" ON "queued_jobs"')
    expect(read(dir, 'src/lib/jobs.ts')).toContain("model: 'QueuedJob'")
    expect(jobsKitModel(dir)).toEqual({ name: 'QueuedJob', table: 'queued_jobs', dbSchema: null })
  })

  it('a model already mapped to the table is quoted by its real table name, and the advised --table works', async () => {
    const dir = app(`${generator}\n${datasource()}\nmodel LegacyJob {\n  id   Int    @id\n  name String\n\n  @@map("backgroundjob")\n}\n`)
    const refused = await runCli(['setup', '--cwd', dir, '--yes', '--migration'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/model LegacyJob already uses the table "backgroundjob"/)
    const flags = advisedFlags(refused.stderr)
    expect(flags[0]).toBe('--table')
    const accepted = await runCli(['setup', '--cwd', dir, '--yes', '--migration', ...flags])
    expect(accepted.stderr).toBe('')
    expect(accepted.code).toBe(0)
    expect(migrationSql(dir)).toContain(`CREATE TABLE "${flags[1]}" (`)
    expect(jobsKitModel(dir)).toEqual({ name: 'BackgroundJob', table: flags[1], dbSchema: null })
  })

  it('refuses --model when the schema already has the jobs model under another name, instead of adding a second one', async () => {
    const dir = app(`${generator}\n${datasource()}\nmodel User {\n  id Int @id\n}\n`)
    expect((await runCli(['setup', '--cwd', dir, '--yes'])).code).toBe(0)
    const setUp = snapshotDir(dir)
    const refused = await runCli(['setup', '--cwd', dir, '--yes', '--model', 'OtherJob'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/already has the jobs model BackgroundJob/)
    expect(snapshotDir(dir)).toEqual(setUp)
  })
})

describe('setup on a multi-schema PostgreSQL datasource', () => {
  const supabase = `${generator}\n${datasource('\n  schemas  = ["auth", "public"]')}\nmodel AuthUser {\n  id    String @id @db.Uuid\n  email String?\n\n  @@map("users")\n  @@schema("auth")\n}\n\nmodel Profile {\n  id       String  @id @db.Uuid\n  username String? @unique\n\n  @@map("profiles")\n  @@schema("public")\n}\n`

  it('puts the model in "public" and writes a schema-qualified migration', async () => {
    const dir = app(supabase)
    const run = await runCli(['setup', '--cwd', dir, '--yes', '--migration'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(/model BackgroundJob \{[^}]*\}/.exec(read(dir, 'prisma/schema.prisma'))?.[0]).toContain('@@schema("public")')
    const sql = migrationSql(dir)
    expect(sql).toContain('CREATE TABLE "public"."BackgroundJob" (')
    expect(sql).toContain('ON "public"."BackgroundJob"("queue", "priority", "runAt", "id")')
    expect(jobsKitModel(dir)).toEqual({ name: 'BackgroundJob', table: 'BackgroundJob', dbSchema: 'public' })
  })

  it('--db-schema picks another listed schema, and refuses one the datasource does not list', async () => {
    const dir = app(supabase)
    const before = snapshotDir(dir)
    const unlisted = await runCli(['setup', '--cwd', dir, '--yes', '--migration', '--db-schema', 'jobs'])
    expect(unlisted.code).toBe(1)
    expect(unlisted.stderr).toMatch(/"jobs" is not in the datasource's schemas \(auth, public\)/)
    expect(snapshotDir(dir)).toEqual(before)

    const run = await runCli(['setup', '--cwd', dir, '--yes', '--migration', '--db-schema', 'auth'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(migrationSql(dir)).toContain('CREATE TABLE "auth"."BackgroundJob" (')
    // The schedule model and the worker registry's follow the jobs model into its schema, in the schema and the SQL.
    const schema = read(dir, 'prisma/schema.prisma')
    for (const model of ['BackgroundJobSchedule', 'BackgroundJobWorker', 'BackgroundJobCount']) {
      expect(new RegExp(`model ${model} \\{[^}]*\\}`).exec(schema)?.[0]).toContain('@@schema("auth")')
      expect(migrationSql(dir)).toContain(`CREATE TABLE "auth"."${model}" (`)
    }
  })
})

describe('setup --migration when an old migration created another table of the same name', () => {
  it('says which migration and table clash, and the advised --table writes the migration', async () => {
    const dir = app(`${generator}\n${datasource()}\nmodel User {\n  id Int @id\n}\n`, {
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" INTEGER NOT NULL);\n\nCREATE TABLE "BackgroundJob" (\n    "id" TEXT NOT NULL,\n    "kind" TEXT NOT NULL\n);\n',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    })
    const before = snapshotDir(dir)
    const refused = await runCli(['setup', '--cwd', dir, '--yes', '--migration'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/20240101000000_init.*creates a table "BackgroundJob" with other columns/)
    expect(snapshotDir(dir)).toEqual(before)

    const flags = advisedFlags(refused.stderr)
    const accepted = await runCli(['setup', '--cwd', dir, '--yes', '--migration', ...flags])
    expect(accepted.stderr).toBe('')
    expect(accepted.code).toBe(0)
    expect(migrationSql(dir)).toContain(`CREATE TABLE "${flags[1]}" (`)
  })
})

describe('attack: setup on names that differ from the app\'s only by case or are empty', () => {
  it('refuses --model task when the schema has a model Task (mapped elsewhere): both would be the client\'s `prisma.task`', async () => {
    // Prisma's client names each delegate after the model with its first letter lower-cased: `Task`
    // and `task` both become `prisma.task`. The client Prisma 7.10 generates for such a schema does
    // not load (tsx/esbuild: "Multiple exports with the same name TaskScalarFieldEnum").
    const dir = app(`${generator}\n${datasource()}\nmodel Task {\n  id Int @id\n\n  @@map("tasks")\n}\n`)
    const before = snapshotDir(dir)
    const run = await runCli(['setup', '--cwd', dir, '--yes', '--migration', '--model', 'task'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/Task/)
    expect(snapshotDir(dir)).toEqual(before)
  })

  it('refuses an empty --model by name, rather than passing Prisma an unnamed model block', async () => {
    const dir = app(`${generator}\n${datasource()}\nmodel User {\n  id Int @id\n}\n`)
    const before = snapshotDir(dir)
    const run = await runCli(['setup', '--cwd', dir, '--yes', '--migration', '--model='])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/--model/)
    expect(run.stderr).not.toMatch(/does not start with any known Prisma schema keyword/)
    expect(snapshotDir(dir)).toEqual(before)
  })

  it('refuses an empty --table rather than ignoring it', async () => {
    const dir = app(`${generator}\n${datasource()}\nmodel User {\n  id Int @id\n}\n`)
    const before = snapshotDir(dir)
    const run = await runCli(['setup', '--cwd', dir, '--yes', '--migration', '--table='])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/--table/)
    expect(snapshotDir(dir)).toEqual(before)
  })
})

describe('attack: setup without --migration when an old migration created another table of the same name', () => {
  it('refuses as --migration does: `prisma migrate dev` would otherwise ALTER the app\'s old table (drop its columns) into the jobs table', async () => {
    const dir = app(`${generator}\n${datasource()}\nmodel User {\n  id Int @id\n}\n`, {
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" INTEGER NOT NULL);\n\n-- read by the legacy worker service, not modelled in Prisma\nCREATE TABLE "BackgroundJob" (\n    "id" SERIAL NOT NULL,\n    "kind" TEXT NOT NULL,\n    "payload" JSONB\n);\n',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    })
    const before = snapshotDir(dir)
    const run = await runCli(['setup', '--cwd', dir, '--yes'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/20240101000000_init.*creates a table "BackgroundJob" with other columns/)
    expect(snapshotDir(dir)).toEqual(before)
  })
})

describe('attack: --force-migration without --migration in a prisma db push app', () => {
  it('does not silently drop the flag: it writes the migration, or refuses naming --migration', async () => {
    const pkg = JSON.parse(tsEsmApp['package.json']!) as { scripts: Record<string, string> }
    const dir = app(`${generator}\n${datasource()}\nmodel User {\n  id Int @id\n}\n`, {
      'package.json': `${JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, 'db:push': 'prisma db push' } }, null, 2)}\n`,
    })
    const before = snapshotDir(dir)
    const run = await runCli(['setup', '--cwd', dir, '--yes', '--force-migration'])
    if (run.code === 0) {
      // The user asked to move to migrations: the migration is there and the next steps apply it.
      expect(migrationSql(dir)).toContain('CREATE TABLE "BackgroundJob" (')
      expect(run.stdout).toMatch(/migrate dev/)
    } else {
      expect(run.code).toBe(1)
      expect(run.stderr).toMatch(/--migration/)
      expect(snapshotDir(dir)).toEqual(before)
    }
  })
})

describe('attack: --schema at the datasource file of a multi-file schema folder', () => {
  it('does not add a second BackgroundJob model beside the one in another file of the folder', async () => {
    // main.prisma (generator + datasource) validates on its own, so "one file of the folder" is not
    // noticed; the jobs model goes into it while legacy.prisma, read by Prisma with it, has its own.
    const { 'prisma/schema.prisma': _single, ...rest } = tsEsmApp
    const dir = writeApp({
      ...rest,
      // The app's Prisma reads the folder.
      'prisma.config.ts': "import { defineConfig } from 'prisma/config'\n\nexport default defineConfig({ schema: 'prisma/schema' })\n",
      'prisma/schema/main.prisma': `${generator.replace('../src/', '../../src/')}\n${datasource()}`,
      'prisma/schema/user.prisma': 'model User {\n  id Int @id\n}\n',
      'prisma/schema/legacy.prisma': '/// Exports users start from the dashboard.\nmodel BackgroundJob {\n  id   Int    @id\n  kind String\n}\n',
    })
    dirs.push(dir)
    const before = snapshotDir(dir)
    const run = await runCli(['setup', '--cwd', dir, '--yes', '--migration', '--schema', 'prisma/schema/main.prisma'])
    const models = Object.entries(snapshotDir(dir))
      .filter(([path]) => path.startsWith('prisma/schema/') && path.endsWith('.prisma'))
      .flatMap(([, content]) => content.match(/^model BackgroundJob \{/gm) ?? [])
    expect(models).toHaveLength(1)
    expect(run.code).toBe(1)
    expect(snapshotDir(dir)).toEqual(before)
  })
})

describe('attack: the --table a schema clash advises, when a migration already created a table of that name', () => {
  it('advises a table name that the migrations leave free, so the advised command succeeds', async () => {
    // Task sits on "BackgroundJob"; an old hand-written migration made "background_jobs" for another
    // job library. The schema check suggests background_jobs without looking at the migrations.
    const dir = app(`${generator}\n${datasource()}\nmodel Task {\n  id Int @id\n\n  @@map("BackgroundJob")\n}\n`, {
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "BackgroundJob" ("id" INTEGER NOT NULL);\n\nCREATE TABLE "background_jobs" ("id" SERIAL NOT NULL, "name" TEXT NOT NULL);\n',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    })
    const refused = await runCli(['setup', '--cwd', dir, '--yes', '--migration'])
    expect(refused.code).toBe(1)
    const flags = advisedFlags(refused.stderr)
    const accepted = await runCli(['setup', '--cwd', dir, '--yes', '--migration', ...flags])
    expect(accepted.stderr).toBe('')
    expect(accepted.code).toBe(0)
    expect(migrationSql(dir)).toContain(`CREATE TABLE "${flags[1]}" (`)
  })
})

describe('attack: an app model named backgroundJob (lower-case b)', () => {
  it('advises --model, not only --table: following the advice must not leave two models that are both prisma.backgroundJob', async () => {
    const dir = app(`${generator}\n${datasource()}\nmodel backgroundJob {\n  id   Int    @id\n  kind String\n}\n`)
    const refused = await runCli(['setup', '--cwd', dir, '--yes', '--migration'])
    expect(refused.code).toBe(1)
    const flags = advisedFlags(refused.stderr)
    const accepted = await runCli(['setup', '--cwd', dir, '--yes', '--migration', ...flags])
    expect(accepted.code).toBe(0)
    // Prisma's client names a delegate after its model with the first letter lower-cased.
    const delegates = [...read(dir, 'prisma/schema.prisma').matchAll(/^model (\w+) \{/gm)].map(([, name]) => name!.charAt(0).toLowerCase() + name!.slice(1))
    expect(new Set(delegates).size).toBe(delegates.length)
  })
})
