/**
 * Real databases for the runtime's integration tests.
 *
 * `createTestDatabase(provider)` gives a fresh, empty database of its own
 * (a unique PostgreSQL or MariaDB database, or a temporary SQLite file), with
 * the jobs table created by the SQL we ship (`templates/schema/migrations/`),
 * run through the raw driver. `drop()` disconnects every client and deletes it.
 *
 * Servers: PostgreSQL at JOBS_KIT_TEST_POSTGRES_URL (default
 * postgresql://postgres@127.0.0.1:5432/test) and MariaDB/MySQL at
 * JOBS_KIT_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test). A
 * server that cannot be reached is an error, never a skipped test.
 */
import { randomBytes } from 'node:crypto'
import { readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaMariaDb } from '@prisma/adapter-mariadb'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPg as PrismaPg6 } from 'prisma6-adapter-pg'
import Database from 'better-sqlite3'
import mariadb from 'mariadb'
import pg from 'pg'
import {
  loadPrisma6ClientClass,
  loadPrismaClientClass,
  readMigrationSql,
  VARIANT_MODELS,
  variantExists,
  type SchemaVariant,
  type TestPrismaClient,
  type TestProvider,
} from './prisma-clients.js'

export type { SchemaVariant, TestPrismaClient, TestProvider } from './prisma-clients.js'
export { TEST_PROVIDERS } from './prisma-clients.js'

export interface TestDatabaseOptions {
  /**
   * `default` (model BackgroundJob), `mapped` (model Job, @@map("background_jobs"), snake_case columns)
   * or, on PostgreSQL, `multi-schema` (the table in schema "jobs").
   */
  variant?: SchemaVariant
  /** Prisma 7.10 clients (default), or a Prisma 6.19 client: PostgreSQL and the default variant only. */
  prismaVersion?: 6 | 7
}

export interface TestDatabase {
  provider: TestProvider
  variant: SchemaVariant
  /** The Prisma model name and the table it maps to (schema-qualified for `multi-schema`). */
  model: string
  table: string
  /** Connection URL of this database (a `file:` URL for SQLite). */
  url: string
  /** A generated PrismaClient with the right driver adapter, connected to this database. */
  db: TestPrismaClient
  /**
   * Another client on the same database, with its own connections (for contention tests). Dropped with the database.
   * `wrapAdapter` wraps the driver adapter factory the client gets (e.g. `counting-client.ts`).
   */
  newClient(options?: { wrapAdapter?: (adapter: unknown) => unknown }): Promise<TestPrismaClient>
  /** Disconnects every client and deletes the database. */
  drop(): Promise<void>
}

const POSTGRES_URL = process.env.JOBS_KIT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const MYSQL_URL = process.env.JOBS_KIT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

const HOW_TO_START: Record<Exclude<TestProvider, 'sqlite'>, string> = {
  postgresql:
    'Start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, ' +
    'or point JOBS_KIT_TEST_POSTGRES_URL at a server where you may create databases.',
  mysql:
    'Start it with `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`, ' +
    'or point JOBS_KIT_TEST_MYSQL_URL at a MariaDB 10.6+/MySQL 8 server where you may create databases.',
}

