/**
 * Helpers for the process tests: a fresh database and app folder per test,
 * the runner started as a real process under tsx, and the side-effect log the
 * test app's jobs write (see app/record.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createTestDatabase, type TestDatabase, type TestProvider } from '../support/databases.js'

const here = fileURLToPath(new URL('.', import.meta.url))
export const repoRoot = resolve(here, '../..')
export const cliPath = join(repoRoot, 'src/runtime/runner/cli.ts')
export const configPath = join(here, 'app/jobs.ts')
const tsxLoader = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href

/** One test's world: its own database, app root (pid files, logs) and side-effect file. */
export interface ProcessTestApp {
  database: TestDatabase
  appRoot: string
  sideEffectFile: string
  env: NodeJS.ProcessEnv
  /** Starts the runner: `node --import tsx cli.ts --config app/jobs.ts …args` (no --config with `config: false`). */
  runner(args: string[], options?: { env?: NodeJS.ProcessEnv; config?: boolean }): RunnerProcess
  /** Inserts jobs straight into the table (the stored shape `later()` writes). */
  insertJobs(jobs: { name: string; args: unknown[]; queue?: string; priority?: number; runAt?: Date }[]): Promise<void>
  rows(): Promise<Record<string, unknown>[]>
  /** Side-effect lines, parsed. */
  events(): { event: string; key: string; pid: number; atMs: number }[]
  cleanup(): Promise<void>
}

export interface RunnerProcess {
  child: ChildProcess
  /** Everything printed so far (stdout and stderr). */
  output(): string
  /** Resolves with the exit code (128 + n for a signal), failing after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number>
}

export async function createProcessTestApp(
  provider: TestProvider,
  workerEnv: { maxRuntimeSeconds?: number; sleepDelaySeconds?: number; maxAttempts?: number; pgQueries?: boolean; betterSqlite3?: boolean } = {},
): Promise<ProcessTestApp> {
  const database = await createTestDatabase(provider)
  const appRoot = mkdtempSync(join(tmpdir(), 'jobs-kit-processes-'))
  const sideEffectFile = join(appRoot, 'side-effects.log')
  writeFileSync(sideEffectFile, '')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DB_PROVIDER: provider,
    DATABASE_URL: database.url,
    SIDE_EFFECT_FILE: sideEffectFile,
    WORKER_MAX_RUNTIME: String(workerEnv.maxRuntimeSeconds ?? 60),
    WORKER_SLEEP_DELAY: String(workerEnv.sleepDelaySeconds ?? 0.2),
    WORKER_MAX_ATTEMPTS: String(workerEnv.maxAttempts ?? 5),
    // PostgreSQL: the adapter's `pg` option (finding queries through a pg pool).
    WORKER_PG_QUERIES: workerEnv.pgQueries ? '1' : '',
    // SQLite: the adapter's `betterSqlite3` option (the worker's statements on a better-sqlite3 connection).
    WORKER_BETTER_SQLITE3: workerEnv.betterSqlite3 ? '1' : '',
  }
  delete env.JOBS_KIT_CONFIG
  const started: RunnerProcess[] = []
  const delegate = database.db[database.model.charAt(0).toLowerCase() + database.model.slice(1)]

  return {
    database,
    appRoot,
    sideEffectFile,
    env,
    runner(args, options = {}) {
      const configArgs = options.config === false ? [] : ['--config', configPath]
      const runner = startRunner([...configArgs, ...args], appRoot, { ...env, ...options.env })
      started.push(runner)
      return runner
    },
    async insertJobs(jobs) {
      const now = new Date()
      const data = jobs.map((job) => ({
        handler: JSON.stringify({ name: job.name, path: `${job.name}/${job.name}`, args: job.args }),
        queue: job.queue ?? 'default',
        priority: job.priority ?? 50,
        runAt: job.runAt ?? now,
      }))
      // In chunks: one statement per chunk keeps bind parameters under every driver's limit.
      for (let index = 0; index < data.length; index += 500) {
        await delegate.createMany({ data: data.slice(index, index + 500) })
      }
    },
    rows: () => delegate.findMany({ orderBy: { id: 'asc' } }),
    events() {
      return readFileSync(sideEffectFile, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const [event, key, pid, atMs] = line.split(' ')
          return { event, key, pid: Number(pid), atMs: Number(atMs) }
        })
    },
    async cleanup() {
      for (const runner of started) {
        if (runner.child.exitCode === null && runner.child.signalCode === null) runner.child.kill('SIGKILL')
      }
      // Workers started detached by `start` are not our children: kill them by their pid files.
      killDetachedWorkers(appRoot)
      await database.drop()
      rmSync(appRoot, { recursive: true, force: true })
    },
  }
}

function startRunner(args: string[], cwd: string, env: NodeJS.ProcessEnv): RunnerProcess {
  const child = spawn(process.execPath, ['--import', tsxLoader, cliPath, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exit = once(child, 'exit').then(([code, signal]) =>
    code ?? 128 + ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal as string],
  )
  return {
    child,
    output: () => output,
    async exited(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`runner ${args.join(' ')} did not exit within ${timeoutMs} ms. Output:\n${output}`)), timeoutMs)
      })
      try {
        return await Promise.race([exit, timeout])
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

function killDetachedWorkers(appRoot: string): void {
  const pidDir = join(appRoot, '.jobs-kit', 'pids')
  if (!existsSync(pidDir)) return
  for (const name of readdirNames(pidDir)) {
    const pid = Number.parseInt(readFileSync(join(pidDir, name), 'utf8'), 10)
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

function readdirNames(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

/** Polls `check` every 50 ms until it returns true, failing after `timeoutMs` with `what`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
}

/** How many times each key has an `event` line. */
export function countByKey(events: { event: string; key: string }[], event: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const line of events) if (line.event === event) counts.set(line.key, (counts.get(line.key) ?? 0) + 1)
  return counts
}

/** Whether `pid` is a live process (a zombie, exited but not reaped by init, is not). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}
