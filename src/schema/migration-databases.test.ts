/**
 * The migration `setup` writes, applied to real databases: a SQLite file,
 * PostgreSQL and MariaDB, a fresh database each. Checks the table's columns
 * and indexes, then stores, locks, reads and deletes a job through a
 * generated Prisma 7 client and its driver adapter — for MySQL/MariaDB this
 * is the check that the SQL matches what Prisma expects, since Prisma 6.19's
 * WASM engine cannot generate MySQL SQL offline (see migration-oracle.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { loadPrismaClientClass } from '../../test/support/prisma-clients.js'
import { addBackgroundJobModel } from './add-background-job-model.js'
import { findPrismaSchema } from './find-prisma-schema.js'
import type { JobsProvider } from './schema-location.js'
import { writeMigration } from './write-migration.js'
import { createFreshDatabase, type FreshDatabase } from './__tests__/fresh-database.js'
import { fixtureFiles, memoryTree } from './__tests__/schema-test-tree.js'

const APPS: Record<JobsProvider, string> = {
  sqlite: 'doc-comments-sqlite',
  postgresql: 'prisma6-postgresql',
  mysql: 'mysql-native-types',
}

const DATE = { sqlite: 'DATETIME', postgresql: 'timestamp without time zone', mysql: 'datetime(3)' }
const INT = { sqlite: 'INTEGER', postgresql: 'integer', mysql: 'int' }
const TEXT = { sqlite: 'TEXT', postgresql: 'text', mysql: 'text' }
const SHORT_TEXT = { sqlite: 'TEXT', postgresql: 'text', mysql: 'varchar(191)' }

/** The jobs table every provider must end up with: [column, type by provider, nullable]. */
const COLUMNS: Array<[string, Record<JobsProvider, string>, boolean]> = [
  ['id', INT, false],
  ['attempts', INT, false],
  ['handler', TEXT, false],
  ['queue', SHORT_TEXT, false],
  ['priority', INT, false],
  ['runAt', DATE, true],
  ['lockedAt', DATE, true],
  ['lockedBy', SHORT_TEXT, true],
  ['lastError', TEXT, true],
  ['failedAt', DATE, true],
  ['createdAt', DATE, false],
  ['updatedAt', DATE, false],
]

interface Column {
  name: string
  type: string
  nullable: boolean
}

