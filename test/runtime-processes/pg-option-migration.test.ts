/**
 * Migrations of the jobs table while workers with the `pg` option run
 * (their statements are named prepared statements, pg-pool.ts): a change
 * PostgreSQL can replan for goes unnoticed, one that outdates the prepared
 * statements ("cached plan must not change result type") is recovered from
 * without a restart and without logging it job after job.
 */
import { describe, expect, it } from 'vitest'
import { countByKey, createProcessTestApp, waitUntil } from './support.js'

describe('workers with the pg option while the jobs table is migrated', () => {
  it('run every job exactly once through added, renamed, retyped and dropped columns and a new index, without a restart', async () => {
    const app = await createProcessTestApp('postgresql', { sleepDelaySeconds: 0.05 })
    try {
      const work = app.runner(['work', '-n', '2', '--logger', 'warn'], { env: { WORKER_PG_QUERIES: '1', WORKER_CONCURRENCY: '5' } })
      const migrations = [
        `ALTER TABLE "BackgroundJob" ADD COLUMN "addedWhileRunning" TEXT`,
        `CREATE INDEX "BackgroundJob_addedWhileRunning" ON "BackgroundJob" ("addedWhileRunning")`,
        `ALTER TABLE "BackgroundJob" RENAME COLUMN "addedWhileRunning" TO "renamedWhileRunning"`,
        `ALTER TABLE "BackgroundJob" ALTER COLUMN "attempts" TYPE BIGINT`,
        `ALTER TABLE "BackgroundJob" ALTER COLUMN "id" TYPE BIGINT`,
        `ALTER TABLE "BackgroundJob" DROP COLUMN "renamedWhileRunning"`,
      ]
      const keys: string[] = []
      for (const [index, migration] of migrations.entries()) {
        const batch = Array.from({ length: 60 }, (_, job) => `job-${index}-${job}`)
        keys.push(...batch)
        await app.insertJobs(batch.map((key) => ({ name: 'RecordJob', args: [key] })))
        await waitUntil(`jobs before migration ${index}`, () => app.events().length >= keys.length - 40, 30_000)
        await app.database.db.$executeRawUnsafe(migration)
      }
      const last = Array.from({ length: 60 }, (_, job) => `job-last-${job}`)
      keys.push(...last)
      await app.insertJobs(last.map((key) => ({ name: 'RecordJob', args: [key] })))
      try {
        await waitUntil('every job to run', () => app.events().length >= keys.length, 60_000)
        await waitUntil('the table to empty', async () => (await app.rows()).length === 0, 15_000)
      } catch (error) {
        throw new Error(`${(error as Error).message}; output:\n${work.output().slice(-3000)}`)
      }
      work.child.kill('SIGINT')
      expect(await work.exited()).toBe(0)
      const done = countByKey(app.events(), 'done')
      expect(done.size).toBe(keys.length)
      expect([...done.values()].filter((count) => count !== 1)).toEqual([])
      expect(work.output()).not.toMatch(/cached plan|could not look for jobs|failed/)
    } finally {
      await app.cleanup()
    }
  }, 180_000)
})
