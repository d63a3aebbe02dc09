/**
 * A fresh, empty database for one app copy: a unique PostgreSQL or MariaDB
 * database, or a temporary SQLite file. The app gets it as `DATABASE_URL`;
 * the test reads and writes it through the raw driver (never through the
 * app's Prisma client, so a broken client cannot hide a broken table).
 *
 * Servers: JOBS_KIT_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test)
 * and JOBS_KIT_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test), the
 * same variables the runtime's tests use. An unreachable server is an error,
 * never a skipped test.
 */
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import mariadb, { type Connection as MariadbConnection } from 'mariadb'
import pg from 'pg'

export type AppProvider = 'sqlite' | 'postgresql' | 'mysql'

export interface AppDatabase {
  provider: AppProvider
  /** What the app reads from `DATABASE_URL`. */
  url: string
  /** Runs a script of one or more statements (a migration). */
  exec(sql: string): Promise<void>
  /** Runs one query and returns its rows. */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>
  /** Quotes a table or column name for this provider. */
  quote(identifier: string): string
  /** Deletes the database. */
  drop(): Promise<void>
}

const POSTGRES_URL = process.env.JOBS_KIT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const MYSQL_URL = process.env.JOBS_KIT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

/** Creates a database for an app copy in `appDir` (SQLite files live there). */
export async function createAppDatabase(provider: AppProvider, appDir: string): Promise<AppDatabase> {
  const name = `jk_e2e_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  if (provider === 'sqlite') return createSqliteDatabase(join(appDir, 'prisma', `${name}.db`))
  if (provider === 'postgresql') return createPostgresDatabase(name)
  return createMysqlDatabase(name)
}

function createSqliteDatabase(file: string): AppDatabase {
  const open = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(file)
    try {
      return fn(db)
    } finally {
      db.close()
    }
  }
  open(() => undefined)
  return {
    provider: 'sqlite',
    url: `file:${file}`,
    exec: async (sql) => open((db) => void db.exec(sql)),
    query: async <T>(sql: string) => open((db) => db.prepare(sql).all() as T[]),
    quote: (identifier) => `"${identifier}"`,
    drop: async () => {
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true })
    },
  }
}

async function createPostgresDatabase(name: string): Promise<AppDatabase> {
  // Prisma stores DateTime in \`timestamp(3)\` columns, in UTC: read them as UTC whatever the machine's zone.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === pg.types.builtins.TIMESTAMP ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format),
  }
  const withClient = async <T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url, types: types as pg.CustomTypesConfig })
    await client.connect()
    try {
      return await fn(client)
    } finally {
      await client.end()
    }
  }
  await reachServer('postgresql', POSTGRES_URL, () => withClient(POSTGRES_URL, (client) => client.query(`CREATE DATABASE "${name}"`)))
  const url = withDatabase(POSTGRES_URL, name)
  return {
    provider: 'postgresql',
    url,
    exec: async (sql) => void (await withClient(url, (client) => client.query(sql))),
    query: async <T>(sql: string) => (await withClient(url, (client) => client.query(sql))).rows as T[],
    quote: (identifier) => `"${identifier}"`,
    drop: async () => void (await withClient(POSTGRES_URL, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  }
}

async function createMysqlDatabase(name: string): Promise<AppDatabase> {
  const server = new URL(MYSQL_URL)
  const connection = {
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username || 'root'),
    password: decodeURIComponent(server.password),
  }
  const withConnection = async <T>(database: string | undefined, fn: (conn: MariadbConnection) => Promise<T>): Promise<T> => {
    // Prisma stores DateTime in UTC: read DATETIME values as UTC whatever the machine's zone.
    const conn = await mariadb.createConnection({ ...connection, database, multipleStatements: true, timezone: 'Z' })
    try {
      return await fn(conn)
    } finally {
      await conn.end()
    }
  }
  await reachServer('mysql', MYSQL_URL, () => withConnection(undefined, (conn) => conn.query(`CREATE DATABASE \`${name}\``)))
  // The app's adapter (@prisma/adapter-mariadb) takes a mariadb:// URL.
  const url = withDatabase(MYSQL_URL, name).replace(/^mysql:/, 'mariadb:')
  return {
    provider: 'mysql',
    url,
    exec: async (sql) => void (await withConnection(name, (conn) => conn.query(sql))),
    query: async <T>(sql: string) => [...((await withConnection(name, (conn) => conn.query(sql))) as T[])],
    quote: (identifier) => `\`${identifier}\``,
    drop: async () => void (await withConnection(undefined, (conn) => conn.query(`DROP DATABASE IF EXISTS \`${name}\``))),
  }
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}

async function reachServer(provider: 'postgresql' | 'mysql', where: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn()
  } catch (error) {
    const code = (error as { code?: string }).code ?? ''
    if (!['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ER_GET_CONNECTION_TIMEOUT', 'ER_CONNECTION_REFUSED'].includes(code)) throw error
    const variable = provider === 'postgresql' ? 'JOBS_KIT_TEST_POSTGRES_URL' : 'JOBS_KIT_TEST_MYSQL_URL'
    const ci = process.env.CI ? ' (CI is set: end-to-end tests never skip)' : ''
    throw new Error(
      `The ${provider} test server at ${where} is unreachable${ci}. Start it (see .ci/run), or point ${variable} at a server where you may create databases.`,
      { cause: error },
    )
  }
}
