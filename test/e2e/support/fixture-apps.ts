/**
 * The apps in `e2e-fixtures/` and how to bring a copy of one to life: copy it
 * to a temporary folder, give it a `node_modules` (link-dependencies.ts), a
 * fresh database with the app's own migrations applied, and a generated
 * Prisma client — everything a developer has after `npm install` and
 * `prisma migrate dev`, without the network or Prisma's migration engine.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAppDatabase, type AppDatabase, type AppProvider } from './app-databases.js'
import { linkDependencies } from './link-dependencies.js'
import { run, type RunResult } from './run-command.js'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const fixturesRoot = join(repoRoot, 'e2e-fixtures')

export interface FixtureApp {
  /** Folder name under `e2e-fixtures/`. */
  name: string
  /** What the fixture stands for, for test names. */
  description: string
  provider: AppProvider
  /** The Prisma major.minor the app's package.json asks for; `prisma generate` must report it. */
  prismaVersion: string
  /** The app's migrations folder, relative to its root. */
  migrationsDir: string
  /** The table the app's `User` model maps to. */
  usersTable: string
  /** The column holding the user's email. */
  emailColumn: string
  /** The column of `User.welcomedAt` (the edited job sets it). */
  welcomedAtColumn: string
  /** The npm script that creates a user: `npm run <script> -- <email> <name>`. */
  createUserScript: string
  /** The module whose `createUser` the e2e test makes call `later()`. */
  serviceFile: string
  /** How that module imports `later` and the job, in the app's own style (after `setup` and `g job`). */
  serviceImports: { later: string; job: string }
  /** The app's tsconfig (the one its jobs code compiles under); null for JavaScript apps. */
  tsconfig: string | null
  /** The module exporting the app's Prisma client, and the export's name. */
  db: { path: string; exportName: string }
  /** Declared packages the tests never load (the web framework itself). */
  unlinked: readonly string[]
  /** Declared packages copied instead of symlinked (see link-dependencies.ts). */
  copied?: readonly string[]
  /** Flags this app needs on `jobs-kit setup` (beyond `--yes --migration`), as its README would tell a user. */
  setupArgs?: readonly string[]
}

