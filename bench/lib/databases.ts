/**
 * Fresh databases for one benchmark run: a PostgreSQL or MariaDB database
 * with a unique name, or a temporary SQLite file. Every one is dropped by
 * `drop()`; `dropAllBenchDatabases()` is the safety net the entry points call
 * on exit.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import * as mariadb from 'mariadb'

export type Provider = 'postgresql' | 'mysql' | 'sqlite'

/** Server URLs; override with BENCH_PG_URL / BENCH_MARIADB_URL (must point at an existing admin database). */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
export const MARIADB_ADMIN_URL = process.env.BENCH_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306/test'

export interface BenchDatabase {
  provider: Provider
  /** Database name (PostgreSQL/MariaDB) or file path (SQLite). */
  name: string
  /** Connection URL: `postgresql://…`, `mysql://…` (Prisma's spelling for MariaDB), or `file:/…`. */
  url: string
  /** SQLite file path; undefined for servers. */
  file?: string
  drop(): Promise<void>
}

const live = new Set<BenchDatabase>()
const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`

function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return url.toString()
}

/** Creates an empty database named `jkbench_<run>_<purpose>` (or a temp SQLite file). */
export async function createBenchDatabase(provider: Provider, purpose: string): Promise<BenchDatabase> {
  const name = `jkbench_${runId}_${purpose}`.toLowerCase().replace(/[^a-z0-9_]/g, '_')
  let db: BenchDatabase
  if (provider === 'postgresql') {
    await pgAdmin(`CREATE DATABASE "${name}"`)
    db = {
      provider,
      name,
      url: withDatabase(PG_ADMIN_URL, name),
      drop: async () => {
        live.delete(db)
        // FORCE ends connections a killed worker may have left behind.
        await pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      },
    }
  } else if (provider === 'mysql') {
    await mariadbAdmin(`CREATE DATABASE \`${name}\``)
    db = {
      provider,
      name,
      url: withDatabase(MARIADB_ADMIN_URL, name).replace(/^mariadb:/, 'mysql:'),
      drop: async () => {
        live.delete(db)
        await mariadbAdmin(`DROP DATABASE IF EXISTS \`${name}\``)
      },
    }
  } else {
    const dir = mkdtempSync(join(tmpdir(), `${name}-`))
    const file = join(dir, 'bench.db')
    db = {
      provider,
      name: file,
      file,
      url: `file:${file}`,
      drop: async () => {
        live.delete(db)
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  live.add(db)
  return db
}

/** Drops every database this process created and has not dropped yet. */
export async function dropAllBenchDatabases(): Promise<void> {
  for (const db of [...live]) {
    await db.drop().catch((error) => console.error(`could not drop ${db.name}: ${String(error)}`))
  }
}

async function pgAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

async function mariadbAdmin(sql: string): Promise<void> {
  const conn = await mariadb.createConnection(mariadbConnectionOptions(MARIADB_ADMIN_URL))
  try {
    await conn.query(sql)
  } finally {
    await conn.end()
  }
}

/** The `mariadb` driver's connection options for a `mysql://` or `mariadb://` URL. */
export function mariadbConnectionOptions(urlText: string): mariadb.ConnectionConfig {
  const url = new URL(urlText)
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1) || undefined,
  }
}
