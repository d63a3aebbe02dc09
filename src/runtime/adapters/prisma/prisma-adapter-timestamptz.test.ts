/**
 * An app whose jobs model stores its DateTime fields as `@db.Timestamptz(3)`
 * (all of them, or only some), on a database whose TimeZone is not UTC: the
 * worker's statements (claim, finish-and-claim, reports, heartbeat) compare
 * and write the right instants, through Prisma only and on the `pg` pool,
 * with Prisma 7 and 6. Instants are read back through the app's Prisma client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomDatabase, type CustomDatabase, type DateField } from '../../../../test/support/custom-postgresql-client.js'
import { PrismaAdapter } from './prisma-adapter.js'

process.env.TZ = 'Pacific/Kiritimati'

const layouts: Record<string, DateField[]> = {
  'all timestamptz': ['runAt', 'lockedAt', 'failedAt', 'createdAt', 'updatedAt'],
  'runAt timestamptz, lockedAt timestamp': ['runAt', 'createdAt', 'failedAt'],
  'runAt timestamp, lockedAt timestamptz': ['lockedAt', 'updatedAt'],
}
const handler = { name: 'TestJob', path: 'TestJob/TestJob', args: [] }
const seconds = (date: Date | null | undefined) => (date == null ? null : Math.round((date.getTime() - Date.now()) / 1000))

describe.each([7, 6] as const)('Prisma %s', (prismaVersion) => {
  describe.each(['Asia/Tokyo', 'America/Los_Angeles'])('database TimeZone %s', (timeZone) => {
    describe.each(Object.keys(layouts))('%s', (layout) => {
      let database: CustomDatabase
      beforeAll(async () => {
        database = await createCustomDatabase({ prismaVersion, timeZone, timestamptz: layouts[layout] })
      })
      afterAll(async () => {
        await database?.drop()
      })

      const check = async (runner: 'Prisma only' | 'pg pool') => {
        const db = database.db
        const adapter = new PrismaAdapter({ db, ...(runner === 'pg pool' ? { pg: { connectionString: database.url } } : {}) })
        const other = new PrismaAdapter({ db: await database.newClient() })
        const find = { processName: 'h:w', staleAfterSeconds: 60, queues: '*' as const, limit: 10 }
        try {
          await db.backgroundJob.deleteMany({})
          const later = await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() + 3_600_000) }) // wait: 3600
          const due = await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 1000) })
          const row = async (id: number | bigint) => (await db.backgroundJob.findMany({ where: { id } }))[0]
          expect(seconds((await row(later)).runAt)).toBeGreaterThan(3500)
          expect(seconds((await row(due)).runAt)).toBeCloseTo(-1, -1)

          const found = await adapter.find(find)
          expect(found.map((job) => Number(job.id))).toEqual([Number(due)])
          expect(seconds(found[0].lockedAt)).toBeCloseTo(0, -1)
          expect(seconds((await row(due)).lockedAt)).toBeCloseTo(0, -1)
          expect(seconds((await row(due)).updatedAt)).toBeCloseTo(0, -1)
          // A fresh lock is never taken, by a worker of either kind.
          expect(await other.find({ ...find, processName: 'h:x' })).toEqual([])
          expect(await adapter.find({ ...find, processName: 'h:y' })).toEqual([])

          await adapter.heartbeat({ jobs: found, processName: 'h:w' })
          expect(seconds((await row(due)).lockedAt)).toBeCloseTo(0, -1)
          expect(await other.find({ ...find, processName: 'h:x' })).toEqual([])
          expect(await adapter.find({ ...find, processName: 'h:y' })).toEqual([])

          // A stale lock is taken back, by either kind.
          for (const taker of [adapter, other]) {
            await db.backgroundJob.updateMany({ where: { id: due }, data: { lockedAt: new Date(Date.now() - 120_000), lockedBy: 'h:dead' } })
            const taken = await taker.find({ ...find, processName: 'h:z' })
            expect(taken.map((job) => Number(job.id))).toEqual([Number(due)])
            expect(seconds((await row(due)).lockedAt)).toBeCloseTo(0, -1)
          }

          // Stale by two minutes, not by a 1 ms threshold: a find 1 ms after the lock was written does not see it stale
          // (lockedAt < now − 1 ms is false in that millisecond), which failed this test once on a fast moment of CI.
          await db.backgroundJob.updateMany({ where: { id: due }, data: { lockedAt: new Date(Date.now() - 120_000), lockedBy: 'h:dead' } })
          const [job] = await adapter.find({ ...find, processName: 'h:w' })
          expect(job).toBeDefined()
          const retryAt = new Date(Date.now() + 120_000)
          await adapter.error({ job, error: new Error('nope'), retryAt })
          expect((await row(due)).runAt.getTime()).toBe(retryAt.getTime())
          expect(await adapter.find(find)).toEqual([])
          await db.backgroundJob.updateMany({ where: { id: due }, data: { runAt: new Date(Date.now() - 1000) } })
          const [again] = await adapter.find(find)
          await adapter.failure({ job: again, error: new Error('gave up'), deleteJob: false })
          expect(seconds((await row(due)).failedAt)).toBeCloseTo(0, -1)
          expect(seconds((await row(due)).updatedAt)).toBeCloseTo(0, -1)
          expect(await adapter.find(find)).toEqual([])

          // Finish one and claim the next in one statement; keep the finished one.
          await db.backgroundJob.updateMany({ where: { id: later }, data: { runAt: new Date(Date.now() - 1000) } })
          const [next] = await adapter.find(find)
          const third = await adapter.schedule({ handler, queue: 'q', priority: 1, runAt: new Date(Date.now() - 500) })
          const claimed = await adapter.successAndFind({ jobs: [next], deleteJob: true, next: find } as never)
          expect((claimed as { id: number }[]).map((j) => Number(j.id))).toEqual([Number(third)])
          expect(await row(later)).toBeUndefined()
          expect(seconds((await row(third)).lockedAt)).toBeCloseTo(0, -1)
          await adapter.success({ job: (claimed as never[])[0], deleteJob: false })
          expect(await row(third)).toMatchObject({ lockedAt: null, runAt: null })
          expect(seconds((await row(third)).updatedAt)).toBeCloseTo(0, -1)
        } finally {
          await adapter.close?.()
        }
      }

      it('Prisma only: due and future jobs, locks, heartbeat, stale locks, retries, finish-and-claim', () => check('Prisma only'))

      it('pg pool: the same', () => check('pg pool'))
    })
  })
})
