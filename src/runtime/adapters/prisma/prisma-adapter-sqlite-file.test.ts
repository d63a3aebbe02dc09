/**
 * SQLite's database file: `sqliteWal` switches it to WAL when a worker
 * subscribes, and the commit watcher (`watchSqliteFile`, on by default) wakes
 * subscribers for a commit made through another connection, as another
 * process's would be. The cross-process case, with real processes, is
 * test/runtime-processes/sqlite-wake.test.ts.
 */
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { sleep } from '../../../../test/support/jobs-table.js'
import { PrismaAdapter } from './prisma-adapter.js'

const handler = { name: 'TestJob', path: 'TestJob/TestJob', args: [] }

/** The journal mode as a fresh connection of its own sees it (the mode is the file's, not a connection's). */
function journalMode(url: string): string {
  const raw = new Database(url.replace(/^file:/, ''))
  try {
    return String(raw.pragma('journal_mode', { simple: true }))
  } finally {
    raw.close()
  }
}

describe('PrismaAdapter on a SQLite file', () => {
  let database: TestDatabase | undefined
  afterEach(async () => {
    await database?.drop()
    database = undefined
  })

  it('sqliteWal: switches the file to WAL when a worker subscribes; without it the file keeps its journal mode', async () => {
    database = await createTestDatabase('sqlite')
    const plain = new PrismaAdapter({ db: database.db })
    const stopPlain = await plain.subscribe({ queues: '*', wake: () => {} })
    await stopPlain()
    expect(journalMode(database.url)).toBe('delete')

    const adapter = new PrismaAdapter({ db: database.db, sqliteWal: true })
    const stop = await adapter.subscribe({ queues: '*', wake: () => {} })
    await stop()
    expect(journalMode(database.url)).toBe('wal')
  })

  it('wakes a subscriber when another connection commits a job for it, a few times at most, and not for reads', async () => {
    database = await createTestDatabase('sqlite')
    const adapter = new PrismaAdapter({ db: database.db })
    let wakes = 0
    const stop = await adapter.subscribe({ queues: ['email'], wake: () => wakes++ })
    try {
      const other = new PrismaAdapter({ db: await database.newClient() })
      await other.schedule({ handler, queue: 'email', priority: 50, runAt: new Date() })
      const deadline = Date.now() + 10_000
      while (wakes === 0 && Date.now() < deadline) await sleep(5)
      // One commit is several writes; a slow fsync between two of them may split it into two wake-ups.
      expect(wakes).toBeGreaterThanOrEqual(1)
      await sleep(200)
      const settled = wakes
      expect(settled).toBeLessThanOrEqual(3)
      // A find that finds nothing and a read write nothing: no wake-up, so a worker's empty look cannot wake it again.
      await other.find({ queues: ['nothing-here'], processName: 'reader', limit: 1, staleAfterSeconds: 60 })
      await other.status()
      await sleep(200)
      expect(wakes).toBe(settled)
    } finally {
      await stop()
    }
  })

  it('does not wake for commits that add no due job it serves: the app\'s own writes, a job in another queue, a job for later', async () => {
    database = await createTestDatabase('sqlite')
    const adapter = new PrismaAdapter({ db: database.db })
    let wakes = 0
    const stop = await adapter.subscribe({ queues: ['email'], wake: () => wakes++ })
    try {
      const otherDb = await database.newClient()
      const other = new PrismaAdapter({ db: otherDb })
      await otherDb.$executeRawUnsafe('CREATE TABLE AppWrite (id INTEGER PRIMARY KEY, v TEXT)')
      for (let i = 0; i < 50; i++) {
        await otherDb.$executeRawUnsafe('INSERT INTO AppWrite (v) VALUES (?)', `write ${i}`)
        await sleep(2)
      }
      await other.schedule({ handler, queue: 'default', priority: 50, runAt: new Date() })
      await other.schedule({ handler, queue: 'email', priority: 50, runAt: new Date(Date.now() + 3_600_000) })
      await sleep(500)
      expect(wakes).toBe(0)
      // The next commit that does add one wakes, after all those empty looks (they only space looks out).
      await other.schedule({ handler, queue: 'email', priority: 50, runAt: new Date() })
      const deadline = Date.now() + 10_000
      while (wakes === 0 && Date.now() < deadline) await sleep(5)
      expect(wakes).toBeGreaterThanOrEqual(1)
    } finally {
      await stop()
    }
  })

  it('a job committed while the look is reading is not missed: a look follows that sees it', async () => {
    database = await createTestDatabase('sqlite')
    const real = database.db
    // The real client, but the first look's answer is held back until the test lets it go:
    // the look has read (and seen no job) before the job below is committed.
    let holding = true
    let looked!: () => void
    const firstLookRead = new Promise<void>((resolve) => (looked = resolve))
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    const held = new Proxy(real, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown
        if (property === '$queryRawUnsafe') {
          return async (sql: string, ...values: unknown[]) => {
            const rows = await target.$queryRawUnsafe(sql, ...values)
            if (holding && sql.startsWith('SELECT 1 AS due')) {
              holding = false
              looked()
              await released
            }
            return rows
          }
        }
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const adapter = new PrismaAdapter({ db: held })
    let wakes = 0
    const stop = await adapter.subscribe({ queues: '*', wake: () => wakes++ })
    try {
      const otherDb = await database.newClient()
      await otherDb.$executeRawUnsafe('CREATE TABLE AppWrite (id INTEGER PRIMARY KEY, v TEXT)')
      await firstLookRead
      await new PrismaAdapter({ db: otherDb }).schedule({ handler, queue: 'default', priority: 50, runAt: new Date() })
      // Let the watcher see the job's commit while the look is still under way, then let the look answer "none".
      await sleep(300)
      expect(wakes).toBe(0)
      release()
      const deadline = Date.now() + 10_000
      while (wakes === 0 && Date.now() < deadline) await sleep(5)
      expect(wakes).toBeGreaterThanOrEqual(1)
    } finally {
      release()
      await stop()
    }
  })

  it('holds commits while every worker is busy (no look), and looks once one sleeps: a job committed meanwhile still wakes it', async () => {
    database = await createTestDatabase('sqlite')
    const real = database.db
    let looks = 0
    const counting = new Proxy(real, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown
        if (property === '$queryRawUnsafe') {
          return (sql: string, ...values: unknown[]) => {
            if (sql.startsWith('SELECT 1 AS due')) looks++
            return target.$queryRawUnsafe(sql, ...values)
          }
        }
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const adapter = new PrismaAdapter({ db: counting })
    let wakes = 0
    let asleep = false
    const stop = await adapter.subscribe({ queues: '*', wake: () => wakes++, sleeping: () => asleep })
    try {
      const otherDb = await database.newClient()
      const other = new PrismaAdapter({ db: otherDb })
      // A backlog committed while the worker runs jobs: its commits are held, not looked at.
      for (let i = 0; i < 20; i++) {
        await other.schedule({ handler, queue: 'default', priority: 50, runAt: new Date() })
        await sleep(5)
      }
      await sleep(200)
      expect(looks).toBe(0)
      expect(wakes).toBe(0)
      // The worker goes to sleep: the held commits are looked at, and the due jobs wake it.
      asleep = true
      const deadline = Date.now() + 10_000
      while (wakes === 0 && Date.now() < deadline) await sleep(5)
      expect(wakes).toBeGreaterThanOrEqual(1)
      expect(looks).toBeGreaterThanOrEqual(1)
    } finally {
      await stop()
    }
  })

  it('watchSqliteFile: false: only schedules through this adapter wake', async () => {
    database = await createTestDatabase('sqlite')
    const adapter = new PrismaAdapter({ db: database.db, watchSqliteFile: false })
    let wakes = 0
    const stop = await adapter.subscribe({ queues: '*', wake: () => wakes++ })
    try {
      const other = new PrismaAdapter({ db: await database.newClient() })
      await other.schedule({ handler, queue: 'default', priority: 50, runAt: new Date() })
      await sleep(300)
      expect(wakes).toBe(0)
    } finally {
      await stop()
    }
  })
})
