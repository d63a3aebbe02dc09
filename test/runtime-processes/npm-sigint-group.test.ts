/**
 * Ctrl-C the way a terminal sends it: SIGINT to the whole process group of
 * `npm run jobs -- work` (npm, sh, node), with 10 jobs in hand. The first
 * finishes the jobs in hand, takes nothing new and exits 0; a second one, a
 * while later, stops at once (exit 130) and leaves the rows in hand locked.
 * Also with `-n 2` (attached worker processes, which get the group's SIGINT too).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { cliPath, configPath, countByKey, createProcessTestApp, repoRoot, waitUntil, type ProcessTestApp } from './support.js'

const tsxLoader = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href

function npmRunJobs(app: ProcessTestApp, args: string[], env: NodeJS.ProcessEnv) {
  // npm (and the script's sh) die of the group's SIGINT at once, as they do in a terminal; the runner
  // does not. A wrapper that ignores SIGINT reports the runner's own exit code.
  const wrapper = [
    `import { spawn } from 'node:child_process'`,
    `process.on('SIGINT', () => {})`,
    `const child = spawn(process.execPath, ['--import', ${JSON.stringify(tsxLoader)}, ${JSON.stringify(cliPath)}, '--config', ${JSON.stringify(configPath)}, ...process.argv.slice(2)], { stdio: 'inherit' })`,
    `child.on('exit', (code, signal) => console.log('jobs-exit=' + (code ?? signal)))`,
  ].join('\n')
  writeFileSync(join(app.appRoot, 'run-jobs.mjs'), wrapper)
  writeFileSync(join(app.appRoot, 'package.json'), JSON.stringify({ name: 'sigint-app', private: true, scripts: { jobs: 'node ./run-jobs.mjs' } }))
  const child: ChildProcess = spawn('npm', ['run', 'jobs', '--', ...args], {
    cwd: app.appRoot,
    env: { ...app.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const npmExit = once(child, 'exit').then(([code, signal]) => (code as number | null) ?? `signal ${String(signal)}`)
  // The pipes close once every process holding them (npm, sh, node) is gone.
  const exit = Promise.all([npmExit, once(child.stdout!, 'close'), once(child.stderr!, 'close')]).then(([npmCode]) => {
    const match = /jobs-exit=(\w+)/.exec(output)
    return { npm: npmCode, jobs: match ? (Number.isNaN(Number(match[1])) ? match[1] : Number(match[1])) : undefined }
  })
  return {
    output: () => output,
    interruptGroup: () => process.kill(-child.pid!, 'SIGINT'),
    killGroup: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // gone
      }
    },
    exited: (ms = 60_000) =>
      Promise.race([exit, new Promise((_, reject) => setTimeout(() => reject(new Error(`npm run jobs did not exit. Output:\n${output}`)), ms))]),
  }
}

describe.each(['sqlite', 'postgresql'] as const)('SIGINT to the process group of npm run jobs -- work on %s', (provider) => {
  let app: ProcessTestApp | undefined
  let kill: (() => void) | undefined

  afterEach(async () => {
    kill?.()
    await app?.cleanup()
    app = undefined
  })

  for (const processes of [1, 2]) {
    it(`${processes} process(es), concurrency 10: one Ctrl-C finishes the jobs in hand and exits 0; nothing new is taken`, { timeout: 120_000 }, async () => {
      app = await createProcessTestApp(provider, { sleepDelaySeconds: 0.1 })
      await app.insertJobs(Array.from({ length: 60 }, (_, n) => ({ name: 'SleepJob', args: [`j${n}`, 1500] })))
      const npm = npmRunJobs(app, ['work', ...(processes > 1 ? ['-n', String(processes)] : [])], { WORKER_CONCURRENCY: '10' })
      kill = npm.killGroup
      await waitUntil('the jobs in hand to start', () => app!.events().filter((line) => line.event === 'start').length >= 10 * processes, 60_000)
      npm.interruptGroup()
      expect(await npm.exited(), npm.output()).toMatchObject({ jobs: 0 })
      const events = app.events()
      const started = countByKey(events, 'start')
      const done = countByKey(events, 'done')
      expect([...done.keys()].sort()).toEqual([...started.keys()].sort())
      for (const count of [...started.values(), ...done.values()]) expect(count).toBe(1)
      expect(started.size).toBeLessThanOrEqual(10 * processes)
      const rows = await app.rows()
      expect(rows).toHaveLength(60 - done.size)
      for (const row of rows) expect(row).toMatchObject({ attempts: 0, lockedBy: null, lastError: null })
      expect(npm.output()).not.toContain('second SIGINT')
    })
  }

  // Before the fix the first case exited 130: the SIGINT met Node's default action while the config loaded.
  for (const [processes, loading] of [[1, 1], [2, 1], [2, 3]] as const) {
    const when = loading === 1 ? 'while the runner loads its config' : 'while the worker processes load theirs'
    it(`${processes} process(es): a Ctrl-C ${when} exits 0 without taking a job`, { timeout: 120_000 }, async () => {
      app = await createProcessTestApp(provider, { sleepDelaySeconds: 0.1 })
      await app.insertJobs(Array.from({ length: 5 }, (_, n) => ({ name: 'SleepJob', args: [`j${n}`, 100] })))
      const marker = join(app.appRoot, 'startup.log')
      const npm = npmRunJobs(app, ['work', ...(processes > 1 ? ['-n', String(processes)] : [])], {
        STARTUP_MARKER_FILE: marker,
        STARTUP_DELAY_MS: '3000',
      })
      kill = npm.killGroup
      const loads = () => (existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0)
      await waitUntil(`${loading} process(es) to load the config`, () => loads() >= loading, 60_000)
      npm.interruptGroup()
      expect(await npm.exited(), npm.output()).toMatchObject({ jobs: 0 })
      expect(app.events()).toEqual([])
      const rows = await app.rows()
      expect(rows).toHaveLength(5)
      for (const row of rows) expect(row).toMatchObject({ attempts: 0, lockedBy: null })
    })
  }

  it('a second Ctrl-C, seconds later, stops at once: exit 130, the rows in hand stay locked, nothing recorded', { timeout: 120_000 }, async () => {
    app = await createProcessTestApp(provider, { sleepDelaySeconds: 0.1 })
    await app.insertJobs(Array.from({ length: 30 }, (_, n) => ({ name: 'SleepJob', args: [`j${n}`, 30_000] })))
    const npm = npmRunJobs(app, ['work'], { WORKER_CONCURRENCY: '10' })
    kill = npm.killGroup
    await waitUntil('the jobs in hand to start', () => app!.events().filter((line) => line.event === 'start').length >= 10, 60_000)
    npm.interruptGroup()
    await waitUntil('the first SIGINT to be seen', () => npm.output().includes('got SIGINT'))
    await new Promise((resolve) => setTimeout(resolve, 1500))
    npm.interruptGroup()
    expect(await npm.exited()).toMatchObject({ jobs: 130 })
    expect(app.events().filter((line) => line.event === 'done')).toEqual([])
    const rows = await app.rows()
    expect(rows).toHaveLength(30)
    const locked = rows.filter((row) => row.lockedBy !== null)
    expect(locked).toHaveLength(10)
    for (const row of locked) expect(row).toMatchObject({ attempts: 1, lastError: null })
    for (const row of rows.filter((each) => each.lockedBy === null)) expect(row).toMatchObject({ attempts: 0 })
  })
})
