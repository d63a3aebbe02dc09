/**
 * SQLite: a worker in one process is woken by a commit another process makes
 * to the database file (src/runtime/adapters/prisma/sqlite-commit-watcher.ts),
 * and its wake-ups never feed themselves.
 *
 * The worker polls every 600 s, so a job it runs within the test's wait was
 * found through the wake-up, not a poll. Its `--logger debug` prints one line
 * per `find` that found nothing: those lines count its finds.
 */
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createProcessTestApp, waitUntil, type ProcessTestApp } from './support.js'

const IDLE_POLL = /found no due job/g
const idlePolls = (output: string) => output.match(IDLE_POLL)?.length ?? 0
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('SQLite: workers in another process wake on a commit', () => {
  let app: ProcessTestApp | undefined
  afterEach(async () => {
    await app?.cleanup()
    app = undefined
  })

  it.each([false, true])('runs a job another process scheduled long before its next poll, and goes back to sleep without looping (betterSqlite3: %s)', async (betterSqlite3) => {
    app = await createProcessTestApp('sqlite', { sleepDelaySeconds: 600, betterSqlite3 })
    const worker = app.runner(['--id', '0', '--queue', '*', '--logger', 'debug'])
    await waitUntil('the worker\'s first (empty) poll', () => idlePolls(worker.output()) >= 1, 60_000)

    // Another process (this test) commits a job: only a wake-up can make the worker look before 600 s.
    await app.insertJobs([{ name: 'RecordJob', args: ['woken'] }])
    await waitUntil('the job to run', () => app!.events().some((line) => line.key === 'woken'), 60_000)

    // After the job: its own writes (lock, delete) wake it a bounded number of times, each find writes
    // nothing, and then it sleeps. A wake-up that fed itself would print a line per find, without end.
    await sleep(1_000)
    const settled = idlePolls(worker.output())
    expect(settled).toBeLessThanOrEqual(5)

    // Reads by another process write nothing, so they wake no one.
    for (let i = 0; i < 20; i++) await app.rows()
    await sleep(2_000)
    expect(idlePolls(worker.output())).toBe(settled)

    worker.child.kill('SIGINT')
    expect(await worker.exited(30_000)).toBe(0)
  }, 180_000)

  it('an idle worker does not find after each commit of an app that writes other tables, yet runs a job the app schedules meanwhile', async () => {
    app = await createProcessTestApp('sqlite', { sleepDelaySeconds: 600 })
    const worker = app.runner(['--id', '0', '--queue', '*', '--logger', 'debug'])
    await waitUntil('the worker\'s first (empty) poll', () => idlePolls(worker.output()) >= 1, 60_000)
    const before = idlePolls(worker.output())

    // The app: 300 commits to a table of its own, ~100 a second, through a connection of its own.
    const appDb = new Database(app.database.url.replace(/^file:/, ''))
    try {
      appDb.exec('CREATE TABLE AppWrite (id INTEGER PRIMARY KEY, v TEXT)')
      const write = appDb.prepare('INSERT INTO AppWrite (v) VALUES (?)')
      for (let i = 0; i < 300; i++) {
        write.run(`write ${i}`)
        if (i === 150) await app.insertJobs([{ name: 'RecordJob', args: ['during-load'] }])
        await sleep(10)
      }
    } finally {
      appDb.close()
    }
    // Before the look, each commit woke the worker for a find: about 100 empty finds a second here.
    // Now only the job's own commits (its insert, lock and delete) lead to finds.
    await waitUntil('the job scheduled during the load to run', () => app!.events().some((line) => line.key === 'during-load'), 60_000)
    await sleep(500)
    expect(idlePolls(worker.output()) - before).toBeLessThanOrEqual(5)

    worker.child.kill('SIGINT')
    expect(await worker.exited(30_000)).toBe(0)
  }, 180_000)

  it('with watchSqliteFile: false, waits for its poll (the wake-up above is the watcher\'s doing)', async () => {
    app = await createProcessTestApp('sqlite', { sleepDelaySeconds: 600 })
    const worker = app.runner(['--id', '0', '--queue', '*', '--logger', 'debug'], { env: { WATCH_SQLITE_FILE: '0' } })
    await waitUntil('the worker\'s first (empty) poll', () => idlePolls(worker.output()) >= 1, 60_000)
    await app.insertJobs([{ name: 'RecordJob', args: ['not-woken'] }])
    await sleep(3_000)
    expect(app.events().some((line) => line.key === 'not-woken')).toBe(false)
    worker.child.kill('SIGINT')
    expect(await worker.exited(30_000)).toBe(0)
  }, 180_000)
})
