/**
 * Small helpers the runtime's integration tests share: read and write the jobs
 * table of a test database through its Prisma model (field names, whatever
 * the variant maps them to).
 */
import type { TestDatabase } from './databases.js'

/** The model delegate (`db.backgroundJob` or `db.job`) of a test database. */
export function jobsModel(database: TestDatabase, client = database.db) {
  return client[database.model.charAt(0).toLowerCase() + database.model.slice(1)]
}

/** Every row, by id. */
export async function readJobs(database: TestDatabase): Promise<Array<Record<string, any>>> {
  return jobsModel(database).findMany({ orderBy: { id: 'asc' } })
}

/** One row by id, or null. */
export async function readJob(database: TestDatabase, id: number): Promise<Record<string, any> | null> {
  const rows = await jobsModel(database).findMany({ where: { id } })
  return rows[0] ?? null
}

/** Inserts a row directly (bypassing the scheduler), for setting up odd states. */
export async function insertJob(database: TestDatabase, data: Record<string, unknown>): Promise<number> {
  const row = await jobsModel(database).create({
    data: { handler: JSON.stringify({ name: 'TestJob', path: 'TestJob/TestJob', args: [] }), queue: 'default', ...data },
  })
  return row.id
}

/** Milliseconds to wait in tests that must let real time pass (never used to measure speed). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
