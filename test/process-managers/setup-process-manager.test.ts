/**
 * `jobs-kit setup pm2|systemd` as a user runs it (the CLI from source, as a
 * process): errors that say what to do, dry run, a second run, and an edited
 * file kept unless --force. The workers come from the process-test app's
 * real jobs config, asked of its runner.
 */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, writeApp } from '../cli/run-cli.js'
import { configPath, createProcessTestApp, repoRoot, type ProcessTestApp } from '../runtime-processes/support.js'

const jobsScript = `node --import tsx ${join(repoRoot, 'src/runtime/runner/cli.ts')} --config ${configPath}`
const record = JSON.stringify({ version: '0.1.0', language: 'ts', moduleType: 'esm', paths: { config: configPath, runtime: join(repoRoot, 'src/runtime') }, files: {} })

describe('setup pm2 and setup systemd from the command line', () => {
  let app: ProcessTestApp
  let env: Record<string, string>
  beforeAll(async () => {
    app = await createProcessTestApp('sqlite')
    symlinkSync(join(repoRoot, 'node_modules'), join(app.appRoot, 'node_modules'))
    writeFileSync(join(app.appRoot, 'package.json'), JSON.stringify({ name: 'shop', scripts: { jobs: jobsScript } }))
    writeFileSync(join(app.appRoot, 'jobs-kit.json'), record)
    env = app.env as Record<string, string>
  })
  afterAll(() => app.cleanup())

  it('says to run setup first in an app without jobs-kit', async () => {
    const dir = writeApp({ 'package.json': '{"name":"plain"}' })
    const result = await runCli(['setup', 'pm2', '--cwd', dir, '--yes'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('jobs-kit is not set up in this app')
    expect(result.stderr).toContain('→ Run `npx jobs-kit setup` first.')
  })

  it('says which jobs script forms it understands when the script is something else', async () => {
    const dir = writeApp({ 'package.json': JSON.stringify({ scripts: { jobs: 'dotenv -- node lib/jobs-kit/runner/cli.js --config lib/jobs.js' } }), 'jobs-kit.json': record })
    const result = await runCli(['setup', 'systemd', '--cwd', dir, '--yes'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('does not start with node or tsx')
    expect(result.stderr).toContain('→ The `jobs` script that `jobs-kit setup` writes is `node --import tsx <runtime>/runner/cli.ts --config <config>`')
  })

  it('shows the runner\'s error and what to do when the jobs config does not load', async () => {
    const result = await runCli(['setup', 'pm2', '--cwd', app.appRoot, '--yes'], { env: { ...env, DB_PROVIDER: 'nosuchdb' } })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('did not list the app\'s workers')
    expect(result.stderr).toContain('then check with `npm run jobs -- workers`')
    expect(existsSync(join(app.appRoot, 'ecosystem.config.cjs'))).toBe(false)
  })

  it('refuses -n for setting up jobs, where it means nothing', async () => {
    const result = await runCli(['setup', '-n', '2', '--cwd', app.appRoot, '--yes'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('-n is for `setup pm2` and `setup systemd`')
  })

  it('writes nothing on a dry run, then the file; a second run changes nothing; an edit is kept unless --force', async () => {
    const path = join(app.appRoot, 'jobs-kit-worker@.service')
    const dry = await runCli(['setup', 'systemd', '-n', 'default:2', '--cwd', app.appRoot, '--dry-run'], { env })
    expect(dry.stdout).toContain('create   jobs-kit-worker@.service')
    expect(dry.stdout).toContain('+KillSignal=SIGINT')
    expect(dry.stdout).toContain('Dry run: nothing was written.')
    expect(existsSync(path)).toBe(false)

    const first = await runCli(['setup', 'systemd', '-n', 'default:2', '--cwd', app.appRoot, '--yes'], { env })
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('sudo systemctl enable --now jobs-kit-worker@default.0 jobs-kit-worker@default.1')
    const written = readFileSync(path, 'utf8')

    const second = await runCli(['setup', 'systemd', '-n', 'default:2', '--cwd', app.appRoot, '--yes'], { env })
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('jobs-kit-worker@.service is up to date.')

    writeFileSync(path, written.replace('RestartSec=5', 'RestartSec=30'))
    const changed = await runCli(['setup', 'systemd', '--cwd', app.appRoot, '--yes'], { env })
    expect(changed.code).toBe(1)
    expect(changed.stderr).toContain('a file already exists with different content: jobs-kit-worker@.service')
    expect(changed.stderr).toContain('--force overwrites it')
    expect(readFileSync(path, 'utf8')).toContain('RestartSec=30')

    const forced = await runCli(['setup', 'systemd', '--cwd', app.appRoot, '--yes', '--force'], { env })
    expect(forced.code).toBe(0)
    expect(readFileSync(path, 'utf8')).toContain('RestartSec=5')
    expect(forced.stdout).toContain('jobs-kit-worker@all.0')
  })
})
