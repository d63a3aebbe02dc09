/**
 * Workers on `pg` pools only, on a jobs table whose timestamps are of mixed
 * types (`runAt` timestamptz, `lockedAt` timestamp, or the other way round),
 * under a database TimeZone other than UTC: the lock a claim writes must look
 * fresh to the next worker, never stale (the job would run twice at once),
 * and never hours in the future (a dead worker's job would wait that long).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomDatabase, type CustomDatabase, type DateField } from '../../../../test/support/custom-postgresql-client.js'
import { PrismaAdapter } from './prisma-adapter.js'

const layouts: Record<string, DateField[]> = {
  'runAt timestamptz, lockedAt timestamp': ['runAt', 'createdAt'],
  'runAt timestamp, lockedAt timestamptz': ['lockedAt', 'updatedAt'],
}

describe.each(['America/Los_Angeles', 'Asia/Tokyo'])('pg pools, database TimeZone %s', (timeZone) => {
  describe.each(Object.keys(layouts))('%s', (layout) => {
    let database: CustomDatabase
    beforeAll(async () => {
      database = await createCustomDatabase({ prismaVersion: 7, timeZone, timestamptz: layouts[layout] })
    })
    afterAll(async () => {
      await database?.drop()
    })

    it('a claimed job is not handed to a second worker, and its lock is taken back once stale, not before', async () => {
      const first = new PrismaAdapter({ db: database.db, pg: { connectionString: database.url } })
      const second = new PrismaAdapter({ db: database.db, pg: { connectionString: database.url } })
      try {
        // Due under any reading of its time.
        await database.raw.query(`INSERT INTO "BackgroundJob" (handler, queue, "runAt", "updatedAt") VALUES ('{"name":"TestJob","path":"TestJob/TestJob","args":[]}', 'q', '2000-01-01', now())`)
        const find = { staleAfterSeconds: 60, queues: '*' as const, limit: 5 }
        expect(await first.find({ ...find, processName: 'h:1' })).toHaveLength(1)
        expect(await second.find({ ...find, processName: 'h:2' })).toEqual([])
        // The lock's age as the database compares it with a parameter: no more than a few seconds, either way.
        const [found] = await second.find({ ...find, processName: 'h:2', staleAfterSeconds: -3600 })
        expect(found?.lockedBy).toBe('h:2')
        await first.heartbeat({ jobs: [found], processName: 'h:2' })
        expect(await first.find({ ...find, processName: 'h:1' })).toEqual([])
        expect(await first.find({ ...find, processName: 'h:1', staleAfterSeconds: 30 })).toEqual([])
      } finally {
        await first.close()
        await second.close()
      }
    })
  })
})
