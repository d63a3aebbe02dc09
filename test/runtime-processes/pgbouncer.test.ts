/**
 * Real workers whose `pg` option goes through PgBouncer in transaction mode
 * (the named prepared statements of pg-pool.ts against a pooler that may
 * hand each statement to another server connection).
 *
 * Needs a `pgbouncer` binary: PGBOUNCER_BIN, else /usr/sbin/pgbouncer
 * (Debian 12's is 1.18, which keeps no prepared statements; .ci/run installs
 * it). Skipped without one on a developer's machine; a failure under CI.
 *
 * PgBouncer 1.21+ with max_prepared_statements > 0 keeps prepared
 * statements under its own names, one per statement text: that case is
 * tested against PostgreSQL with a wrapper that renames statements the same
 * way (pg-prepared-statements.test.ts), and was run by hand through
 * PgBouncer 1.25 built from source (docs/benchmarks.md).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countByKey, createProcessTestApp, waitUntil, type ProcessTestApp } from './support.js'

const binary = process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer'
const version = existsSync(binary) ? /PgBouncer (\d+)\.(\d+)/.exec(spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout) : null
/** PgBouncer 1.21 added max_prepared_statements (prepared statements in transaction mode). */
const keepsPreparedStatements = version !== null && (Number(version[1]) > 1 || Number(version[2]) >= 21)

interface Bouncer {
  port: number
  stop(): void
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** PgBouncer in transaction mode in front of 127.0.0.1:5432, every database, trust. */
async function startPgBouncer(settings: string): Promise<Bouncer> {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-pgbouncer-'))
  chmodSync(dir, 0o777)
  const port = await freePort()
  writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n')
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      '* = host=127.0.0.1 port=5432',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      // Fewer server connections than client ones: statements of one client land on several server connections.
      'default_pool_size = 3',
      'max_client_conn = 500',
      'ignore_startup_parameters = extra_float_digits,options',
      settings,
    ].join('\n'),
  )
  // PgBouncer refuses to run as root.
  const asUser = process.getuid?.() === 0 ? ['-u', 'nobody'] : []
  const child: ChildProcess = spawn(binary, [...asUser, join(dir, 'pgbouncer.ini')], { stdio: 'ignore' })
  await waitUntil('PgBouncer to listen', () => spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', String(port)]).status === 0, 10_000)
  return {
    port,
    stop() {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function throughBouncer(databaseUrl: string, port: number, pgbouncerParameter: boolean): string {
  const url = new URL(databaseUrl)
  url.port = String(port)
  if (pgbouncerParameter) url.searchParams.set('pgbouncer', 'true')
  return url.toString()
}

/** Runs `jobCount` jobs on `workers` processes through the bouncer; every job exactly once, and few errors logged. */
async function runAll(app: ProcessTestApp, pgUrl: string, options: { workers: number; concurrency: number; jobCount: number; duringRun?: () => Promise<void> }) {
  const work = app.runner(['work', '-n', String(options.workers), '--logger', 'warn'], {
    env: { WORKER_PG_QUERIES: '1', WORKER_PG_URL: pgUrl, WORKER_CONCURRENCY: String(options.concurrency) },
  })
  const keys = Array.from({ length: options.jobCount }, (_, index) => `job-${index}`)
  const half = Math.floor(keys.length / 2)
  await app.insertJobs(keys.slice(0, half).map((key) => ({ name: 'RecordJob', args: [key] })))
  await waitUntil('a first job to run', () => app.events().length > 0, 30_000)
  await options.duringRun?.()
  await app.insertJobs(keys.slice(half).map((key) => ({ name: 'RecordJob', args: [key] })))
  try {
    await waitUntil('every job to run', () => app.events().length >= keys.length, 60_000)
    await waitUntil('the table to empty', async () => (await app.rows()).length === 0, 15_000)
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${app.events().length}/${keys.length} ran. Worker output:\n${work.output().slice(-3000)}`)
  }
  // Every worker up (its pid file is written in the same tick as its SIGINT handler is set):
  // on a loaded machine one child may still be starting when the other has run every job,
  // and a SIGINT before its handler is set kills it (exit 130).
  await waitUntil('every worker to be up', () => existsSync(join(app.appRoot, '.jobs-kit', 'pids')) && readdirSync(join(app.appRoot, '.jobs-kit', 'pids')).length === options.workers, 60_000)
  work.child.kill('SIGINT')
  const code = await work.exited()
  if (code !== 0) throw new Error(`the workers exited with ${code} on SIGINT. Output:\n${work.output().slice(-3000)}`)
  const done = countByKey(app.events(), 'done')
  expect(done.size).toBe(keys.length)
  expect([...done.values()].filter((count) => count !== 1)).toEqual([])
  return work.output()
}

if (version === null && process.env.CI) {
  describe('PgBouncer for the pooler test', () => {
    it('is installed (.ci/run installs Debian\'s pgbouncer package)', () => {
      throw new Error(`no pgbouncer binary at ${binary}: install it (apt-get install -y pgbouncer) or set PGBOUNCER_BIN`)
    })
  })
}

describe.skipIf(version === null)(`workers with the pg option through PgBouncer ${version?.[0] ?? '(not installed)'} in transaction mode`, () => {
  let bouncer: Bouncer
  beforeAll(async () => {
    bouncer = await startPgBouncer(keepsPreparedStatements ? 'max_prepared_statements = 0' : '')
  })
  afterAll(() => bouncer?.stop())

  it.each([
    { pgbouncerParameter: false, concurrency: 1 },
    { pgbouncerParameter: false, concurrency: 10 },
    { pgbouncerParameter: true, concurrency: 10 },
  ])('runs every job exactly once (pgbouncer=true: $pgbouncerParameter, concurrency $concurrency, no prepared statements kept)', async ({ pgbouncerParameter, concurrency }) => {
    const app = await createProcessTestApp('postgresql', { sleepDelaySeconds: 0.05 })
    try {
      const output = await runAll(app, throughBouncer(app.database.url, bouncer.port, pgbouncerParameter), { workers: 3, concurrency, jobCount: 300 })
      expect(output).not.toMatch(/prepared statement/i)
    } finally {
      await app.cleanup()
    }
  }, 120_000)

  it('runs every job exactly once, by polling, when notify is given the pooler anyway (LISTEN through a transaction pooler hears nothing)', async () => {
    const app = await createProcessTestApp('postgresql', { sleepDelaySeconds: 0.5 })
    try {
      const url = throughBouncer(app.database.url, bouncer.port, false)
      const work = app.runner(['work', '-n', '2', '--logger', 'warn'], { env: { WORKER_PG_QUERIES: '1', WORKER_PG_URL: url, WORKER_NOTIFY_URL: url } })
      await new Promise((resolve) => setTimeout(resolve, 3000))
      const keys = Array.from({ length: 100 }, (_, index) => `job-${index}`)
      for (const key of keys) {
        await app.insertJobs([{ name: 'RecordJob', args: [key] }])
        // What schedule sends with the notify option: through the pooler, to a server connection the listener left.
        await app.database.db.$executeRawUnsafe(`SELECT pg_notify('jobs_kit', 'default')`)
      }
      await waitUntil('every job to run', () => app.events().length >= keys.length, 60_000)
      await waitUntil('the table to empty', async () => (await app.rows()).length === 0, 15_000)
      work.child.kill('SIGINT')
      expect(await work.exited()).toBe(0)
      expect([...countByKey(app.events(), 'done').values()].filter((count) => count !== 1)).toEqual([])
    } finally {
      await app.cleanup()
    }
  }, 120_000)
})
