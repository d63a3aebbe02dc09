/**
 * The runner's command line as a real process: errors that stop it before any
 * worker runs (exit code 2), `clear`, `restart`, and a second worker of the
 * same name. Provider-independent, so on SQLite only; the worker behaviour per
 * provider is in sqlite/postgresql/mysql.test.ts.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { cliPath, configPath, createProcessTestApp, isRunning, repoRoot, waitUntil, type ProcessTestApp } from './support.js'

let app: ProcessTestApp | undefined
afterEach(async () => {
  await app?.cleanup()
  app = undefined
})

async function newApp(): Promise<ProcessTestApp> {
  app = await createProcessTestApp('sqlite')
  return app
}

function pidFiles(appRoot: string): string[] {
  const dir = join(appRoot, '.jobs-kit', 'pids')
  return existsSync(dir) ? readdirSync(dir).sort() : []
}

function readPid(appRoot: string, name: string): number {
  return Number(readFileSync(join(appRoot, '.jobs-kit', 'pids', name), 'utf8'))
}

describe('runner CLI', () => {
  it('exits 2 with what to do when no config is given, the file is missing, or it has no jobs export', async () => {
    const { runner, appRoot } = await newApp()
    const none = runner(['status'], { config: false })
    expect(await none.exited()).toBe(2)
    expect(none.output()).toContain('No jobs config given. Pass --config <path>')
    expect(none.output()).toContain('JOBS_KIT_CONFIG')

    const missing = runner(['status', '--config', 'nowhere/jobs.ts'], { config: false })
    expect(await missing.exited()).toBe(2)
    expect(missing.output()).toContain(`The jobs config ${join(appRoot, 'nowhere/jobs.ts')} does not exist`)

    writeFileSync(join(appRoot, 'not-jobs.mjs'), 'export const later = () => {}\n')
    const wrong = runner(['status'], { config: false, env: { JOBS_KIT_CONFIG: 'not-jobs.mjs' } })
    expect(await wrong.exited()).toBe(2)
    expect(wrong.output()).toContain('has no `jobs` export that is a JobManager (no `jobs` export)')
    expect(wrong.output()).toContain('export const jobs = new JobManager(')
  })

  it('exits 2 on a bad -n, naming the bad part and the valid forms, or an unknown queue', async () => {
    const { runner } = await newApp()
    const bad = runner(['start', '-n', 'email:two'])
    expect(await bad.exited()).toBe(2)
    expect(bad.output()).toContain('Invalid -n "email:two": "email:two" has a count that is not a whole number')
    expect(bad.output()).toContain('Valid forms: -n 4')

    const unknown = runner(['workoff', '-n', 'sms:1'])
    expect(await unknown.exited()).toBe(2)
    expect(unknown.output()).toContain('-n: queue "sms" is not configured. Use one of: default, email')
  })

  it('workers prints the set start would run as one JSON line: counts expanded, ids per queue, -n applied', async () => {
    const { runner } = await newApp()
    const configured = runner(['workers'])
    expect(await configured.exited()).toBe(0)
    expect(JSON.parse(configured.output().trim().split('\n').pop()!)).toEqual([
      { title: 'jobs-kit-worker.all.0', id: 0, queue: '*', adapter: 'prisma', maxRuntime: 60 },
    ])
    const set = runner(['workers', '-n', 'default:2,email:1', '--maxRuntime', '30'])
    expect(await set.exited()).toBe(0)
    expect(JSON.parse(set.output().trim().split('\n').pop()!)).toEqual([
      { title: 'jobs-kit-worker.default.0', id: 0, queue: ['default'], adapter: 'prisma', maxRuntime: 30 },
      { title: 'jobs-kit-worker.default.1', id: 1, queue: ['default'], adapter: 'prisma', maxRuntime: 30 },
      { title: 'jobs-kit-worker.email.0', id: 0, queue: ['email'], adapter: 'prisma', maxRuntime: 30 },
    ])
  })

  it('a worker started with an IPC channel (pm2) sends its parent "ready" once it polls for jobs', async () => {
    const { env, appRoot } = await newApp()
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href, cliPath, '--config', configPath, '--id', '0', '--queue', '*'], {
      cwd: appRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    try {
      const [message] = (await once(child, 'message')) as [unknown]
      expect(message).toBe('ready')
      // Ready means up: its pid file is written and its SIGINT handler is in place.
      expect(pidFiles(appRoot)).toEqual(['jobs-kit-worker.all.0.pid'])
      child.kill('SIGINT')
      expect((await once(child, 'exit'))[0]).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })

  it('clear deletes every job (any queue), --queue narrows it, and it says how many; --clear does it for one worker', async () => {
    const { runner, insertJobs, rows } = await newApp()
    const insertAll = () =>
      insertJobs([
        { name: 'RecordJob', args: ['d1'], queue: 'default' },
        { name: 'RecordJob', args: ['d2'], queue: 'default' },
        { name: 'RecordJob', args: ['e1'], queue: 'email' },
        { name: 'RecordJob', args: ['e2'], queue: 'email' },
        // A queue no longer in the config: the seed's `clear` removes all jobs.
        { name: 'RecordJob', args: ['o1'], queue: 'old-queue' },
      ])
    await insertAll()
    const email = runner(['clear', '--queue', 'email'])
    expect(await email.exited()).toBe(0)
    expect(email.output()).toContain('Deleted 2 job(s) of queue email from adapter "prisma".')
    expect((await rows()).map((row) => row.queue)).toEqual(['default', 'default', 'old-queue'])

    const all = runner(['clear'])
    expect(await all.exited()).toBe(0)
    expect(all.output()).toContain('Deleted 3 job(s) of every queue from adapter "prisma".')
    expect(await rows()).toEqual([])

    const wrong = runner(['clear', '-n', 'email:1'])
    expect(await wrong.exited()).toBe(2)
    expect(wrong.output()).toContain('narrow it with --queue <name[,name]>')

    await insertAll()
    expect(await runner(['--queue', 'default', '--clear']).exited()).toBe(0)
    expect((await rows()).map((row) => row.queue)).toEqual(['email', 'email', 'old-queue'])
  })

  it('closes the adapters when it exits: after workoff, on SIGINT and after status', async () => {
    const { runner, insertJobs, appRoot } = await newApp()
    const marker = join(appRoot, 'closed.log')
    writeFileSync(marker, '')
    await insertJobs([{ name: 'RecordJob', args: ['one'] }])
    expect(await runner(['workoff'], { env: { CLOSE_MARKER_FILE: marker } }).exited()).toBe(0)
    expect(await runner(['status'], { env: { CLOSE_MARKER_FILE: marker } }).exited()).toBe(0)
    const work = runner(['work'], { env: { CLOSE_MARKER_FILE: marker } })
    await waitUntil('the worker to be up', () => work.output().includes('working'))
    work.child.kill('SIGINT')
    expect(await work.exited()).toBe(0)
    expect(readFileSync(marker, 'utf8').trim().split('\n')).toHaveLength(3)
  })

  it('restart replaces the running workers', async () => {
    const { runner, appRoot } = await newApp()
    expect(await runner(['start', '-n', '1']).exited()).toBe(0)
    const before = readPid(appRoot, 'jobs-kit-worker.all.0.pid')
    expect(isRunning(before)).toBe(true)

    const again = runner(['start', '-n', '1'])
    expect(await again.exited()).toBe(0)
    expect(again.output()).toContain(`jobs-kit-worker.all.0 is already running (pid ${before})`)

    const restart = runner(['restart', '-n', '1'])
    expect(await restart.exited()).toBe(0)
    const after = readPid(appRoot, 'jobs-kit-worker.all.0.pid')
    expect(after).not.toBe(before)
    expect(isRunning(before)).toBe(false)
    expect(isRunning(after)).toBe(true)

    expect(await runner(['stop']).exited()).toBe(0)
    expect(isRunning(after)).toBe(false)
    expect(pidFiles(appRoot)).toEqual([])
  })

  it('stop removes the pid file of a worker that died, and a second worker of one name refuses to start', async () => {
    const { runner, appRoot } = await newApp()
    const first = runner(['--id', '0', '--queue', '*'])
    await waitUntil('the worker to write its pid file', () => pidFiles(appRoot).length === 1)
    const twin = runner(['--id', '0', '--queue', '*'])
    expect(await twin.exited()).toBe(1)
    expect(twin.output()).toContain(`Worker jobs-kit-worker.all.0 is already running (pid ${first.child.pid})`)

    first.child.kill('SIGKILL')
    await first.exited()
    expect(pidFiles(appRoot)).toEqual(['jobs-kit-worker.all.0.pid'])
    const status = runner(['status'])
    expect(await status.exited()).toBe(0)
    expect(status.output()).toContain('not running (stale pid file removed)')
    expect(pidFiles(appRoot)).toEqual([])
  })

  it('survives a job that leaves a promise rejection unhandled, and logs it', async () => {
    const { runner, insertJobs, events, rows } = await newApp()
    await insertJobs([
      { name: 'LeakyJob', args: ['leaky'], priority: 1 },
      // A job that waits on a timer: with SQLite the worker can otherwise run
      // to its exit without leaving the microtask queue, before Node reports
      // the rejection at all.
      { name: 'SleepJob', args: ['after', 100], priority: 2 },
    ])
    const worker = runner(['--id', '0', '--queue', '*', '--workoff'])
    expect(await worker.exited()).toBe(0)
    expect(events().map((line) => `${line.event} ${line.key}`)).toEqual(['done leaky', 'start after', 'done after'])
    expect(worker.output()).toContain('a job left a promise rejection unhandled: Error: LeakyJob leaky leaked a rejection')
    expect(await rows()).toEqual([])
  })

  it('a jobs index that throws while it first loads: the worker gives its jobs back uncharged and exits 1; restarted, it runs them', async () => {
    const { runner, insertJobs, events, rows, appRoot } = await newApp()
    await insertJobs([
      { name: 'RecordJob', args: ['a'] },
      { name: 'RecordJob', args: ['b'] },
    ])
    const needed = join(appRoot, 'ready')
    // Node keeps an ES module that threw failed for the life of the process: before, the worker went on failing
    // every job (each charged an attempt, the same error in lastError) until someone restarted it.
    const first = runner(['work'], { env: { JOBS_INDEX_NEEDS_FILE: needed } })
    expect(await first.exited(30_000), first.output()).toBe(1)
    expect(first.output()).toContain(`the jobs index needs ${needed}, which is missing`)
    expect(first.output()).toContain('This process cannot load it again')
    expect(await rows()).toMatchObject([
      { attempts: 0, lockedBy: null, lastError: null },
      { attempts: 0, lockedBy: null, lastError: null },
    ])
    expect(events()).toEqual([])
    writeFileSync(needed, '')
    const second = runner(['workoff'], { env: { JOBS_INDEX_NEEDS_FILE: needed } })
    expect(await second.exited(), second.output()).toBe(0)
    expect(events().map((line) => `${line.event} ${line.key}`).sort()).toEqual(['done a', 'done b'])
    expect(await rows()).toEqual([])
  })

  it('a jobs index that throws while it first loads, concurrency 4 and maxAttempts 1: every job found is given back uncharged, none lost', async () => {
    const { runner, insertJobs, events, rows, appRoot } = await newApp()
    await insertJobs(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => ({ name: 'RecordJob', args: [key] })))
    const needed = join(appRoot, 'ready')
    const first = runner(['work', '--concurrency', '4', '--maxAttempts', '1'], { env: { JOBS_INDEX_NEEDS_FILE: needed } })
    expect(await first.exited(30_000), first.output()).toBe(1)
    const left = await rows()
    expect(left, first.output()).toHaveLength(6)
    for (const row of left) expect(row, first.output()).toMatchObject({ attempts: 0, lockedBy: null, lastError: null })
    expect(events()).toEqual([])
    writeFileSync(needed, '')
    const second = runner(['workoff', '--concurrency', '4', '--maxAttempts', '1'], { env: { JOBS_INDEX_NEEDS_FILE: needed } })
    expect(await second.exited(), second.output()).toBe(0)
    expect(events().map((line) => `${line.event} ${line.key}`).sort()).toEqual(['done a', 'done b', 'done c', 'done d', 'done e', 'done f'])
  })

  it('no jobs table (the migration not applied): work stops at its first find with what to do and exit 1, instead of logging the stack every sleepDelay', async () => {
    const { runner, database } = await newApp()
    await database.db.$executeRawUnsafe('DROP TABLE "BackgroundJob"')
    const work = runner(['work'])
    expect(await work.exited(30_000), work.output()).toBe(1)
    expect(work.output()).toContain('stops: The jobs table of model BackgroundJob is missing.')
    expect(work.output()).toContain('apply the jobs-kit migration')
    expect(work.output()).not.toContain('could not look for jobs')
  })

  it('status counts a dead worker\'s job as running until its lock is stale, then as waiting', async () => {
    const { runner, insertJobs, events, database } = await newApp()
    await insertJobs([{ name: 'SleepJob', args: ['held', 60_000] }])
    const worker = runner(['--id', '0', '--queue', '*'], { env: { WORKER_MAX_RUNTIME: '3' } })
    await waitUntil('the job to start', () => events().length === 1)
    worker.child.kill('SIGKILL')
    await worker.exited()
    const fresh = runner(['status'], { env: { WORKER_MAX_RUNTIME: '3' } })
    expect(await fresh.exited()).toBe(0)
    expect(fresh.output()).toMatch(/default\s+0\s+0\s+1\s+0/)
    // The lock ages: running still at 45 s, waiting past the 60 s threshold (whatever the workers' maxRuntime).
    await database.db.backgroundJob.updateMany({ data: { lockedAt: new Date(Date.now() - 45_000) } })
    const young = runner(['status'], { env: { WORKER_MAX_RUNTIME: '3' } })
    expect(await young.exited()).toBe(0)
    expect(young.output()).toMatch(/default\s+0\s+0\s+1\s+0/)
    await database.db.backgroundJob.updateMany({ data: { lockedAt: new Date(Date.now() - 61_000) } })
    const stale = runner(['status'], { env: { WORKER_MAX_RUNTIME: '3' } })
    expect(await stale.exited()).toBe(0)
    expect(stale.output()).toMatch(/default\s+1\s+0\s+0\s+0/)
  })

  it('work with several workers passes each SIGINT on once: the first drains, the second stops them (exit 130)', async () => {
    const { runner, insertJobs, events, appRoot } = await newApp()
    await insertJobs([{ name: 'SleepJob', args: ['one', 60_000] }, { name: 'SleepJob', args: ['two', 60_000] }])
    const work = runner(['work', '-n', '2'])
    await waitUntil('both workers to take a job', () => events().length === 2, 30_000)
    work.child.kill('SIGINT')
    await waitUntil('both workers to hear the first SIGINT', () => work.output().split('got SIGINT: finishing').length === 3)
    // Still draining: one SIGINT did not stop them.
    expect(work.child.exitCode).toBeNull()
    // A second Ctrl-C comes more than a second later (sooner, it is a relayed copy of the first).
    await new Promise((resolve) => setTimeout(resolve, 1100))
    work.child.kill('SIGINT')
    expect(await work.exited(15_000)).toBe(130)
    expect(work.output().split('got a second SIGINT: stopping at once').length).toBe(3)
    expect(pidFiles(appRoot)).toEqual([])
  })

  it('work with several workers stops them at once when the terminal hangs up (SIGHUP)', async () => {
    const { runner, insertJobs, events, appRoot } = await newApp()
    await insertJobs([{ name: 'SleepJob', args: ['one', 60_000] }])
    const work = runner(['work', '-n', '2'])
    await waitUntil('a worker to take the job', () => events().length === 1, 30_000)
    await waitUntil('both workers to be up', () => pidFiles(appRoot).length === 2)
    work.child.kill('SIGHUP')
    expect(await work.exited(15_000)).toBe(143)
    expect(pidFiles(appRoot)).toEqual([])
  })

  it('takes SIGINTs arriving within a second as one Ctrl-C: the job finishes, exit 0', async () => {
    const { runner, insertJobs, events, rows } = await newApp()
    await insertJobs([{ name: 'SleepJob', args: ['kept', 1500] }])
    const worker = runner(['--id', '0', '--queue', '*'])
    await waitUntil('the job to start', () => events().length === 1)
    // What a terminal's Ctrl-C under `npm run` delivers: the SIGINT, and copies relayed by npm and tsx.
    worker.child.kill('SIGINT')
    await new Promise((resolve) => setTimeout(resolve, 30))
    worker.child.kill('SIGINT')
    expect(await worker.exited()).toBe(0)
    expect(events().map((line) => `${line.event} ${line.key}`)).toEqual(['start kept', 'done kept'])
    expect(worker.output()).not.toContain('second SIGINT')
    expect(await rows()).toEqual([])
  })

  it('one Ctrl-C to the process group of the `jobs` script setup writes finishes a CPU-bound job and exits 0', async () => {
    // It used to be `tsx …/runner/cli.ts --config …`: the tsx command relays
    // a SIGINT to its child unless the child reports it within 30 ms, and
    // SIGKILLs the child when it does not report the relayed one within 30 ms
    // either, so a job that computes in slices longer than that (the event
    // loop cannot answer) was killed mid-run by one Ctrl-C. Setup now writes
    // `node --import tsx …`: no relaying parent.
    const { insertJobs, events, rows, appRoot, env } = await newApp()
    await insertJobs([{ name: 'BusyJob', args: ['busy', 3000, 200] }])
    // `--import tsx` as an app resolves it: tsx's loader (the app copy here has no node_modules of its own).
    const tsxLoader = pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
    const worker = spawn(process.execPath, ['--import', tsxLoader, cliPath, '--config', configPath, 'work'], { cwd: appRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exit = once(worker, 'exit')
    try {
      await waitUntil('the busy job to start', () => events().some((line) => line.key === 'busy'), 30_000)
      await new Promise((resolve) => setTimeout(resolve, 500))
      // What a terminal's Ctrl-C does: SIGINT to every process of the foreground group.
      process.kill(-worker.pid!, 'SIGINT')
      const [code, signal] = await exit
      expect({ exit: code ?? signal, events: events().map((line) => `${line.event} ${line.key}`) }).toEqual({
        exit: 0,
        events: ['start busy', 'done busy'],
      })
      expect(output).toContain('got SIGINT: finishing the jobs in hand')
      expect(await rows()).toEqual([])
    } finally {
      try {
        process.kill(-worker.pid!, 'SIGKILL')
      } catch {
        // the group is gone
      }
    }
  }, 60_000)

  it('one Ctrl-C to the whole process group of `npm run jobs -- work` always finishes the job and exits 0', async () => {
    const { insertJobs, events, rows, appRoot, env } = await newApp()
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx')
    writeFileSync(
      join(appRoot, 'package.json'),
      JSON.stringify({ name: 'ctrl-c-app', private: true, scripts: { jobs: `${tsx} ${cliPath} --config ${configPath}` } }),
    )
    // Relayed copies raced the worker about one try in four: try several times.
    for (let attempt = 0; attempt < 4; attempt++) {
      await insertJobs([{ name: 'SleepJob', args: [`job-${attempt}`, 1500] }])
      // detached: its own process group, as a terminal's foreground job is.
      const npm = spawn('npm', ['run', '--silent', 'jobs', '--', 'work'], { cwd: appRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
      npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const exit = once(npm, 'exit')
      try {
        await waitUntil(`job-${attempt} to start`, () => events().some((line) => line.key === `job-${attempt}`), 30_000)
        process.kill(-npm.pid!, 'SIGINT')
        // npm waits for the worker, then ends itself with the SIGINT it got (npm's convention).
        const [code, signal] = await exit
        expect({ attempt, exit: code ?? signal, stoppedAtOnce: output.includes('stopping at once') }).toEqual({
          attempt,
          exit: expect.toSatisfy((value) => value === 0 || value === 'SIGINT'),
          stoppedAtOnce: false,
        })
        expect(output).toContain('got SIGINT: finishing the jobs in hand')
        expect(events().filter((line) => line.key === `job-${attempt}`).map((line) => line.event)).toEqual(['start', 'done'])
      } finally {
        try {
          process.kill(-npm.pid!, 'SIGKILL')
        } catch {
          // the group is gone
        }
      }
    }
    expect(await rows()).toEqual([])
  }, 120_000)
})
