/**
 * The PostgreSQL worker statements (claim as JSON through Prisma, columns on
 * the `pg` pool, ids as one array parameter, raw reports) on rows and calls a
 * user can make: ids beyond 2^31 (a BIGINT id), handler and error text with
 * unicode, control characters and a megabyte of text, 1,000 jobs finished in
 * one call, queue lists, and a pg-pool worker and a Prisma-only one on one table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomDatabase, type CustomDatabase } from '../../../../test/support/custom-postgresql-client.js'
import type { StoredJob } from '../../types.js'
import { PrismaAdapter } from './prisma-adapter.js'

const odd = `zé 日本 🧵 \u202Eabc \u0301 "q" \\ \\u0000 \u0001\u0007\b\f\n\r\t\u001f\u007f\u2028\u2029 ${'x'.repeat(1_000_000)}`

describe.each([7, 6] as const)('Prisma %s, BIGINT ids beyond 2^31', (prismaVersion) => {
  let database: CustomDatabase
  beforeAll(async () => {
    database = await createCustomDatabase({ prismaVersion, id: 'BigInt', timestamptz: [] })
    await database.raw.query(`SELECT setval(pg_get_serial_sequence('"BackgroundJob"', 'id'), 3000000000)`)
  })
  afterAll(async () => {
    await database?.drop()
  })

  describe.each(['Prisma only', 'pg pool'])('%s', (runner) => {
    let adapter: PrismaAdapter
    beforeAll(() => {
      adapter = new PrismaAdapter({ db: database.db, ...(runner === 'pg pool' ? { pg: { connectionString: database.url } } : {}) })
    })
    afterAll(async () => {
      await adapter?.close()
    })
    const find = { processName: 'h:w', staleAfterSeconds: 60, queues: '*' as const, limit: 10 }
    const rows = async () => (await database.db.backgroundJob.findMany({ orderBy: { id: 'asc' } })) as Array<Record<string, any>>

    it('claims, finishes and reports jobs with big ids and odd text, exactly', async () => {
      await database.db.backgroundJob.deleteMany({})
      const handler = { name: 'OddJob', path: 'OddJob/OddJob', args: [odd] }
      const ids = [
        await adapter.schedule({ handler, queue: 'a', priority: 1, runAt: new Date(Date.now() - 1000) }),
        await adapter.schedule({ handler, queue: 'b', priority: 2, runAt: new Date(Date.now() - 1000) }),
        await adapter.schedule({ handler, queue: 'c', priority: 3, runAt: new Date(Date.now() - 1000) }),
      ]
      expect(ids[0]).toBeGreaterThan(2 ** 31)
      const jobs = await adapter.find({ ...find, queues: ['a', 'b'] })
      expect(jobs.map((job) => job.id)).toEqual(ids.slice(0, 2))
      expect(JSON.parse(jobs[0].handler).args[0]).toBe(odd)
      await adapter.heartbeat({ jobs, processName: 'h:w' })
      await adapter.error({ job: jobs[0], error: new Error(odd), retryAt: new Date(Date.now() + 60_000) })
      await adapter.failure({ job: jobs[1], error: new Error(`gave up ${odd}`), deleteJob: false })
      const [first, second] = await rows()
      expect(first.lockedAt).toBeNull()
      expect(first.lastError).toContain(odd.slice(0, 1000))
      expect(second.failedAt).not.toBeNull()
      const [third] = await adapter.find({ ...find, queues: ['c'] })
      expect(third.id).toBe(ids[2])
      expect(await adapter.successAndFind({ jobs: [third], deleteJob: true, next: find })).toEqual([])
      expect((await rows()).map((row) => Number(row.id))).toEqual(ids.slice(0, 2))
    })

    it('finishes 1,000 jobs in one call, deleted with the next claim or kept, and renews 1,000 locks', async () => {
      await database.db.backgroundJob.deleteMany({})
      const data = Array.from({ length: 2001 }, (_, i) => ({ handler: JSON.stringify({ name: 'J', path: 'J/J', args: [i] }), queue: 'q', priority: i, runAt: new Date(Date.now() - 1000), updatedAt: new Date() }))
      await database.db.backgroundJob.createMany({ data })
      const batch = (await adapter.find({ ...find, limit: 1000 })) as StoredJob[]
      expect(batch).toHaveLength(1000)
      await adapter.heartbeat({ jobs: batch, processName: 'h:w' })
      const next = await adapter.successAndFind({ jobs: batch, deleteJob: true, next: { ...find, limit: 1000 } })
      expect(next).toHaveLength(1000)
      expect(new Set(next.map((job) => job.id)).size).toBe(1000)
      expect(next.some((job) => batch.some((done) => done.id === job.id))).toBe(false)
      await adapter.successAndFind({ jobs: next, deleteJob: false })
      const left = await rows()
      expect(left).toHaveLength(1001)
      expect(left.filter((row) => row.runAt === null && row.lockedAt === null)).toHaveLength(1000)
      const [last] = await adapter.find(find)
      expect(last).toBeDefined()
      await adapter.successAndFind({ jobs: [last], deleteJob: true })
      expect(await rows()).toHaveLength(1000)
    })
  })

  it('a pg-pool worker and a Prisma-only worker on one table hand each of 400 jobs out once', async () => {
    await database.db.backgroundJob.deleteMany({})
    await database.db.backgroundJob.createMany({
      data: Array.from({ length: 400 }, (_, i) => ({ handler: JSON.stringify({ name: 'J', path: 'J/J', args: [i] }), queue: i % 2 ? 'odd' : 'even', runAt: new Date(Date.now() - 1000), updatedAt: new Date() })),
    })
    const workers = [
      new PrismaAdapter({ db: await database.newClient(), pg: { connectionString: database.url } }),
      new PrismaAdapter({ db: await database.newClient() }),
      new PrismaAdapter({ db: await database.newClient(), pg: { connectionString: database.url } }),
      new PrismaAdapter({ db: await database.newClient() }),
    ]
    try {
      const handedOut = await Promise.all(
        workers.map(async (worker, index) => {
          const ids: number[] = []
          const next = { processName: `h:w${index}`, staleAfterSeconds: 60, queues: index < 2 ? ('*' as const) : ['odd', 'even'], limit: 3 }
          let jobs = await worker.find(next)
          for (let empty = 0; empty < 5; ) {
            ids.push(...jobs.map((job) => job.id))
            empty = jobs.length ? 0 : empty + 1
            jobs = jobs.length ? await worker.successAndFind({ jobs, deleteJob: index % 2 === 0, next }) : await worker.find(next)
          }
          return ids
        }),
      )
      const all = handedOut.flat()
      expect(all).toHaveLength(400)
      expect(new Set(all).size).toBe(400)
      expect(await database.db.backgroundJob.count({ where: { runAt: { not: null } } })).toBe(0)
    } finally {
      await Promise.all(workers.map((worker) => worker.close()))
    }
  })
})
