import { posix } from 'node:path'
import type { Tree } from '../tree/tree.js'
import { PRISMA_CONFIG_FILES } from '../schema/read-prisma-config.js'
import { hasDependency, type PackageJson } from './read-package-json.js'

/** An environment variable holding a connection URL, and where setup saw it used. */
export interface UrlVariable {
  name: string
  /** `src/lib/db.ts`, `prisma/schema.prisma (directUrl)`, … */
  foundIn: string
}

/** How the app reaches its PostgreSQL database, as far as setup can tell without running it. */
export interface DatabaseUrls {
  /** The variable the app's client connects with (`DATABASE_URL` when nothing says otherwise). */
  app: UrlVariable
  /** A direct (unpooled) URL the app also has: the datasource's `directUrl`, or prisma.config's `url` when it differs from the app's. */
  direct: UrlVariable | null
  /** Why the app's URL cannot LISTEN (a transaction pooler, Prisma Accelerate), or null when nothing says so. */
  pooled: string | null
  /** True when the app's URL is Prisma Accelerate's (`prisma://`): `pg` cannot connect to it at all. */
  accelerate: boolean
  /** Whether the app can `import 'pg'`: it depends on `pg`, or on `@prisma/adapter-pg` with a package manager that hoists. */
  hasPg: boolean
  /** The same for `mariadb` (MySQL/MariaDB apps): `mariadb`, or `@prisma/adapter-mariadb` with a package manager that hoists. */
  hasMariadb?: boolean
}

/** `process.env.NAME` or `process.env['NAME']`. */
const PROCESS_ENV = /process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])/g
/** `env("NAME")` in a schema datasource or prisma.config. */
const ENV_CALL = (key: string) => new RegExp(`\\b${key}\\s*[=:]\\s*env\\(\\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\\s*\\)`)
const ENV_FILES = ['.env', '.env.local', '.env.development', '.env.development.local', '.env.production']

/**
 * Finds the environment variable the app connects to PostgreSQL with, the
 * way the app already configures it: the client module's
 * `process.env.X` (a driver adapter's `connectionString`), else the schema's
 * `url = env("X")`, else prisma.config's `url: env('X')`, else `DATABASE_URL`.
 * A direct URL is the schema's `directUrl`, or prisma.config's `url` when it
 * names another variable than the client (Prisma 7 apps behind a pooler give
 * the CLI the direct one there). Reads `.env` files only to recognise a pooled
 * URL; their values are never copied anywhere.
 */
export function detectDatabaseUrls(
  tree: Tree,
  input: { packageJson: PackageJson; dbModulePath: string; datasourceFile: string; redwood: boolean; packageManager: string },
): DatabaseUrls {
  const schema = tree.read(input.datasourceFile) ?? ''
  const datasource = /datasource\s+\w+\s*\{([^}]*)\}/.exec(schema)?.[1] ?? ''
  const configFile = PRISMA_CONFIG_FILES.find((file) => tree.read(file) !== null)
  const config = configFile ? tree.read(configFile) ?? '' : ''
  const configUrl = configUrlVariable(config)

  const clientVariable = clientUrlVariable(tree.read(input.dbModulePath) ?? '')
  const schemaUrl = ENV_CALL('url').exec(datasource)?.[1]
  const app: UrlVariable = clientVariable
    ? { name: clientVariable, foundIn: input.dbModulePath }
    : schemaUrl
      ? { name: schemaUrl, foundIn: `${input.datasourceFile} (url)` }
      : configUrl
        ? { name: configUrl, foundIn: `${configFile} (datasource.url)` }
        : { name: 'DATABASE_URL', foundIn: 'the default' }

  const schemaDirect = ENV_CALL('directUrl').exec(datasource)?.[1]
  const configDirect = ENV_CALL('directUrl').exec(config)?.[1]
  const direct: UrlVariable | null = schemaDirect && schemaDirect !== app.name
    ? { name: schemaDirect, foundIn: `${input.datasourceFile} (directUrl)` }
    : configDirect && configDirect !== app.name
      ? { name: configDirect, foundIn: `${configFile} (directUrl)` }
      : configUrl && configUrl !== app.name
        ? { name: configUrl, foundIn: `${configFile} (datasource.url, which the Prisma CLI migrates with)` }
        : null

  const value = envValue(tree, app.name, input.redwood)
  const accelerate = value !== null && /^prisma(\+postgres)?:\/\//.test(value)
  return { app, direct, pooled: poolReason(app.name, value), accelerate, hasPg: canImportPackage(tree, input, 'pg', '@prisma/adapter-pg'), hasMariadb: canImportPackage(tree, input, 'mariadb', '@prisma/adapter-mariadb') }
}