/** Creates a fresh database with the jobs table; see the file comment. */
export async function createTestDatabase(provider: TestProvider, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const variant = options.variant ?? 'default'
  if (!variantExists(provider, variant)) throw new Error(`There is no ${variant} test schema for ${provider}.`)
  const prisma6 = options.prismaVersion === 6
  if (prisma6 && (provider !== 'postgresql' || variant !== 'default')) {
    throw new Error('The Prisma 6 test client exists for PostgreSQL and the default schema only.')
  }
  const PrismaClient = prisma6 ? loadPrisma6ClientClass() : await loadPrismaClientClass(provider, variant)
  const name = `jk_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const sql = readMigrationSql(provider, variant)

  let url: string
  let makeAdapter: () => unknown
  let deleteDatabase: () => Promise<void>

  if (provider === 'sqlite') {
    const file = join(tmpdir(), `${name}.db`)
    const raw = new Database(file)
    try {
      raw.exec(sql)
    } finally {
      raw.close()
    }
    url = `file:${file}`
    makeAdapter = () => new PrismaBetterSqlite3({ url })
    deleteDatabase = async () => {
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true })
    }
  } else if (provider === 'postgresql') {
    await withServer(provider, async () => {
      const admin = new pg.Client({ connectionString: POSTGRES_URL })
      await admin.connect()
      try {
        await admin.query(`CREATE DATABASE "${name}"`)
      } finally {
        await admin.end()
      }
    })
    url = withDatabase(POSTGRES_URL, name)
    const setup = new pg.Client({ connectionString: url })
    await setup.connect()
    try {
      await setup.query(sql)
    } finally {
      await setup.end()
    }
    makeAdapter = prisma6 ? () => new PrismaPg6({ connectionString: url }) : () => new PrismaPg({ connectionString: url })
    deleteDatabase = async () => {
      const admin = new pg.Client({ connectionString: POSTGRES_URL })
      await admin.connect()
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await admin.end()
      }
    }
  } else {
    const server = new URL(MYSQL_URL)
    const connectionOptions = {
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username || 'root'),
      password: decodeURIComponent(server.password),
    }
    await withServer(provider, async () => {
      const admin = await mariadb.createConnection({ ...connectionOptions, multipleStatements: true })
      try {
        await admin.query(`CREATE DATABASE \`${name}\``)
        await admin.query(`USE \`${name}\``)
        await admin.query(sql)
      } finally {
        await admin.end()
      }
    })
    url = withDatabase(MYSQL_URL, name)
    makeAdapter = () => new PrismaMariaDb({ ...connectionOptions, database: name, connectionLimit: 5 })
    deleteDatabase = async () => {
      const admin = await mariadb.createConnection(connectionOptions)
      try {
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``)
      } finally {
        await admin.end()
      }
    }
  }

  const clients: TestPrismaClient[] = []
  const newClient = async (options: { wrapAdapter?: (adapter: unknown) => unknown } = {}): Promise<TestPrismaClient> => {
    const adapter = makeAdapter()
    const client = new PrismaClient({ adapter: options.wrapAdapter ? options.wrapAdapter(adapter) : adapter })
    clients.push(client)
    await client.$connect()
    return client
  }
  const db = await newClient()
  const { model, table } = VARIANT_MODELS[variant]

  return {
    provider,
    variant,
    model,
    table,
    url,
    db,
    newClient,
    drop: async () => {
      // Delete the database even when a client fails to disconnect.
      const disconnected = await Promise.allSettled(clients.map((client) => client.$disconnect()))
      await deleteDatabase()
      const failed = disconnected.find((result): result is PromiseRejectedResult => result.status === 'rejected')
      if (failed) throw failed.reason
    },
  }
}

/**
 * Deletes test databases and SQLite files left behind by runs that were
 * killed before their `drop()` (older than `maxAgeHours`, from the time in
 * their name). Never throws: an unreachable server is reported by the tests.
 */
export async function dropStaleTestDatabases(maxAgeHours = 6): Promise<void> {
  const isStale = (name: string) => {
    const match = /^jk_test_([0-9a-z]+)_[0-9a-f]{8}/.exec(name)
    return match !== null && Date.now() - parseInt(match[1], 36) > maxAgeHours * 3_600_000
  }
  for (const file of readdirSync(tmpdir())) {
    if (isStale(file)) rmSync(join(tmpdir(), file), { force: true })
  }
  try {
    const admin = new pg.Client({ connectionString: POSTGRES_URL })
    await admin.connect()
    try {
      const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'jk\\_test\\_%'")
      for (const { datname } of rows.filter((row) => isStale(row.datname))) {
        await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
      }
    } finally {
      await admin.end()
    }
  } catch {
    // The tests will say how to start the server.
  }
  try {
    const server = new URL(MYSQL_URL)
    const admin = await mariadb.createConnection({
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username || 'root'),
      password: decodeURIComponent(server.password),
    })
    try {
      const rows: Array<{ name: string }> = await admin.query(
        "SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE 'jk\\_test\\_%'",
      )
      for (const { name } of rows.filter((row) => isStale(row.name))) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``)
    } finally {
      await admin.end()
    }
  } catch {
    // As above.
  }
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}

/** Runs `fn`, turning "cannot connect" into an error that says how to start the server. */
async function withServer(provider: Exclude<TestProvider, 'sqlite'>, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (error) {
    const code = (error as { code?: string }).code
    const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ER_GET_CONNECTION_TIMEOUT', 'ER_CONNECTION_REFUSED'].includes(code ?? '')
    if (!unreachable) throw error
    const where = provider === 'postgresql' ? POSTGRES_URL : MYSQL_URL
    const ci = process.env.CI ? ' (CI is set: database tests never skip)' : ''
    throw new Error(`The ${provider} test server at ${where} is unreachable${ci}. ${HOW_TO_START[provider]}`, { cause: error })
  }
}
