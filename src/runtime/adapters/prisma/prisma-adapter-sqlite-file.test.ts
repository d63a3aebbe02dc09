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

  it('wakes a subscriber when another connection commits a job, a few times at most, and not for reads', async () => {
    database = await createTestDatabase('sqlite')
    const adapter = new PrismaAdapter({ db: database.db })
    let wakes = 0
    const stop = await adapter.subscribe({ queues: ['email'], wake: () => wakes++ })
    try {
      const other = new PrismaAdapter({ db: await database.newClient() })
      await other.schedule({ handler, queue: 'default', priority: 50, runAt: new Date() })
      const deadline = Date.now() + 10_000
      while (wakes === 0 && Date.now() < deadline) await sleep(5)
      // The queue is unknown to a file watch: any commit wakes every subscriber, which then looks.
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
