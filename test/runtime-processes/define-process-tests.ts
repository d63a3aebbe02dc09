/**
 * The runner and worker as real processes on a real database: every test
 * starts `cli.ts` under tsx against the test app (app/jobs.ts) and checks the
 * table and the jobs' side effects. Run once per provider (sqlite.test.ts, …).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TestProvider } from '../support/databases.js'
import { countByKey, createProcessTestApp, isRunning, waitUntil, type ProcessTestApp } from './support.js'

export interface ProcessTestOptions {
  /** Worker processes in the contention test. */
  contentionWorkers: number
  /** Jobs in the contention test. */
  contentionJobs: number
  /** Also run the contention test with the adapter's `pg` option (PostgreSQL only). */
  contentionThroughPg?: boolean
  /** Also run the contention test, and a SIGKILL in the middle of a batch, with the adapter's `betterSqlite3` option (SQLite only). */
  throughBetterSqlite3?: boolean
}

export function defineProcessTests(provider: TestProvider, options: ProcessTestOptions): void {
  let app: ProcessTestApp | undefined
  afterEach(async () => {
    await app?.cleanup()
    app = undefined
  })

  async function newApp(workerEnv?: Parameters<typeof createProcessTestApp>[1]): Promise<ProcessTestApp> {
    app = await createProcessTestApp(provider, workerEnv)
    return app
  }

  const pidFiles = (appRoot: string) => {
    const dir = join(appRoot, '.jobs-kit', 'pids')
    return existsSync(dir) ? readdirSync(dir).sort() : []
  }

  describe(`worker processes on ${provider}`, () => {
    it('three worker processes enqueue and run each slot of a recurring * * * * * * entry exactly once', async () => {
      const { runner, events, appRoot } = await newApp({ sleepDelaySeconds: 0.05 })
      const work = runner(['work', '-n', '3', '--logger', 'warn'], { env: { RECURRING_CRON: '* * * * * *' } })
      await waitUntil('3 workers to start', () => pidFiles(appRoot).length === 3, 30_000)
      await waitUntil('five slots to run', () => events().length >= 5, 20_000)
      work.child.kill('SIGINT')
      expect(await work.exited()).toBe(0)
      const slots = countByKey(events(), 'done')
      expect([...slots.values()].every((count) => count === 1)).toBe(true)
      const times = [...slots.keys()].map((key) => Date.parse(key.slice('slot:'.length))).sort((a, b) => a - b)
      expect(times.length).toBeGreaterThanOrEqual(5)
      // One per second, none skipped while the workers ran.
      for (let index = 1; index < times.length; index++) expect(times[index]! - times[index - 1]!).toBe(1000)
    })

    const contentionCases = [
      'prisma',
      ...(options.contentionThroughPg ? ['pg'] : []),
      ...(options.throughBetterSqlite3 ? ['better-sqlite3'] : []),
    ]
    it.each(contentionCases)(`runs every job exactly once with ${options.contentionWorkers} worker processes and ${options.contentionJobs} jobs (queries through %s)`, async (queries) => {
      const { runner, insertJobs, events, rows, appRoot } = await newApp({ sleepDelaySeconds: 0.05, pgQueries: queries === 'pg', betterSqlite3: queries === 'better-sqlite3' })
      const work = runner(['work', '-n', String(options.contentionWorkers), '--logger', 'warn'])
      // Every worker is up (it writes its pid file once its config is loaded) before any job exists,
      // so they all compete for the same rows.
      await waitUntil(`${options.contentionWorkers} workers to start`, () => pidFiles(appRoot).length === options.contentionWorkers, 30_000)
      expect(pidFiles(appRoot)).toEqual(
        Array.from({ length: options.contentionWorkers }, (_, id) => `jobs-kit-worker.all.${id}.pid`).sort(),
      )

      const keys = Array.from({ length: options.contentionJobs }, (_, index) => `job-${index}`)
      await insertJobs(keys.map((key, index) => ({ name: 'RecordJob', args: [key], queue: index % 2 ? 'email' : 'default' })))
      await waitUntil('every job to run', () => events().length >= keys.length, 45_000)
      await waitUntil('the table to empty', async () => (await rows()).length === 0, 10_000)

      work.child.kill('SIGINT')
      expect(await work.exited()).toBe(0)
      const done = countByKey(events(), 'done')
      expect(done.size).toBe(keys.length)
      expect([...done.values()].every((count) => count === 1)).toBe(true)
      expect(events()).toHaveLength(keys.length)
      // It really was contended: the work was spread over the processes.
      expect(new Set(events().map((line) => line.pid)).size).toBeGreaterThan(1)
      expect(pidFiles(appRoot)).toEqual([])
    }, 120_000)

    it.runIf(options.throughBetterSqlite3)('betterSqlite3: a worker SIGKILLed in the middle of a batch runs again only the jobs it had in hand', async () => {
      const { runner, insertJobs, events, rows } = await newApp({ sleepDelaySeconds: 0.05, betterSqlite3: true })
      const longKeys = ['long-a', 'long-b']
      const shortKeys = Array.from({ length: 20 }, (_, index) => `short-${index}`)
      await insertJobs([
        ...longKeys.map((key) => ({ name: 'SleepJob', args: [key, 4000], priority: 10 })),
        ...shortKeys.map((key) => ({ name: 'SleepJob', args: [key, 30], priority: 50 })),
      ])
      const first = runner(['--id', '0', '--queue', '*', '--concurrency', '4'])
      // The short jobs finish (recorded by finish-and-find statements) while the long ones still run.
      await waitUntil('the short jobs to finish', () => events().filter((line) => line.event === 'done').length === shortKeys.length, 30_000)
      // … and their deletes to commit (a job killed after its work but before its write is in hand, and runs again).
      await waitUntil('the short jobs\' rows to go', async () => (await rows()).length === longKeys.length, 10_000)
      first.child.kill('SIGKILL')
      expect(await first.exited()).toBe(137)
      const second = runner(['--id', '0', '--queue', '*', '--concurrency', '4', '--workoff'])
      expect(await second.exited(30_000)).toBe(0)
      const starts = countByKey(events(), 'start')
      const done = countByKey(events(), 'done')
      for (const key of shortKeys) expect([key, starts.get(key), done.get(key)]).toEqual([key, 1, 1])
      for (const key of longKeys) expect([key, starts.get(key), done.get(key)]).toEqual([key, 2, 1])
      expect(await rows()).toEqual([])
    }, 120_000)

    it('takes back a SIGKILLed worker\'s job at once when restarted under the same name', async () => {
      const { runner, insertJobs, events, rows } = await newApp()
      await insertJobs([{ name: 'SleepJob', args: ['crash', 1500] }])
      const first = runner(['--id', '0', '--queue', '*'])
      await waitUntil('the job to start', () => events().some((line) => line.event === 'start'))
      first.child.kill('SIGKILL')
      expect(await first.exited()).toBe(137)
      const [locked] = await rows()
      expect(locked.lockedBy).toMatch(/:jobs-kit-worker\.all\.0$/)

      const second = runner(['--id', '0', '--queue', '*', '--workoff'])
      expect(await second.exited()).toBe(0)
      expect(events().map((line) => line.event)).toEqual(['start', 'start', 'done'])
      expect(await rows()).toEqual([])
    })

    it('registers in the worker registry: its row appears, shows dead in status after SIGKILL, is taken over on restart, and goes on a clean stop', async () => {
      const { runner, database } = await newApp()
      const registered = async () => (await database.db.backgroundJobWorker.findMany()) as Array<{ name: string; pid: number; heartbeatAt: Date }>
      const first = runner(['--id', '0', '--queue', '*'])
      await waitUntil('the worker to register', async () => (await registered()).some((row) => row.pid === first.child.pid))
      expect((await registered())[0]!.name).toMatch(/:jobs-kit-worker\.all\.0$/)
      const alive = runner(['status'])
      expect(await alive.exited()).toBe(0)
      expect(alive.output()).toMatch(new RegExp(`jobs-kit-worker\\.all\\.0\\s+${first.child.pid}\\s+\\*\\s+-\\s+\\d+ s ago\\s+alive`))

      first.child.kill('SIGKILL')
      expect(await first.exited()).toBe(137)
      expect(await registered()).toHaveLength(1)
      // Its heartbeat ages past the stale threshold (as if a minute went by): status shows it dead.
      await database.db.backgroundJobWorker.updateMany({ data: { heartbeatAt: new Date(Date.now() - 61_000) } })
      const dead = runner(['status'])
      expect(await dead.exited()).toBe(0)
      expect(dead.output()).toMatch(new RegExp(`jobs-kit-worker\\.all\\.0\\s+${first.child.pid}\\s+\\*\\s+-\\s+\\d+ s ago\\s+dead`))

      // Restarted under the same name, it takes its row over; a clean stop deletes it.
      const second = runner(['--id', '0', '--queue', '*'])
      await waitUntil('the restarted worker to take its row over', async () => (await registered()).some((row) => row.pid === second.child.pid))
      expect(await registered()).toHaveLength(1)
      second.child.kill('SIGINT')
      expect(await second.exited()).toBe(0)
      expect(await registered()).toEqual([])
    }, 180_000)

    it('gives a dead worker\'s job to a worker of another name once the lock is stale, not before', async () => {
      const { runner, insertJobs, events, rows, database } = await newApp({ maxRuntimeSeconds: 4 })
      await insertJobs([{ name: 'SleepJob', args: ['crash', 1500] }])
      const first = runner(['--id', '0', '--queue', '*'])
      await waitUntil('the job to start', () => events().some((line) => line.event === 'start'))
      first.child.kill('SIGKILL')
      await first.exited()

      // A fresh lock: a worker of another name, even with a short maxRuntime of
      // its own, leaves it alone (one stale threshold for every worker: 60 s).
      const other = runner(['--id', '1', '--queue', '*', '--maxRuntime', '5', '--sleepDelay', '0.2'])
      await waitUntil('the other worker to be up', () => other.output().includes('working'))
      await new Promise((resolve) => setTimeout(resolve, 2000))
      expect(events().filter((line) => line.event === 'start')).toHaveLength(1)

      // The lock ages past the threshold (as if a minute went by): now it is taken.
      const [locked] = await rows()
      await database.db.backgroundJob.updateMany({ where: { id: locked.id }, data: { lockedAt: new Date(Date.now() - 61_000) } })
      await waitUntil('another worker to run the job', () => events().filter((line) => line.event === 'done').length === 1, 30_000)
      const secondStart = events().filter((line) => line.event === 'start')[1]
      expect(secondStart.pid).toBe(other.child.pid)
      await waitUntil('the row to go', async () => (await rows()).length === 0)
      other.child.kill('SIGINT')
      expect(await other.exited()).toBe(0)
    })

    it('finishes the job in hand on SIGINT, then exits 0', async () => {
      const { runner, insertJobs, events, rows } = await newApp()
      await insertJobs([{ name: 'SleepJob', args: ['graceful', 2000] }, { name: 'RecordJob', args: ['next'], priority: 60 }])
      const worker = runner(['--id', '0', '--queue', '*', '--logger', 'info'])
      await waitUntil('the job to start', () => events().some((line) => line.event === 'start'))
      worker.child.kill('SIGINT')
      expect(await worker.exited()).toBe(0)
      // The job in hand finished; no new one was taken.
      expect(events().map((line) => `${line.event} ${line.key}`)).toEqual(['start graceful', 'done graceful'])
      const remaining = await rows()
      expect(remaining.map((row) => JSON.parse(row.handler as string).name)).toEqual(['RecordJob'])
      expect(worker.output()).toContain('got SIGINT: finishing the jobs in hand')
    })

    it.runIf(options.throughBetterSqlite3)('betterSqlite3 on a WAL file: finishes the job in hand on SIGINT and exits 0 promptly, its connection closed', async () => {
      const { runner, insertJobs, events, rows, database } = await newApp({ betterSqlite3: true })
      await database.db.$queryRawUnsafe('PRAGMA journal_mode = WAL')
      await insertJobs([{ name: 'SleepJob', args: ['graceful', 1500] }, { name: 'RecordJob', args: ['next'], priority: 60 }])
      const worker = runner(['--id', '0', '--queue', '*', '--logger', 'info'])
      await waitUntil('the job to start', () => events().some((line) => line.event === 'start'))
      const signalledAt = Date.now()
      worker.child.kill('SIGINT')
      expect(await worker.exited(15_000)).toBe(0)
      // The job's 1.5 s and the exit: no wait for a poll, a lock or an open handle.
      expect(Date.now() - signalledAt).toBeLessThan(6_000)
      expect(events().map((line) => `${line.event} ${line.key}`)).toEqual(['start graceful', 'done graceful'])
      expect((await rows()).map((row) => JSON.parse(row.handler as string).name)).toEqual(['RecordJob'])
      // A write from this process goes through at once: the worker left no lock behind.
      await database.db.$executeRawUnsafe('BEGIN IMMEDIATE')
      await database.db.$executeRawUnsafe('COMMIT')
    })

    it('stops at once on a second SIGINT (exit 130) or on SIGTERM (exit 143), leaving the job to be taken back', async () => {
      const { runner, insertJobs, events, rows } = await newApp()
      await insertJobs([{ name: 'SleepJob', args: ['long', 60_000] }])
      const worker = runner(['--id', '0', '--queue', '*'])
      await waitUntil('the job to start', () => events().some((line) => line.event === 'start'))
      worker.child.kill('SIGINT')
      await waitUntil('the first SIGINT to be seen', () => worker.output().includes('got SIGINT'))
      // More than a second later: sooner, it would be taken for a relayed copy of the first.
      await new Promise((resolve) => setTimeout(resolve, 1100))
      worker.child.kill('SIGINT')
      expect(await worker.exited(10_000)).toBe(130)
      const [row] = await rows()
      expect(row.lockedBy).toMatch(/:jobs-kit-worker\.all\.0$/)
      expect(row.lastError).toBeNull()

      const again = runner(['--id', '0', '--queue', '*'])
      await waitUntil('the restarted worker to take the job back', () => events().filter((line) => line.event === 'start').length === 2)
      again.child.kill('SIGTERM')
      expect(await again.exited(10_000)).toBe(143)
      expect(events().some((line) => line.event === 'done')).toBe(false)
      expect(await rows()).toHaveLength(1)
    })

    it('retries a failing job with attempts⁴ s backoff and records lastError, then succeeds', async () => {
      const { runner, insertJobs, events, rows, database } = await newApp()
      await insertJobs([{ name: 'FlakyJob', args: ['flaky', 2] }])
      const delegate = database.db.backgroundJob

      for (const [attempt, backoffSeconds] of [[1, 1], [2, 16]] as const) {
        const startedMs = Date.now()
        expect(await runner(['--id', '0', '--queue', '*', '--workoff']).exited()).toBe(0)
        const exitedMs = Date.now()
        const [row] = await rows()
        expect(row.attempts).toBe(attempt)
        expect(row.lockedAt).toBeNull()
        expect(row.lockedBy).toBeNull()
        expect(row.failedAt).toBeNull()
        expect(row.lastError).toContain(`FlakyJob flaky failing on purpose, attempt ${attempt}`)
        expect(row.lastError).toMatch(/\n\s+at /)
        // runAt = the moment of the failure (within the worker's run) + attempts⁴ s.
        const runAtMs = (row.runAt as Date).getTime()
        expect(runAtMs).toBeGreaterThanOrEqual(startedMs + backoffSeconds * 1000)
        expect(runAtMs).toBeLessThanOrEqual(exitedMs + backoffSeconds * 1000)
        // Skip the wait.
        await delegate.updateMany({ where: { id: row.id }, data: { runAt: new Date() } })
      }
      expect(await runner(['--id', '0', '--queue', '*', '--workoff']).exited()).toBe(0)
      expect(events().map((line) => line.event)).toEqual(['attempt', 'attempt', 'attempt', 'done'])
      expect(await rows()).toEqual([])
    })

    it('gives a job up at maxAttempts: failedAt set, row kept', async () => {
      const { runner, insertJobs, rows, database } = await newApp({ maxAttempts: 2 })
      await insertJobs([{ name: 'FlakyJob', args: ['doomed', 10] }])
      expect(await runner(['--id', '0', '--queue', '*', '--workoff']).exited()).toBe(0)
      const [first] = await rows()
      await database.db.backgroundJob.updateMany({ where: { id: first.id }, data: { runAt: new Date() } })
      expect(await runner(['--id', '0', '--queue', '*', '--workoff']).exited()).toBe(0)
      const [row] = await rows()
      expect(row.attempts).toBe(2)
      expect(row.failedAt).toBeInstanceOf(Date)
      expect(row.lockedBy).toBeNull()
      expect(row.lastError).toContain('failing on purpose, attempt 2')
      // A given-up job is not due any more.
      expect(await runner(['--id', '0', '--queue', '*', '--workoff']).exited()).toBe(0)
      expect((await rows())[0].attempts).toBe(2)
    })

    it('aborts a job that overruns maxRuntime, fails it with a clear lastError, and keeps working; one that ignores its signal keeps its slot', async () => {
      const { runner, insertJobs, events, rows } = await newApp()
      await insertJobs([
        { name: 'StuckJob', args: ['stuck'], priority: 1 },
        { name: 'RecordJob', args: ['a'], priority: 5 },
        { name: 'SleepJob', args: ['slow', 30_000], priority: 10 },
        { name: 'RecordJob', args: ['b'], priority: 15 },
      ])
      // Two slots. The stuck job ignores its aborted signal: it keeps its slot
      // and its lock (no retry may start beside it). The slow one honours its
      // signal: aborted after 1.5 s, recorded, retried 1 s later (then 16 s
      // later). The other slot keeps taking the other jobs meanwhile.
      const worker = runner(['--id', '0', '--queue', '*', '--maxRuntime', '1.5', '--concurrency', '2'])
      await waitUntil('the other jobs to run and the slow one to be failed', async () => {
        const slow = (await rows()).find((row) => JSON.parse(row.handler as string).name === 'SleepJob')
        // The stuck job's warning comes 0.1 s after its own timeout, which may be after the slow one's failure.
        return events().some((line) => line.event === 'done' && line.key === 'b') && typeof slow?.lastError === 'string' &&
          worker.output().includes('ignores its aborted signal')
      }, 30_000)
      const lines = events().map((line) => `${line.event} ${line.key}`)
      expect(lines[0]).toBe('start stuck')
      expect(lines).toContain('done a')
      expect(lines).toContain('start slow')
      expect(lines).not.toContain('done slow')
      expect(lines.filter((line) => line === 'start stuck')).toHaveLength(1)
      expect(worker.output()).toContain('ignores its aborted signal')

      const byName = new Map((await rows()).map((row) => [JSON.parse(row.handler as string).name as string, row]))
      expect(byName.get('SleepJob')).toMatchObject({ lockedBy: null, failedAt: null })
      expect(byName.get('SleepJob')!.lastError).toContain('ran longer than maxRuntime (1.5 s) and was aborted')
      expect(byName.get('StuckJob')).toMatchObject({ lastError: null, failedAt: null, attempts: 1 })
      expect(byName.get('StuckJob')!.lockedBy).toMatch(/:jobs-kit-worker\.all\.0$/)
      // Only a stop at once ends a worker whose perform never returns; the row stays locked for a restart.
      worker.child.kill('SIGTERM')
      expect(await worker.exited()).toBe(143)
    })

    it('fails a job the registry does not know, and a row whose handler is not JSON, with a clear lastError', async () => {
      const { runner, insertJobs, rows, database } = await newApp()
      await insertJobs([{ name: 'GoneJob', args: [] }])
      await database.db.backgroundJob.create({ data: { handler: '{oops', queue: 'default', priority: 50, runAt: new Date() } })
      expect(await runner(['--id', '0', '--queue', '*', '--workoff']).exited()).toBe(0)
      const [unknown, invalid] = await rows()
      expect(unknown.lastError).toContain('job GoneJob is not in the registry (export it from your jobs index')
      expect(unknown.failedAt).toBeNull()
      // Retried after the backoff (1 s after the failed attempt, so 1 s or more after the job was created), not at once.
      expect((unknown.runAt as Date).getTime() - (unknown.createdAt as Date).getTime()).toBeGreaterThanOrEqual(1000)
      expect(invalid.lastError).toContain('has an unreadable handler (not JSON')
      // Retrying cannot fix a row we cannot read: it is given up at once.
      expect(invalid.failedAt).toBeInstanceOf(Date)
    })

    it('start runs detached workers with pid files, status shows them and the counts, stop leaves nothing running', async () => {
      const { runner, insertJobs, events, rows, appRoot } = await newApp()
      const start = runner(['start', '-n', 'default:1,email:1'])
      expect(await start.exited()).toBe(0)
      expect(start.output()).toContain('Started jobs-kit-worker.default.0')
      expect(pidFiles(appRoot)).toEqual(['jobs-kit-worker.default.0.pid', 'jobs-kit-worker.email.0.pid'])
      const pids = pidFiles(appRoot).map((name) => Number(readPid(appRoot, name)))
      expect(pids.every(isRunning)).toBe(true)

      await insertJobs([
        ...Array.from({ length: 10 }, (_, index) => ({ name: 'RecordJob', args: [`d${index}`], queue: 'default' })),
        ...Array.from({ length: 10 }, (_, index) => ({ name: 'RecordJob', args: [`e${index}`], queue: 'email' })),
      ])
      await waitUntil('the jobs to run', () => events().length === 20)
      await waitUntil('the table to empty', async () => (await rows()).length === 0)
      expect(new Set(events().map((line) => line.pid))).toEqual(new Set(pids))

      await insertJobs([{ name: 'RecordJob', args: ['later'], runAt: new Date(Date.now() + 3_600_000) }])
      const status = runner(['status'])
      expect(await status.exited()).toBe(0)
      expect(status.output()).toMatch(/jobs-kit-worker\.default\.0\s+\d+\s+running/)
      expect(status.output()).toMatch(/jobs-kit-worker\.email\.0\s+\d+\s+running/)
      expect(status.output()).toMatch(/queue\s+waiting\s+scheduled\s+running\s+failed\s+succeeded/)
      expect(status.output()).toMatch(/default\s+0\s+1\s+0\s+0/)
      expect(status.output()).toMatch(/email\s+0\s+0\s+0\s+0/)

      const stop = runner(['stop'])
      expect(await stop.exited()).toBe(0)
      expect(stop.output()).toContain('jobs-kit-worker.default.0')
      expect(pidFiles(appRoot)).toEqual([])
      expect(pids.some(isRunning)).toBe(false)
    })
  })
}

function readPid(appRoot: string, name: string): string {
  return readFileSync(join(appRoot, '.jobs-kit', 'pids', name), 'utf8')
}
