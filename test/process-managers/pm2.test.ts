/**
 * `jobs-kit setup pm2` for real: the CLI writes ecosystem.config.cjs for the
 * process-test app (test/runtime-processes/app, on a real SQLite file), pm2
 * from npm runs it under its own PM2_HOME, and the jobs' side effects and the
 * table show what happened to a job when pm2 restarts or stops its worker.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli/run-cli.js'
import { configPath, countByKey, createProcessTestApp, isRunning, repoRoot, waitUntil, type ProcessTestApp } from '../runtime-processes/support.js'

const run = promisify(execFile)
const PM2 = join(repoRoot, 'node_modules/pm2/bin/pm2')

describe('setup pm2 and pm2 running the workers', () => {
  let app: ProcessTestApp | undefined
  let env: NodeJS.ProcessEnv = {}
  let bus: ChildProcess | undefined
  afterEach(async () => {
    bus?.kill('SIGKILL')
    // Ends this test's pm2 daemon and every worker it runs (its own PM2_HOME: no other pm2 is touched).
    if (env.PM2_HOME) await run(process.execPath, [PM2, 'kill'], { env, cwd: app?.appRoot }).catch(() => {})
    await app?.cleanup()
    app = undefined
  })

  /** The test app with the `jobs` script and record `jobs-kit setup` would have written, and the ecosystem file written by the CLI. */
  async function setUpApp(): Promise<ProcessTestApp> {
    app = await createProcessTestApp('sqlite', { maxRuntimeSeconds: 60, sleepDelaySeconds: 0.2 })
    const { appRoot } = app
    // `--import tsx` resolves from the app's folder, as in an app that installed tsx.
    symlinkSync(join(repoRoot, 'node_modules'), join(appRoot, 'node_modules'))
    writeFileSync(join(appRoot, 'package.json'), JSON.stringify({
      name: 'pm2-test-app',
      private: true,
      scripts: { jobs: `node --import tsx ${join(repoRoot, 'src/runtime/runner/cli.ts')} --config ${configPath}` },
    }))
    writeFileSync(join(appRoot, 'jobs-kit.json'), JSON.stringify({
      version: '0.1.0', language: 'ts', moduleType: 'esm', paths: { config: configPath, runtime: join(repoRoot, 'src/runtime') }, files: {},
    }))
    env = { ...app.env, PM2_HOME: join(appRoot, '.pm2') }
    const setup = await runCli(['setup', 'pm2', '--cwd', appRoot, '--yes'], { env: env as Record<string, string> })
    expect(setup.stderr).toBe('')
    expect(setup.code).toBe(0)
    return app
  }

  /** `pm2 <args>` against this test's daemon. */
  const pm2 = (...args: string[]) => run(process.execPath, [PM2, ...args], { env, cwd: app!.appRoot, timeout: 120_000 })

  /** The pids of the pm2 app's process, as pm2 reports it. */
  async function workerPid(): Promise<number> {
    const { stdout } = await pm2('jlist')
    const list = JSON.parse(stdout.slice(stdout.indexOf('['))) as { pid: number; pm2_env: { status: string } }[]
    expect(list).toHaveLength(1)
    return list[0]!.pid
  }

  /** Every 'ready' message a worker sends pm2, from pm2's own event bus. */
  function listenForReady(): { count(): number } {
    let lines = ''
    const script = `const pm2 = require(${JSON.stringify(join(repoRoot, 'node_modules/pm2'))});
      pm2.connect(true, (error) => { if (error) throw error; pm2.launchBus((error, bus) => {
        if (error) throw error; console.log('listening');
        bus.on('process:msg', (packet) => { if (packet.raw === 'ready') console.log('ready ' + packet.process.name) }) }) })`
    bus = spawn(process.execPath, ['-e', script], { env, cwd: app!.appRoot, stdio: ['ignore', 'pipe', 'inherit'] })
    bus.stdout!.on('data', (chunk: Buffer) => (lines += chunk.toString()))
    return { count: () => lines.split('\n').filter((line) => line.startsWith('ready pm2-test-app.jobs-kit-worker.all.0')).length }
  }

  it('restarts a SIGKILLed worker, which runs its job again to the end; each start tells pm2 it is ready', async () => {
    const { insertJobs, events, rows } = await setUpApp()
    const ecosystem = readFileSync(join(app!.appRoot, 'ecosystem.config.cjs'), 'utf8')
    expect(ecosystem).toContain("name: 'pm2-test-app.jobs-kit-worker.all.0'")

    // The daemon first (its bus must exist before the worker's ready), then the listener, then the workers.
    await pm2('ping')
    const ready = listenForReady()
    await waitUntil('the bus listener', () => bus!.stdout!.readableLength >= 0 && ready.count() >= 0, 5_000)
    await pm2('start', 'ecosystem.config.cjs')
    await waitUntil('the first ready', () => ready.count() === 1, 60_000)
    const firstPid = await workerPid()

    await insertJobs([{ name: 'SleepJob', args: ['killed', 3_000] }])
    await waitUntil('the job to start', () => countByKey(events(), 'start').get('killed') === 1, 60_000)
    process.kill(firstPid, 'SIGKILL')

    // pm2 starts a new worker under the same name, which takes its predecessor's job back at once.
    await waitUntil('the job to run again and finish', () => countByKey(events(), 'done').get('killed') === 1, 90_000)
    expect(countByKey(events(), 'start').get('killed')).toBe(2)
    expect(events().filter((line) => line.key === 'killed' && line.event === 'done')[0]!.pid).not.toBe(firstPid)
    expect(await workerPid()).not.toBe(firstPid)
    await waitUntil('the second ready', () => ready.count() === 2, 60_000)
    await waitUntil('the row to be deleted (success)', async () => (await rows()).length === 0)
  }, 300_000)

  it('pm2 stop lets the job in hand finish: one run, exit 0 after SIGINT, no SIGKILL', async () => {
    const { insertJobs, events, rows, appRoot } = await setUpApp()
    await pm2('start', 'ecosystem.config.cjs')
    const pid = await workerPid()
    await insertJobs([{ name: 'SleepJob', args: ['stopped', 4_000] }])
    await waitUntil('the job to start', () => countByKey(events(), 'start').get('stopped') === 1, 60_000)

    await pm2('stop', 'ecosystem.config.cjs')
    expect(isRunning(pid)).toBe(false)
    expect(countByKey(events(), 'start').get('stopped')).toBe(1)
    expect(countByKey(events(), 'done').get('stopped')).toBe(1)
    expect(await rows()).toEqual([])

    // `<name>-out.log`, or `<name>-out-<pm_id>.log`, as pm2 names it.
    const logs = join(appRoot, '.pm2', 'logs')
    const outLog = readdirSync(logs).find((name) => name.startsWith('pm2-test-app.jobs-kit-worker.all.0-out'))
    expect(outLog, `worker logs in ${readdirSync(logs).join(', ')}`).toBeDefined()
    const workerLog = readFileSync(join(logs, outLog!), 'utf8')
    expect(workerLog).toContain('got SIGINT: finishing the jobs in hand')
    const errLog = readdirSync(logs).find((name) => name.startsWith('pm2-test-app.jobs-kit-worker.all.0-error'))
    // pm2's wrapper for .ts scripts looked for ts-node and logged that TypeScript was unavailable.
    expect(errLog && readFileSync(join(logs, errLog), 'utf8')).not.toMatch(/TypeScript|ts-node/)
    const daemonLog = readFileSync(join(appRoot, '.pm2', 'pm2.log'), 'utf8')
    expect(daemonLog).toMatch(/exited with code \[0\] via signal \[SIGINT\]/)
    expect(daemonLog).not.toMatch(/SIGKILL/)
  }, 300_000)
})