/** The variable in the client module's connection: `connectionString: process.env.X`, else the first `process.env.X` that looks like a URL. */
function clientUrlVariable(code: string): string | undefined {
  const names = [...code.matchAll(PROCESS_ENV)].map((match) => match[1] ?? match[2]!)
  const inConnection = /connectionString\s*:\s*process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])/.exec(code)
  if (inConnection) return inConnection[1] ?? inConnection[2]
  return names.find((name) => /URL|URI|DSN|CONNECTION/i.test(name))
}

/** prisma.config's `datasource: { url: env('X') }` (or `process.env.X`). */
function configUrlVariable(config: string): string | undefined {
  const datasource = /datasource\s*:\s*\{([^}]*)\}/.exec(config)?.[1] ?? ''
  const envCall = ENV_CALL('url').exec(datasource)?.[1]
  if (envCall) return envCall
  return /\burl\s*:\s*process\.env\.([A-Za-z_][A-Za-z0-9_]*)/.exec(datasource)?.[1]
}

/** The variable's value in the app's `.env` files (the first that sets it), or null. */
function envValue(tree: Tree, name: string, redwood: boolean): string | null {
  const files = redwood ? [...ENV_FILES, ...ENV_FILES.map((file) => posix.join('api', file))] : ENV_FILES
  for (const file of files) {
    const text = tree.read(file)
    if (text === null) continue
    const line = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=\\s*(.*)$`, 'm').exec(text)
    if (line) return line[1]!.trim().replace(/^(['"])(.*)\1$/, '$2')
  }
  return null
}

/**
 * Why a URL cannot LISTEN, or null. LISTEN holds a session; a pooler in
 * transaction mode hands the connection to someone else after each
 * statement, so notifications never arrive (the LISTEN itself succeeds).
 */
export function poolReason(name: string, value: string | null): string | null {
  if (value === null) return null
  if (/^prisma(\+postgres)?:\/\//.test(value)) return `${name} is a Prisma Accelerate URL (${value.split(':')[0]}://), which speaks HTTP, not the PostgreSQL protocol`
  if (/[?&]pgbouncer=true\b/.test(value)) return `${name} goes through PgBouncer (pgbouncer=true), in transaction mode`
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return null
  }
  if (url.port === '6543' && /pooler\.supabase\.com$|supabase\.co$/.test(url.hostname)) {
    return `${name} is Supabase's transaction pooler (port 6543)`
  }
  if (url.port === '6543') return `${name} uses port 6543, a transaction pooler's (Supabase, PgBouncer)`
  if (/-pooler\./.test(url.hostname)) return `${name} is a pooled host (${url.hostname})`
  return null
}

/**
 * Whether the app can import `name`: a dependency of its package.json (or
 * RedwoodJS's api/package.json), or one of Prisma's driver adapter that
 * depends on it (`driverAdapter`), except with pnpm, which does not let an
 * app import its dependencies' dependencies.
 */
export function canImportPackage(
  tree: Tree,
  input: { packageJson: PackageJson; redwood: boolean; packageManager: string },
  name: string,
  driverAdapter: string,
): boolean {
  const packages = [input.packageJson]
  const apiPackage = input.redwood ? tree.read('api/package.json') : null
  if (apiPackage !== null) {
    try {
      packages.push(JSON.parse(apiPackage) as PackageJson)
    } catch {
      // An unreadable api/package.json: the root's alone decides.
    }
  }
  return packages.some((pkg) => hasDependency(pkg, name) || (input.packageManager !== 'pnpm' && hasDependency(pkg, driverAdapter)))
}
