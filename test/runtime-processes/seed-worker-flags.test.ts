/**
 * The seed's "Advanced Job Workers" command, adapted only in the command
 * name: one worker started by hand with `--adapter=adapter --logger=logger`
 * naming exports of the jobs config, as a real process on a real database,
 * with the seed's class-style config (no JobManager) and with a JobManager
 * config that exports an adapter and a logger besides `jobs`.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { createProcessTestApp, waitUntil, type ProcessTestApp } from './support.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const classStyleConfig = join(here, 'app/class-style/jobs.ts')

// yarn rw-jobs-worker --id=0 --maxAttempts=24 --maxRuntime=14400 --sleepDelay 5 --adapter=adapter --logger=logger
const SEED_FLAGS = ['--id=0', '--maxAttempts=24', '--maxRuntime=14400', '--sleepDelay', '5', '--adapter=adapter', '--logger=logger']

let app: ProcessTestApp | undefined
afterEach(async () => {
  await app?.cleanup()
  app = undefined
})

describe('the seed\'s worker flags', () => {
  it('run a class-style config\'s jobs through the exported adapter, logging through the exported logger', async () => {
    app = await createProcessTestApp('sqlite')
    await app.insertJobs([{ name: 'SendWelcomeEmailJob', args: [42], queue: 'email' }])
    const worker = app.runner(['--config', classStyleConfig, ...SEED_FLAGS], { config: false })
    await waitUntil('the job to run', () => app!.events().some((event) => event.key === 'welcome-42'))
    await waitUntil('the success to be stored', async () => (await app!.rows()).length === 0)
    worker.child.kill('SIGINT')
    expect(await worker.exited()).toBe(0)
    expect(worker.output()).toContain('[app logger] info SendWelcomeEmailJob: emailing user 42')
    expect(worker.output()).toMatch(/\[app logger\] info \[jobs-kit\] SendWelcomeEmailJob \(id \d+, queue email\) succeeded/)
  })

  it('refuses an --adapter that is neither configured nor exported, naming what to do', async () => {
    app = await createProcessTestApp('sqlite')
    const worker = app.runner(['--config', classStyleConfig, '--id=0', '--adapter=nope', '--workoff'], { config: false })
    expect(await worker.exited()).toBe(2)
    expect(worker.output()).toContain('--adapter "nope" is neither in your config\'s adapters (adapter) nor an export of the jobs config that is an adapter')
  })

  it('with a JobManager config, --adapter names a configured adapter, an unknown name is refused, and --logger=logger falls back to console', async () => {
    app = await createProcessTestApp('sqlite')
    await app.insertJobs([{ name: 'RecordJob', args: ['seed-flags'] }])
    // app/jobs.ts exports `jobs` and `later`, no `adapter` or `logger`: the adapter must come from `adapters`.
    const unknown = app.runner([...SEED_FLAGS, '--workoff'])
    expect(await unknown.exited()).toBe(2)
    expect(unknown.output()).toContain('--adapter "adapter" is neither in your config\'s adapters (prisma)')
    const worker = app.runner(['--id=0', '--adapter=prisma', '--logger=logger', '--workoff', '--sleepDelay', '0.1'])
    expect(await worker.exited()).toBe(0)
    expect(app.events().some((event) => event.key === 'seed-flags')).toBe(true)
    expect(worker.output()).toContain('succeeded')
  })

  it('a workers entry with its own logger: the worker logs through it', async () => {
    app = await createProcessTestApp('sqlite')
    await app.insertJobs([{ name: 'RecordJob', args: ['entry-logger'] }])
    const worker = app.runner(['--config', join(here, 'app/worker-logger-jobs.ts'), 'workoff'], { config: false })
    expect(await worker.exited()).toBe(0)
    expect(app.events().some((event) => event.key === 'entry-logger')).toBe(true)
    expect(worker.output()).toMatch(/\[app logger\] info \[jobs-kit\] RecordJob \(id \d+, queue default\) succeeded/)
  })
})
