/**
 * Two worker processes with different settings on one PostgreSQL jobs table:
 * one with the adapter's `pg` option (named prepared statements, pg-pool.ts),
 * one worker at concurrency 5 on queue `email`; the other through Prisma
 * only, one worker at concurrency 2 on every queue. While they run, the table
 * gains a column (the prepared statements' plans go out of date) and every
 * other connection to the database is ended from outside
 * (pg_terminate_backend, as an admin or a failover does: the server forgets
 * the connection's prepared statements with it). Every job must run exactly
 * once, and neither process may fall into a loop of errors.
 */
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { countByKey, createProcessTestApp, waitUntil } from './support.js'

describe('a pg worker process and a Prisma-only one on the same table', () => {
  it('run every job exactly once through a migration and connections ended from outside', async () => {
    const app = await createProcessTestApp('postgresql', { sleepDelaySeconds: 0.05, maxRuntimeSeconds: 10 })
    const admin = new pg.Client({ connectionString: app.database.url })
    await admin.connect()
    const terminateOthers = async () =>
      (await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rowCount ?? 0
    try {
      const withPg = app.runner(['--id', '0', '--queue', 'email', '--logger', 'warn'], { env: { WORKER_PG_QUERIES: '1', WORKER_CONCURRENCY: '5' } })
      const prismaOnly = app.runner(['work', '--logger', 'warn'], { env: { WORKER_CONCURRENCY: '2' } })
      const keys: string[] = []
      const insert = async (round: string, count = 80) => {
        const batch = Array.from({ length: count }, (_, job) => ({ name: 'RecordJob', args: [`${round}-${job}`], queue: job % 4 === 0 ? 'default' : 'email' }))
        keys.push(...batch.map((job) => job.args[0] as string))
        // The test's own pooled connections were ended too: the first statement on one fails (57P01) and inserted nothing.
        await app.insertJobs(batch).catch(() => app.insertJobs(batch))
      }
      await insert('first')
      await waitUntil('the first jobs to start running', () => app.events().length >= 20, 30_000)
      await app.database.db.$executeRawUnsafe(`ALTER TABLE "BackgroundJob" ADD COLUMN "addedWhileRunning" TEXT`)
      await insert('after-alter')
      await waitUntil('jobs after the migration', () => app.events().length >= keys.length - 60, 30_000)
      const ended = await terminateOthers()
      // A longer backlog, its connections ended while statements run.
      await insert('after-terminate', 400)
      await waitUntil('some of the backlog', () => app.events().length >= keys.length - 300, 30_000)
      const endedAgain = await terminateOthers()
      await insert('last')
      try {
        await waitUntil('every job to run', () => app.events().length >= keys.length, 90_000)
        await waitUntil('the table to empty', async () => (await app.rows()).length === 0, 30_000)
      } catch (error) {
        throw new Error(`${(error as Error).message}; pg process:\n${withPg.output().slice(-3000)}\nPrisma-only process:\n${prismaOnly.output().slice(-3000)}`)
      }
      // Connections of both processes were ended, and both processes ran jobs (the Prisma-only one alone runs `default`).
      expect(ended).toBeGreaterThanOrEqual(2)
      expect(endedAgain).toBeGreaterThanOrEqual(2)
      const ranBy = new Set(app.events().map((event) => event.pid))
      expect(ranBy).toEqual(new Set([withPg.child.pid, prismaOnly.child.pid]))
      withPg.child.kill('SIGINT')
      prismaOnly.child.kill('SIGINT')
      expect(await withPg.exited(), withPg.output().slice(-4000)).toBe(0)
      expect(await prismaOnly.exited(), prismaOnly.output().slice(-4000)).toBe(0)
      const done = countByKey(app.events(), 'done')
      expect(done.size).toBe(keys.length)
      expect([...done.values()].filter((count) => count !== 1)).toEqual([])
      // An ended connection may be reported once or twice; an error loop would print it job after job.
      if (process.env.JOBS_KIT_SHOW_OUTPUT) console.log(`pg process:\n${withPg.output()}\nPrisma-only process:\n${prismaOnly.output()}`)
      for (const output of [withPg.output(), prismaOnly.output()]) {
        expect(output).not.toMatch(/cached plan/)
        expect(output.split('\n').filter((line) => /error|fail|terminat/i.test(line)).length, output.slice(-3000)).toBeLessThan(15)
      }
    } finally {
      await admin.end().catch(() => undefined)
      await app.cleanup()
    }
  }, 240_000)
})