export const FIXTURE_APPS: readonly FixtureApp[] = [
  {
    name: 'next-sqlite',
    description: 'Next.js app router, TypeScript ESM, @/ alias, prisma-client generator, SQLite (better-sqlite3)',
    provider: 'sqlite',
    prismaVersion: '7.10',
    migrationsDir: 'prisma/migrations',
    usersTable: 'User',
    emailColumn: 'email',
    welcomedAtColumn: 'welcomedAt',
    createUserScript: 'create-user',
    serviceFile: 'src/lib/users.ts',
    serviceImports: { later: '@/lib/jobs', job: '@/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob' },
    db: { path: 'src/lib/db.ts', exportName: 'db' },
    tsconfig: 'tsconfig.json',
    unlinked: ['next', 'react', 'react-dom', '@types/react', '@types/react-dom', '@types/better-sqlite3'],
  },
  {
    name: 'redwood-pg',
    description: 'RedwoodJS api side, TypeScript, src/* alias, schema in api/db, PostgreSQL (adapter-pg)',
    provider: 'postgresql',
    prismaVersion: '7.10',
    migrationsDir: 'api/db/migrations',
    usersTable: 'User',
    emailColumn: 'email',
    welcomedAtColumn: 'welcomedAt',
    createUserScript: 'create-user',
    serviceFile: 'api/src/services/users/users.ts',
    serviceImports: { later: 'src/lib/jobs', job: 'src/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob' },
    db: { path: 'api/src/lib/db.ts', exportName: 'db' },
    tsconfig: 'api/tsconfig.json',
    unlinked: [
      '@redwoodjs/core',
      '@redwoodjs/api',
      '@redwoodjs/graphql-server',
      '@redwoodjs/forms',
      '@redwoodjs/router',
      '@redwoodjs/web',
      'react',
      'react-dom',
    ],
  },
  {
    name: 'express-mariadb',
    description: 'Express, plain JavaScript, CommonJS, prisma-client-js generator, MariaDB (adapter-mariadb)',
    provider: 'mysql',
    prismaVersion: '7.10',
    migrationsDir: 'prisma/migrations',
    usersTable: 'User',
    emailColumn: 'email',
    welcomedAtColumn: 'welcomedAt',
    createUserScript: 'create-user',
    serviceFile: 'src/services/users.js',
    serviceImports: { later: '../lib/jobs', job: '../jobs/SendWelcomeEmailJob/SendWelcomeEmailJob' },
    db: { path: 'src/lib/db.js', exportName: 'db' },
    tsconfig: null,
    // The tests call the service the routes call; they never start the HTTP server.
    unlinked: ['express'],
  },
  {
    name: 'multi-schema-mariadb',
    description: 'multi-file schema folder via prisma.config.ts, @@map/@map tables, no src/ folder, TypeScript NodeNext, MariaDB',
    provider: 'mysql',
    prismaVersion: '7.10',
    migrationsDir: 'prisma/migrations',
    usersTable: 'users',
    emailColumn: 'email',
    welcomedAtColumn: 'welcomed_at',
    createUserScript: 'create-user',
    serviceFile: 'services/users.ts',
    serviceImports: { later: '../lib/jobs.js', job: '../jobs/SendWelcomeEmailJob/SendWelcomeEmailJob.js' },
    db: { path: 'lib/prisma.ts', exportName: 'prisma' },
    tsconfig: 'tsconfig.json',
    unlinked: [],
  },
  {
    name: 'prisma6-pg',
    description: 'Prisma 6.19, prisma-client-js with engineType "client", TypeScript CommonJS, PostgreSQL (adapter-pg 6.19)',
    provider: 'postgresql',
    prismaVersion: '6.19',
    migrationsDir: 'prisma/migrations',
    usersTable: 'User',
    emailColumn: 'email',
    welcomedAtColumn: 'welcomedAt',
    createUserScript: 'create-user',
    serviceFile: 'src/services/users.ts',
    serviceImports: { later: '../lib/jobs', job: '../jobs/SendWelcomeEmailJob/SendWelcomeEmailJob' },
    db: { path: 'src/db.ts', exportName: 'db' },
    tsconfig: 'tsconfig.json',
    unlinked: ['fastify'],
    // prisma-client-js generates into node_modules/.prisma/client next to @prisma/client.
    copied: ['@prisma/client'],
  },
  {
    name: 'prisma6-crlf-pg',
    description: 'Prisma 6.19 schema with url/directUrl, CRLF line endings in every file, client in src/lib/prisma/index.ts, TypeScript CommonJS, PostgreSQL',
    provider: 'postgresql',
    prismaVersion: '6.19',
    migrationsDir: 'prisma/migrations',
    usersTable: 'User',
    emailColumn: 'email',
    welcomedAtColumn: 'welcomedAt',
    createUserScript: 'create-user',
    serviceFile: 'src/services/users.ts',
    serviceImports: { later: '../lib/jobs', job: '../jobs/SendWelcomeEmailJob/SendWelcomeEmailJob' },
    db: { path: 'src/lib/prisma/index.ts', exportName: 'prisma' },
    tsconfig: 'tsconfig.json',
    unlinked: [],
    copied: ['@prisma/client'],
  },
  {
    name: 't3-sqlite',
    description: 'create-t3-app layout, ~/ alias, src/server/db.ts, its own BackgroundJob model (CSV exports): setup --model JobsKitJob --table jobs_kit_jobs, SQLite',
    provider: 'sqlite',
    prismaVersion: '7.10',
    migrationsDir: 'prisma/migrations',
    usersTable: 'User',
    emailColumn: 'email',
    welcomedAtColumn: 'welcomedAt',
    createUserScript: 'create-user',
    serviceFile: 'src/server/api/users.ts',
    serviceImports: { later: '~/lib/jobs', job: '~/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob' },
    db: { path: 'src/server/db.ts', exportName: 'db' },
    tsconfig: 'tsconfig.json',
    unlinked: ['next', 'zod', '@types/better-sqlite3'],
    setupArgs: ['--model', 'JobsKitJob', '--table', 'jobs_kit_jobs'],
  },
  {
    name: 'supabase-pg',
    description: 'Supabase-style multi-schema PostgreSQL (schemas = ["auth", "public"], a model in each), @/ alias, prisma-client generator, adapter-pg',
    provider: 'postgresql',
    prismaVersion: '7.10',
    migrationsDir: 'prisma/migrations',
    usersTable: 'profiles',
    emailColumn: 'email',
    welcomedAtColumn: 'welcomed_at',
    createUserScript: 'create-user',
    serviceFile: 'src/services/users.ts',
    serviceImports: { later: '@/lib/jobs', job: '@/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob' },
    db: { path: 'src/lib/prisma.ts', exportName: 'prisma' },
    tsconfig: 'tsconfig.json',
    unlinked: [],
  },
]

