/**
 * The config setup writes for fast pickup, per app shape: PostgreSQL with and
 * without `pg`, the URL variable the app's client uses, a direct URL beside a
 * pooled one, pooled URLs that cannot LISTEN; SQLite's WAL choice.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { appTree } from '../../project/__tests__/app-tree.js'
import { poolReason } from '../../project/detect-database-url.js'
import { runtimeSources } from '../../vendoring/__fixtures__/runtime-sources.js'
import { planFastPickup } from './fast-pickup.js'
import { planSetup, type SetupOptions } from './plan-setup.js'
import { jsCjsApp, jsEsmApp, redwoodApp, tsEsmApp } from './__fixtures__/apps.js'

const stable: SetupOptions = { runtimeSources, version: '0.0.0-test', now: new Date('2026-01-02T03:04:05Z') }

/** tsEsmApp (PostgreSQL, pnpm, src/lib/db.ts on @prisma/adapter-pg) with `dependencies` added and files replaced. */
function pgApp(options: { dependencies?: Record<string, string>; files?: Record<string, string>; packageManager?: 'npm' } = {}) {
  const pkg = JSON.parse(tsEsmApp['package.json']!) as { dependencies: Record<string, string> }
  pkg.dependencies = { ...pkg.dependencies, ...options.dependencies }
  const files: Record<string, string> = { ...tsEsmApp, 'package.json': JSON.stringify(pkg, null, 2), ...options.files }
  if (options.packageManager === 'npm') {
    delete files['pnpm-lock.yaml']
    files['package-lock.json'] = '{}\n'
  }
  return files
}

async function setUp(files: Record<string, string>, options: SetupOptions = {}) {
  const { tree } = appTree(files)
  const result = await planSetup(tree, { ...stable, ...options })
  const configPath = result.jobsKitJson.paths.config
  return { config: tree.read(configPath)!, result }
}

const withSchema = (datasourceLines: string) =>
  tsEsmApp['prisma/schema.prisma']!.replace('provider = "postgresql"', `provider = "postgresql"\n  ${datasourceLines}`)

