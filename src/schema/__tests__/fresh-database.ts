/**
 * An empty database of its own for each test (a temp SQLite file, or a
 * uniquely named PostgreSQL / MariaDB database), with a raw connection to run
 * SQL on, dropped afterwards. A server that cannot be reached fails the test
 * with how to start it; it never skips.
 */
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import mariadb from 'mariadb'
import pg from 'pg'
import type { JobsProvider } from '../schema-location.js'

const POSTGRES_URL = process.env.JOBS_KIT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const MYSQL_URL = process.env.JOBS_KIT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

export interface FreshDatabase {
  provider: JobsProvider
  /** Runs SQL (several statements allowed) and returns the rows of the last one. */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>
  /** A Prisma 7 driver adapter factory for this database. */
  adapter(): Promise<unknown>
  drop(): Promise<void>
}

export async function createFreshDatabase(provider: JobsProvider): Promise<FreshDatabase> {
  const name = `jk_schema_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  try {
    if (provider === 'sqlite') return sqliteDatabase(name)
    if (provider === 'postgresql') return await postgresDatabase(name)
    return await mysqlDatabase(name)
  } catch (error) {
    const code = (error as { code?: string }).code ?? ''
    if (!['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ER_GET_CONNECTION_TIMEOUT', 'ER_CONNECTION_REFUSED'].includes(code)) throw error
    throw new Error(
      `The ${provider} test server (${provider === 'postgresql' ? POSTGRES_URL : MYSQL_URL}) is unreachable. ` +
        `Start it (see /work/shared machine facts) or set JOBS_KIT_TEST_${provider === 'postgresql' ? 'POSTGRES' : 'MYSQL'}_URL.`,
      { cause: error },
    )
  }
}

function sqliteDatabase(name: string): FreshDatabase {
  const file = join(tmpdir(), `${name}.db`)
  const db = new Database(file)
  return {
    provider: 'sqlite',
    async query<T>(sql: string) {
      const statements = sql.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)+$/.test(s))
      let rows: T[] = []
      for (const statement of statements) {
        const prepared = db.prepare(statement)
        rows = prepared.reader ? (prepared.all() as T[]) : (prepared.run(), [])
      }
      return rows
    },
    async adapter() {
      const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3')
      return new PrismaBetterSqlite3({ url: `file:${file}` })
    },
    async drop() {
      db.close()
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true })
    },
  }
}

async function postgresDatabase(name: string): Promise<FreshDatabase> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.end()
  }
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  return {
    provider: 'postgresql',
    async query<T>(sql: string) {
      const result = await client.query(sql)
      const last = Array.isArray(result) ? result[result.length - 1] : result
      return last.rows as T[]
    },
    async adapter() {
      const { PrismaPg } = await import('@prisma/adapter-pg')
      return new PrismaPg({ connectionString: url.toString() })
    },
    async drop() {
      await client.end()
      const admin = new pg.Client({ connectionString: POSTGRES_URL })
      await admin.connect()
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await admin.end()
      }
    },
  }
}

async function mysqlDatabase(name: string): Promise<FreshDatabase> {
  const server = new URL(MYSQL_URL)
  const options = {
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username || 'root'),
    password: decodeURIComponent(server.password),
  }
  const admin = await mariadb.createConnection(options)
  try {
    await admin.query(`CREATE DATABASE \`${name}\``)
  } finally {
    await admin.end()
  }
  const connection = await mariadb.createConnection({ ...options, database: name, multipleStatements: true })
  return {
    provider: 'mysql',
    async query<T>(sql: string) {
      const result = await connection.query(sql)
      if (!Array.isArray(result)) return []
      // Several statements give an array of results; one SELECT gives its rows.
      const last = Array.isArray(result[0]) ? result[result.length - 1] : result
      return (Array.isArray(last) ? [...last] : []) as T[]
    },
    async adapter() {
      const { PrismaMariaDb } = await import('@prisma/adapter-mariadb')
      return new PrismaMariaDb({ ...options, database: name, connectionLimit: 2 })
    },
    async drop() {
      await connection.end()
      const dropper = await mariadb.createConnection(options)
      try {
        await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``)
      } finally {
        await dropper.end()
      }
    },
  }
}
