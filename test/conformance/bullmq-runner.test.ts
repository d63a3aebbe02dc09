/**
 * The BullMQ adapter in an app's config, run by the real runner process: a
 * job that names the `redis` adapter is stored in Redis by `later()` (whose
 * default adapter is another one), and `workoff` on a worker pointed at
 * `redis` runs it, then exits (the runner closes the adapter's connections).
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../support/prisma-clients.js'
import { createTestRedis, type TestRedis } from '../support/redis.js'

const configPath = join(repoRoot, 'test/conformance/bullmq-app/jobs.ts')
const cliPath = join(repoRoot, 'src/runtime/runner/cli.ts')
const tsxLoader = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href

describe('BullMQAdapter through the runner', () => {
  let redis: TestRedis
  let dir: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    redis = await createTestRedis()
    dir = mkdtempSync(join(tmpdir(), 'jobs-kit-bullmq-'))
    writeFileSync(join(dir, 'side-effects.log'), '')
    env = {
      ...process.env,
      REDIS_HOST: redis.connection.host,
      REDIS_PORT: String(redis.connection.port),
      REDIS_PREFIX: redis.prefix,
      SIDE_EFFECT_FILE: join(dir, 'side-effects.log'),
    }
  })
  afterAll(async () => {
    await redis?.drop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  async function run(args: string[]): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['--import', tsxLoader, cliPath, '--config', configPath, ...args], { cwd: dir, env })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const [code] = await once(child, 'exit')
    clearTimeout(timer)
    return { code, output }
  }

  it('stores a job naming the redis adapter in Redis, and workoff runs it and exits', async () => {
    // Schedules through the config in another process, as app code would.
    const schedule = `
      const { jobs, later } = await import(${JSON.stringify(pathToFileURL(configPath).href)})
      const index = await jobs.loadJob('SendEmailJob')
      console.log('id', await later(index, ['a@b.c']))
      console.log('status', JSON.stringify(await jobs.adapters.redis.status()))
      await jobs.adapters.redis.close()
    `
    const scheduler = spawn(process.execPath, ['--import', tsxLoader, '--input-type=module', '-e', schedule], { cwd: dir, env })
    let out = ''
    scheduler.stdout.on('data', (chunk) => (out += chunk))
    scheduler.stderr.on('data', (chunk) => (out += chunk))
    const [code] = await once(scheduler, 'exit')
    expect(code, out).toBe(0)
    expect(out).toContain('"queue":"email","waiting":1')

    const status = await run(['status'])
    expect(status.code, status.output).toBe(0)
    expect(status.output).toMatch(/email/)

    const workoff = await run(['workoff'])
    expect(workoff.code, workoff.output).toBe(0)
    expect(readFileSync(env.SIDE_EFFECT_FILE!, 'utf8')).toBe('sent a@b.c\n')
  })
})