describe('setup: fast pickup on PostgreSQL', () => {
  it('with pg: turns on the pg pool and LISTEN/NOTIFY, on the URL variable the client connects with', async () => {
    const { config, result } = await setUp(pgApp({ dependencies: { pg: '^8.16.0' } }))
    expect(config).toContain('const databaseUrl = process.env.DATABASE_URL\n')
    expect(config).toContain('pg: databaseUrl ? { connectionString: databaseUrl } : undefined,')
    expect(config).toContain('notify: databaseUrl ? { connectionString: databaseUrl } : undefined,')
    expect(config).toMatch(/The URL is DATABASE_URL, as in\s+(\/\/ )?src\/lib\/db\.ts\./)
    expect(result.notes).toEqual([])
    expect(result.nextSteps.join('\n')).not.toMatch(/add pg/)
  })

  it('takes the variable from the client module, whatever its name', async () => {
    const db = tsEsmApp['src/lib/db.ts']!.replace('process.env.DATABASE_URL', 'process.env.POSTGRES_PRISMA_URL')
    const { config } = await setUp(pgApp({ dependencies: { pg: '^8.16.0' }, files: { 'src/lib/db.ts': db } }))
    expect(config).toContain('const databaseUrl = process.env.POSTGRES_PRISMA_URL\n')
    expect(config).not.toContain('DATABASE_URL')
  })

  it('with @prisma/adapter-pg and npm (which hoists its pg): turns both on', async () => {
    const { config } = await setUp(pgApp({ dependencies: { '@prisma/adapter-pg': '^7.0.0' }, packageManager: 'npm' }))
    expect(config).toContain('notify: databaseUrl ? { connectionString: databaseUrl } : undefined,')
  })

  it('without pg (pnpm does not hoist adapter-pg\'s): writes the two options commented out and says what to install', async () => {
    const { config, result } = await setUp(pgApp({ dependencies: { '@prisma/adapter-pg': '^7.0.0' } }))
    expect(config).toContain('      // pg: { connectionString: process.env.DATABASE_URL! },\n      // notify: { connectionString: process.env.DATABASE_URL! },')
    expect(config).not.toMatch(/^\s*notify:/m)
    expect(result.nextSteps.join('\n')).toMatch(/^pnpm add pg +# then uncomment pg and notify in src\/lib\/jobs\.ts/m)
  })

  it('with a directUrl in the datasource: queries on the app\'s URL, LISTEN on the direct one', async () => {
    const files = { 'prisma/schema.prisma': withSchema('url       = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")') }
    const { config, result } = await setUp(pgApp({ dependencies: { pg: '^8.16.0' }, files }))
    expect(config).toContain('const databaseUrl = process.env.DATABASE_URL\nconst listenUrl = process.env.DIRECT_URL\n')
    expect(config).toContain('pg: databaseUrl ? { connectionString: databaseUrl } : undefined,')
    expect(config).toContain('notify: listenUrl ? { connectionString: listenUrl } : undefined,')
    expect(config.replace(/\n\/\/ /g, ' ')).toContain('LISTEN uses DIRECT_URL (prisma/schema.prisma (directUrl))')
    expect(result.notes).toEqual([])
  })

  it('Prisma 7: prisma.config\'s url naming another variable than the client is the direct one', async () => {
    const prismaConfig = "import { defineConfig, env } from 'prisma/config'\n\nexport default defineConfig({\n  schema: 'prisma/schema.prisma',\n  datasource: { url: env('DIRECT_DATABASE_URL') },\n})\n"
    const { config } = await setUp(pgApp({ dependencies: { pg: '^8.16.0' }, files: { 'prisma.config.ts': prismaConfig } }))
    expect(config).toContain('const listenUrl = process.env.DIRECT_DATABASE_URL\n')
    expect(config).toContain('notify: listenUrl ? { connectionString: listenUrl } : undefined,')
  })

  it('a pooled URL (pgbouncer=true in .env) and no direct one: notify off, with a note saying why and what to do', async () => {
    const env = 'DATABASE_URL="postgresql://app:secret@db.example.com:6432/app?pgbouncer=true"\n'
    const { config, result } = await setUp(pgApp({ dependencies: { pg: '^8.16.0' }, files: { '.env': env } }))
    expect(config).toContain('pg: databaseUrl ? { connectionString: databaseUrl } : undefined,')
    expect(config).not.toMatch(/^\s*notify:/m)
    expect(config.replace(/\n\s*\/\/ /g, ' ')).toContain('notify (LISTEN/NOTIFY) is off: DATABASE_URL goes through PgBouncer (pgbouncer=true), in transaction mode')
    expect(result.notes).toEqual([expect.stringMatching(/^LISTEN\/NOTIFY is off in src\/lib\/jobs\.ts: DATABASE_URL goes through PgBouncer .*a pooled connection cannot LISTEN.*direct \(unpooled\) URL/)])
    // The URL's value (its password) is never copied into the config.
    expect(config).not.toContain('secret')
  })

  it('Supabase\'s transaction pooler (port 6543) with a direct URL: LISTEN on the direct one', async () => {
    const env = 'DATABASE_URL=postgresql://postgres.ref:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres\nDIRECT_URL=postgresql://postgres.ref:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres\n'
    const files = { '.env': env, 'prisma/schema.prisma': withSchema('url       = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")') }
    const { config, result } = await setUp(pgApp({ dependencies: { pg: '^8.16.0' }, files }))
    expect(config).toContain('notify: listenUrl ? { connectionString: listenUrl } : undefined,')
    expect(config.replace(/\n\/\/ /g, ' ')).toContain("DATABASE_URL is Supabase's transaction pooler (port 6543)")
    expect(result.notes).toEqual([])
  })

  it('Prisma Accelerate (prisma://): pg and notify on the direct URL, or both off with a note', async () => {
    const env = 'DATABASE_URL="prisma+postgres://accelerate.prisma-data.net/?api_key=abc"\n'
    const without = await setUp(pgApp({ dependencies: { pg: '^8.16.0' }, files: { '.env': env } }))
    expect(without.config).not.toMatch(/^\s*(pg|notify):/m)
    expect(without.config.replace(/\n\s*\/\/ /g, ' ')).toContain('pg is off: DATABASE_URL is a Prisma Accelerate URL (prisma+postgres://)')
    expect(without.result.notes).toHaveLength(1)
    expect(without.config).not.toContain('api_key')

    const files = { '.env': env, 'prisma/schema.prisma': withSchema('url       = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")') }
    const withDirect = await setUp(pgApp({ dependencies: { pg: '^8.16.0' }, files }))
    expect(withDirect.config).toContain('const databaseUrl = process.env.DIRECT_URL\n')
    expect(withDirect.config).toContain('pg: databaseUrl ? { connectionString: databaseUrl } : undefined,')
    expect(withDirect.config).toContain('notify: databaseUrl ? { connectionString: databaseUrl } : undefined,')
  })

  it('RedwoodJS: finds pg in api/package.json; without it, installs into the api workspace', async () => {
    const pgSchema = redwoodApp['api/db/schema.prisma']!.replace('provider = "sqlite"', 'provider = "postgresql"')
    const apiWithPg = '{ "name": "api", "dependencies": { "@redwoodjs/api": "8.4.0", "pg": "^8.13.0" } }\n'
    const withPg = await setUp({ ...redwoodApp, 'api/db/schema.prisma': pgSchema, 'api/package.json': apiWithPg })
    expect(withPg.config).toContain('notify: databaseUrl ? { connectionString: databaseUrl } : undefined,')
    const withoutPg = await setUp({ ...redwoodApp, 'api/db/schema.prisma': pgSchema })
    expect(withoutPg.result.nextSteps.join('\n')).toMatch(/^yarn workspace api add pg /m)
  })

  it('JavaScript: the commented lines have no TypeScript in them', async () => {
    const { config } = await setUp(pgApp(), { language: 'js' })
    expect(config).toContain('// pg: { connectionString: process.env.DATABASE_URL },')
  })
})

describe('setup: SQLite WAL', () => {
  it('writes sqliteWal: true by default, nothing with --no-sqlite-wal, and asks when it may', async () => {
    expect((await setUp(jsCjsApp)).config).toContain('      sqliteWal: true,\n')
    expect((await setUp(jsCjsApp, { sqliteWal: false })).config).toContain('new PrismaAdapter({ db })')
    let asked = 0
    const answered = await setUp(jsCjsApp, { chooseSqliteWal: async () => (asked++, false) })
    expect(asked).toBe(1)
    expect(answered.config).not.toContain('sqliteWal')
    // A flag wins over the prompt.
    await setUp(jsCjsApp, { sqliteWal: true, chooseSqliteWal: async () => (asked++, false) })
    expect(asked).toBe(1)
  })

  it('writes betterSqlite3: true when the app can import better-sqlite3, and not otherwise', async () => {
    const withDependencies = (dependencies: Record<string, string>, lockFile?: [string, string]) => {
      const pkg = JSON.parse(jsCjsApp['package.json']!) as { dependencies: Record<string, string> }
      pkg.dependencies = { ...pkg.dependencies, ...dependencies }
      const files: Record<string, string> = { ...jsCjsApp, 'package.json': JSON.stringify(pkg, null, 2) }
      if (lockFile) {
        delete files['package-lock.json']
        files[lockFile[0]] = lockFile[1]
      }
      return files
    }
    expect((await setUp(jsCjsApp)).config).not.toContain('betterSqlite3')
    expect((await setUp(withDependencies({ 'better-sqlite3': '^12.0.0' }))).config).toContain('      betterSqlite3: true,\n')
    // npm hoists the driver adapter's better-sqlite3; pnpm does not let the app import it.
    expect((await setUp(withDependencies({ '@prisma/adapter-better-sqlite3': '^7.0.0' }))).config).toContain('      betterSqlite3: true,\n')
    expect((await setUp(withDependencies({ '@prisma/adapter-better-sqlite3': '^7.0.0' }, ['pnpm-lock.yaml', 'lockfileVersion: 9.0\n']))).config).not.toContain('betterSqlite3')
    // Without WAL too.
    expect((await setUp(withDependencies({ 'better-sqlite3': '^12.0.0' }), { sqliteWal: false })).config).toContain('      betterSqlite3: true,\n')
    // An app on libsql (Turso) with better-sqlite3 beside it (scripts, tests): its client's SQLite is libsql's, which shares no locks with it.
    expect((await setUp(withDependencies({ 'better-sqlite3': '^12.0.0', '@prisma/adapter-libsql': '^7.0.0', '@libsql/client': '^0.15.0' }))).config).not.toContain('betterSqlite3')
    expect((await setUp(withDependencies({ 'better-sqlite3': '^12.0.0', '@libsql/client': '^0.15.0' }))).config).not.toContain('betterSqlite3')
  })

  it('never asks, nor writes it, for other databases', async () => {
    let asked = 0
    const { config } = await setUp(pgApp(), { chooseSqliteWal: async () => (asked++, true) })
    expect(asked).toBe(0)
    expect(config).not.toContain('sqliteWal')
    expect((await setUp(pgApp({ dependencies: { 'better-sqlite3': '^12.0.0' } }))).config).not.toContain('betterSqlite3')
  })
})

/** jsEsmApp (MySQL, bun, src/db.js) with `dependencies` added. */
function mysqlApp(dependencies: Record<string, string> = {}) {
  const pkg = JSON.parse(jsEsmApp['package.json']!) as { dependencies: Record<string, string> }
  pkg.dependencies = { ...pkg.dependencies, ...dependencies }
  return { ...jsEsmApp, 'package.json': JSON.stringify(pkg, null, 2) }
}

describe('setup: worker queries on MySQL/MariaDB', () => {
  it('with @prisma/adapter-mariadb (which brings mariadb): turns on the mariadb pool, on the URL variable the client connects with', async () => {
    const { config, result } = await setUp(mysqlApp({ '@prisma/adapter-mariadb': '^7.0.0' }))
    expect(config).toContain('const databaseUrl = process.env.DATABASE_URL\n')
    expect(config).toContain('mariadb: databaseUrl ? { connectionString: databaseUrl } : undefined,')
    expect(config).not.toMatch(/^\s*(pg|notify):/m)
    expect(result.nextSteps.join('\n')).not.toMatch(/mariadb/)
  })

  it('with mariadb itself: the same', async () => {
    const { config } = await setUp(mysqlApp({ mariadb: '^3.4.0' }))
    expect(config).toContain('mariadb: databaseUrl ? { connectionString: databaseUrl } : undefined,')
  })

  it('without mariadb: writes the option commented out and says what to install', async () => {
    const { config, result } = await setUp(mysqlApp())
    expect(config).toContain('// mariadb: { connectionString: process.env.DATABASE_URL },')
    expect(config).not.toMatch(/^\s*mariadb:/m)
    expect(result.nextSteps.join('\n')).toMatch(/^bun add mariadb +# then uncomment mariadb in src\/lib\/jobs\.js/m)
  })
})

describe('poolReason', () => {
  it('recognises the URLs that cannot LISTEN, and only those', () => {
    expect(poolReason('U', 'postgresql://a@h:5432/d?pgbouncer=true&connection_limit=1')).toMatch(/PgBouncer/)
    expect(poolReason('U', 'postgres://a@aws-0-us-east-1.pooler.supabase.com:6543/postgres')).toMatch(/Supabase/)
    expect(poolReason('U', 'prisma://accelerate.prisma-data.net/?api_key=x')).toMatch(/Accelerate/)
    expect(poolReason('U', 'postgresql://a@ep-cool-name-123-pooler.us-east-2.aws.neon.tech/db')).toMatch(/pooled host/)
    expect(poolReason('U', 'postgresql://postgres@127.0.0.1:5432/test')).toBeNull()
    expect(poolReason('U', 'postgresql://a@db.abc.supabase.co:5432/postgres')).toBeNull()
    expect(poolReason('U', null)).toBeNull()
  })
})

describe('the benchmark app', () => {
  it('configures its adapter with the lines setup writes (its pickup figures are what users get)', () => {
    const benchConfig = readFileSync(new URL('../../../bench/jobs-kit/app/lib/jobs.ts', import.meta.url), 'utf8')
    const app = { name: 'BENCH_DB_URL', foundIn: 'bench/jobs-kit/app/lib/db.ts' }
    const base = { language: 'ts' as const, installPg: 'npm install pg', configPath: 'lib/jobs.ts', sqliteWal: true }
    const postgresql = planFastPickup({ ...base, provider: 'postgresql', urls: { app, direct: null, pooled: null, accelerate: false, hasPg: true } })
    // The bench app has better-sqlite3 (its Prisma client runs on @prisma/adapter-better-sqlite3).
    const sqlite = planFastPickup({ ...base, provider: 'sqlite', urls: null, hasBetterSqlite3: true })
    const code = (lines: string[]) => lines.filter((line) => !line.startsWith('//'))
    expect(code(postgresql.adapterLines)).toHaveLength(2)
    expect(code(sqlite.adapterLines)).toEqual(['sqliteWal: true,', 'betterSqlite3: true,'])
    for (const line of [...code(postgresql.adapterLines), ...code(postgresql.preludeLines), ...code(sqlite.adapterLines)]) {
      expect(benchConfig).toContain(line)
    }
    // The "Prisma only" row (BENCH_WITHOUT_PG=1): setup writes no option for an app without pg, only comments.
    const withoutPg = planFastPickup({ ...base, provider: 'postgresql', urls: { app, direct: null, pooled: null, accelerate: false, hasPg: false } })
    expect(code([...withoutPg.adapterLines, ...withoutPg.preludeLines])).toEqual([])
    expect(benchConfig).toMatch(/BENCH_WITHOUT_PG === '1'\n\s*\? \{\n(\s*\/\/.*\n)*\s*\}\n/)
    // MySQL with mariadb, and without it (BENCH_WITHOUT_MARIADB=1: the "Prisma only" figures).
    const mysql = planFastPickup({ ...base, provider: 'mysql', urls: { app, direct: null, pooled: null, accelerate: false, hasPg: false, hasMariadb: true } })
    expect(code(mysql.adapterLines)).toEqual(['mariadb: databaseUrl ? { connectionString: databaseUrl } : undefined,'])
    for (const line of [...code(mysql.adapterLines), ...code(mysql.preludeLines)]) expect(benchConfig).toContain(line)
    const withoutMariadb = planFastPickup({ ...base, provider: 'mysql', urls: { app, direct: null, pooled: null, accelerate: false, hasPg: false, hasMariadb: false } })
    expect(code([...withoutMariadb.adapterLines, ...withoutMariadb.preludeLines])).toEqual([])
    expect(benchConfig).toMatch(/BENCH_WITHOUT_MARIADB === '1'\n\s*\? \{\n(\s*\/\/.*\n)*\s*\}\n/)
  })
})