export function fixtureApp(name: string): FixtureApp {
  const app = FIXTURE_APPS.find((candidate) => candidate.name === name)
  if (!app) throw new Error(`No fixture app named ${name}; known: ${FIXTURE_APPS.map((a) => a.name).join(', ')}`)
  return app
}

/** A running copy of a fixture app. */
export interface AppCopy {
  fixture: FixtureApp
  dir: string
  database: AppDatabase
  /** The environment every command in the copy runs with (`DATABASE_URL` included). */
  env: NodeJS.ProcessEnv
  /** Runs a command in the copy; its output goes to `transcript` too. */
  run(command: string, args: string[], timeoutMs?: number): Promise<RunResult>
  /** Every command run in the copy with its output, for failure reports. */
  transcript: string[]
  /** Applies each `migration.sql` of the app's migrations folder not applied yet, in order; returns their folders. */
  applyMigrations(): Promise<string[]>
  /** `prisma generate`, offline. */
  generateClient(): Promise<RunResult>
  /** Deletes the database and the folder (kept when JOBS_KIT_E2E_KEEP is set). */
  remove(): Promise<void>
}

/** The environment of commands run in an app copy: offline Prisma, no test-runner leftovers. */
function appEnvironment(databaseUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    // Vitest's own variables would make the app's vitest think it runs nested.
    if (key.startsWith('VITEST') || key === 'NODE_OPTIONS' || key.startsWith('npm_')) continue
    env[key] = value
  }
  return {
    ...env,
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'development',
    // Prisma's CLIs look for engines they would download; generate needs none of them.
    PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
    PRISMA_QUERY_ENGINE_LIBRARY: '/bin/true',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
    NO_COLOR: '1',
  }
}

/**
 * Copies a fixture into a temporary folder, links its packages and creates its
 * database. `withoutDevDependencies`: take these out of the copy's
 * package.json first, so the copy is that app without them (never installed).
 */
export async function copyFixtureApp(name: string, options: { withoutDevDependencies?: string[] } = {}): Promise<AppCopy> {
  const fixture = fixtureApp(name)
  const dir = mkdtempSync(join(tmpdir(), `jobs-kit-e2e-${name}-`))
  let database: AppDatabase
  try {
    cpSync(join(fixturesRoot, name), dir, { recursive: true })
    if (options.withoutDevDependencies) {
      const packageJson = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }
      for (const dependency of options.withoutDevDependencies) delete packageJson.devDependencies?.[dependency]
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`)
    }
    linkDependencies(dir, { rootModules: join(repoRoot, 'node_modules'), unlinked: fixture.unlinked, copied: fixture.copied })
    database = await createAppDatabase(fixture.provider, dir)
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const env = appEnvironment(database.url)
  const transcript: string[] = []
  const applied = new Set<string>()
  const copy: AppCopy = {
    fixture,
    dir,
    database,
    env,
    transcript,
    run: async (command, args, timeoutMs) => {
      const shown = `$ ${[command, ...args].join(' ')}`
      try {
        const result = await run(command, args, { cwd: dir, env, timeoutMs })
        transcript.push([shown, result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n'))
        return result
      } catch (error) {
        transcript.push(`${shown}\n${(error as Error).message}`)
        throw error
      }
    },
    applyMigrations: async () => {
      const migrationsDir = join(dir, fixture.migrationsDir)
      const newlyApplied: string[] = []
      for (const entry of readdirSync(migrationsDir).sort()) {
        const file = join(migrationsDir, entry, 'migration.sql')
        if (!existsSync(file) || applied.has(entry)) continue
        await database.exec(readFileSync(file, 'utf8'))
        applied.add(entry)
        newlyApplied.push(entry)
      }
      return newlyApplied
    },
    generateClient: () => copy.run(join(dir, 'node_modules/.bin/prisma'), ['generate']),
    remove: async () => {
      await database.drop()
      if (!process.env.JOBS_KIT_E2E_KEEP) rmSync(dir, { recursive: true, force: true })
    },
  }
  return copy
}