async function columnsOf(db: FreshDatabase, table: string): Promise<Column[]> {
  if (db.provider === 'sqlite') {
    const rows = await db.query<{ name: string; type: string; notnull: number }>(`SELECT name, type, "notnull" FROM pragma_table_info('${table}')`)
    return rows.map((row) => ({ name: row.name, type: row.type, nullable: row.notnull === 0 }))
  }
  if (db.provider === 'postgresql') {
    const rows = await db.query<{ name: string; type: string; is_nullable: string }>(
      `SELECT column_name AS name, data_type AS type, is_nullable FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`,
    )
    return rows.map((row) => ({ name: row.name, type: row.type, nullable: row.is_nullable === 'YES' }))
  }
  const rows = await db.query<{ name: string; type: string; nullable: string }>(
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable FROM information_schema.columns ` +
      `WHERE table_schema = DATABASE() AND table_name = '${table}' ORDER BY ORDINAL_POSITION`,
  )
  // MariaDB says int(11), MySQL 8 says int.
  return rows.map((row) => ({ name: row.name, type: row.type.replace(/^int\(11\)$/, 'int'), nullable: row.nullable === 'YES' }))
}

/** Secondary indexes as `name → columns`. */
async function indexesOf(db: FreshDatabase, table: string): Promise<Record<string, string[]>> {
  let rows: Array<{ name: string; columns: string }>
  if (db.provider === 'sqlite') {
    rows = await db.query(
      `SELECT il.name AS name, group_concat(ii.name, ',') AS columns FROM pragma_index_list('${table}') il, pragma_index_info(il.name) ii GROUP BY il.name`,
    )
  } else if (db.provider === 'postgresql') {
    rows = await db.query(
      `SELECT i.relname AS name, string_agg(a.attname, ',' ORDER BY k.ord) AS columns FROM pg_index x ` +
        `JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid ` +
        `CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) ` +
        `JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ` +
        `WHERE t.relname = '${table}' AND NOT x.indisprimary GROUP BY i.relname`,
    )
  } else {
    rows = await db.query(
      `SELECT INDEX_NAME AS name, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS columns FROM information_schema.statistics ` +
        `WHERE table_schema = DATABASE() AND table_name = '${table}' AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME`,
    )
  }
  return Object.fromEntries(rows.map((row) => [row.name, String(row.columns).split(',')]))
}

/** Runs setup's schema steps on a copy of a real-world app and returns the migration it staged. */
async function migrationFor(provider: JobsProvider, tableName?: string): Promise<string> {
  const { tree } = memoryTree(fixtureFiles(APPS[provider]))
  const schema = await findPrismaSchema(tree)
  expect(schema.provider).toBe(provider)
  await addBackgroundJobModel(tree, schema, { tableName })
  const migration = await writeMigration(tree, schema)
  return tree.read(migration!.path)!
}

let database: FreshDatabase | undefined
afterEach(async () => {
  await database?.drop()
  database = undefined
})

for (const provider of ['sqlite', 'postgresql', 'mysql'] as const) {
  describe(`the migration applied to a real ${provider} database`, () => {
    it('creates the jobs table with the expected columns, types, nullability and indexes', async () => {
      database = await createFreshDatabase(provider)
      await database.query(await migrationFor(provider))
      expect(await columnsOf(database, 'BackgroundJob')).toEqual(COLUMNS.map(([name, types, nullable]) => ({ name, type: types[provider], nullable })))
      expect(await indexesOf(database, 'BackgroundJob')).toEqual({
        BackgroundJob_priority_runAt_id_idx: ['priority', 'runAt', 'id'],
        BackgroundJob_queue_priority_runAt_id_idx: ['queue', 'priority', 'runAt', 'id'],
      })
    })

    it('gives a table a generated Prisma 7 client can store, lock, read and delete jobs in', async () => {
      database = await createFreshDatabase(provider)
      await database.query(await migrationFor(provider))
      const PrismaClient = await loadPrismaClientClass(provider, 'default')
      const db = new PrismaClient({ adapter: await database.adapter() })
      try {
        const handler = JSON.stringify({ name: 'SendWelcomeEmailJob', path: 'SendWelcomeEmailJob/SendWelcomeEmailJob', args: [1] })
        const runAt = new Date(Date.now() - 1_234)
        const created = await db.backgroundJob.create({ data: { handler, queue: 'default', runAt } })
        expect(created).toMatchObject({ attempts: 0, priority: 50, handler, queue: 'default', lockedAt: null, failedAt: null })
        // Millisecond precision survives (DATETIME(3) / TIMESTAMP(3)).
        expect(created.runAt.getTime()).toBe(runAt.getTime())
        expect(created.createdAt).toBeInstanceOf(Date)

        const lockedAt = new Date()
        await db.backgroundJob.update({ where: { id: created.id }, data: { lockedAt, lockedBy: 'host:worker.0', attempts: { increment: 1 } } })
        const next = await db.backgroundJob.findFirst({ where: { queue: 'default' }, orderBy: [{ priority: 'asc' }, { runAt: 'asc' }] })
        expect(next).toMatchObject({ id: created.id, attempts: 1, lockedBy: 'host:worker.0' })
        expect(next.lockedAt.getTime()).toBe(lockedAt.getTime())

        await db.backgroundJob.update({ where: { id: created.id }, data: { lastError: 'x'.repeat(70_000 / 2), failedAt: new Date() } })
        await db.backgroundJob.delete({ where: { id: created.id } })
        expect(await db.backgroundJob.count()).toBe(0)
      } finally {
        await db.$disconnect()
      }
    })

    it('creates the table and its indexes under the --table name', async () => {
      database = await createFreshDatabase(provider)
      await database.query(await migrationFor(provider, 'background_jobs'))
      expect((await columnsOf(database, 'background_jobs')).map((column) => column.name)).toEqual(COLUMNS.map(([name]) => name))
      expect(await indexesOf(database, 'background_jobs')).toEqual({
        background_jobs_priority_runAt_id_idx: ['priority', 'runAt', 'id'],
        background_jobs_queue_priority_runAt_id_idx: ['queue', 'priority', 'runAt', 'id'],
      })
    })
  })
}
