import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SQLITE_WAKE_BURST, SQLITE_WAKE_REFILL_MS, SqliteCommitWatcher } from './sqlite-commit-watcher.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const logger = { debug() {}, info() {}, warn() {}, error() {} }

describe('SqliteCommitWatcher', () => {
  let dir: string | undefined
  let watcher: SqliteCommitWatcher | undefined
  afterEach(() => {
    watcher?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('wakes for writes to the database, its -wal and its -journal, not for other files in the folder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jk-watch-'))
    const file = join(dir, 'app.db')
    writeFileSync(file, '')
    let wakes = 0
    watcher = new SqliteCommitWatcher(file, () => wakes++, logger)
    watcher.start()
    writeFileSync(join(dir, 'other.db'), 'x')
    writeFileSync(join(dir, 'app.db-shm'), 'x')
    await sleep(300)
    expect(wakes).toBe(0)
    for (const name of ['app.db', 'app.db-wal', 'app.db-journal']) {
      const before = wakes
      appendFileSync(join(dir, name), 'x')
      const deadline = Date.now() + 10_000
      while (wakes === before && Date.now() < deadline) await sleep(5)
      expect(wakes, name).toBeGreaterThan(before)
      await sleep(100)
    }
  })

  it('an app writing without pause still wakes workers, but at most a burst plus one per refill interval', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jk-watch-'))
    const file = join(dir, 'app.db')
    writeFileSync(file, '')
    let wakes = 0
    watcher = new SqliteCommitWatcher(file, () => wakes++, logger)
    watcher.start()
    const started = Date.now()
    while (Date.now() - started < 1_000) {
      appendFileSync(`${file}-wal`, 'frame')
      await sleep(1)
    }
    await sleep(100)
    const elapsedMs = Date.now() - started
    expect(wakes).toBeGreaterThanOrEqual(1)
    expect(wakes).toBeLessThanOrEqual(SQLITE_WAKE_BURST + Math.ceil(elapsedMs / SQLITE_WAKE_REFILL_MS))
  })
})
