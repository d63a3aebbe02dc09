import { afterEach, describe, expect, it, vi } from 'vitest'

// The test-database helper itself: a missing server is an error that says
// how to start it, never a skipped test.
describe('createTestDatabase', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
    vi.resetModules()
  })

  it('fails with how to start PostgreSQL when the server is unreachable', async () => {
    vi.stubEnv('JOBS_KIT_TEST_POSTGRES_URL', 'postgresql://postgres@127.0.0.1:1/test')
    const { createTestDatabase } = await import('./databases.js')
    await expect(createTestDatabase('postgresql')).rejects.toThrow(
      /The postgresql test server at postgresql:\/\/postgres@127\.0\.0\.1:1\/test is unreachable.*pg_ctlcluster/,
    )
  })

  it('fails with how to start MariaDB when the server is unreachable', async () => {
    vi.stubEnv('JOBS_KIT_TEST_MYSQL_URL', 'mysql://root@127.0.0.1:1/test')
    const { createTestDatabase } = await import('./databases.js')
    await expect(createTestDatabase('mysql')).rejects.toThrow(/The mysql test server at .* is unreachable.*mariadbd/)
  })

  it('creates the jobs and schedule tables from the shipped migrations and drops the database', async () => {
    const { createTestDatabase } = await import('./databases.js')
    const database = await createTestDatabase('postgresql')
    const tables = await database.db.$queryRawUnsafe<Array<{ tablename: string }>>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    )
    // The jobs table, the recurring jobs' schedule table and the worker registry's, each from its shipped migration.
    expect(tables.map((row) => row.tablename).sort()).toEqual(['BackgroundJob', 'BackgroundJobCount', 'BackgroundJobSchedule', 'BackgroundJobWorker'])
    const name = new URL(database.url).pathname.slice(1)
    await database.drop()
    const pg = (await import('pg')).default
    const admin = new pg.Client({ connectionString: process.env.JOBS_KIT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' })
    await admin.connect()
    const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    await admin.end()
    expect(rows).toEqual([])
  })
})
