/**
 * Worker processes for the benchmarks. Every benchmark worker is a real,
 * separate OS process; the parent talks to it over Node's IPC channel only to
 * learn when a latency job started (`{ type: 'started', key }`).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, resolve } from 'node:path'

/** The repository root (bench/ lives right under it). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface StartedMessage {
  type: 'started'
  key: string
}

export interface WorkerProcess {
  child: ChildProcess
  name: string
  /** Last lines the process wrote to stderr/stdout, for error messages. */
  output(): string
  exited: Promise<number | null>
}

export interface SpawnOptions {
  name: string
  /** Arguments after `node` (e.g. `['--import', 'tsx', 'bench/peers/…']`). */
  nodeArgs: string[]
  env?: Record<string, string>
  cwd?: string
  onMessage?: (message: unknown) => void
  /** Print the child's output as it comes (debugging). */
  echo?: boolean
  /** Every chunk the child writes to stdout or stderr. */
  onOutput?: (text: string) => void
}

const live = new Set<ChildProcess>()

/** SIGKILLs every worker this process started that is still running (for an interrupted run). */
export function killAllWorkers(): void {
  for (const child of live) child.kill('SIGKILL')
}

/** SIGTERMs every live child (drivers clean up their databases on it), then SIGKILLs what is left after `graceMs`. */
export async function terminateAllWorkers(graceMs = 15_000): Promise<void> {
  const children = [...live]
  const exits = children.map((child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()))))
  for (const child of children) child.kill('SIGTERM')
  const timer = setTimeout(killAllWorkers, graceMs)
  await Promise.all(exits)
  clearTimeout(timer)
}

/** Starts `node <nodeArgs>` with an IPC channel. */
export function spawnWorker(options: SpawnOptions): WorkerProcess {
  const child = spawn(process.execPath, options.nodeArgs, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let tail = ''
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000)
    options.onOutput?.(chunk.toString())
    if (options.echo || process.env.BENCH_ECHO) process.stderr.write(`[${options.name}] ${chunk}`)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  live.add(child)
  child.on('exit', () => live.delete(child))
  if (options.onMessage) child.on('message', options.onMessage)
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)))
  return { child, name: options.name, output: () => tail, exited }
}

/** Resolves when the child sends `{ type: 'ready' }`; rejects if it exits first or takes too long. */
export function waitForReady(worker: WorkerProcess, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${worker.name} not ready after ${timeoutMs} ms:\n${worker.output()}`)), timeoutMs)
    worker.child.on('message', (message: any) => {
      if (message?.type === 'ready') {
        clearTimeout(timer)
        resolveReady()
      }
    })
    worker.exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${worker.name} exited (${code}) before it was ready:\n${worker.output()}`))
    })
  })
}

/**
 * Waits until every worker said `ready` (they were started with BENCH_HOLD=1),
 * then tells them all to go (bench/lib/go-signal.ts).
 */
export async function releaseWhenReady(workers: WorkerProcess[], timeoutMs = 120_000): Promise<void> {
  await Promise.all(workers.map((worker) => waitForReady(worker, timeoutMs)))
  for (const worker of workers) worker.child.send({ type: 'go' })
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when every process is gone. */
export async function stopWorkers(workers: WorkerProcess[], graceMs = 3000): Promise<void> {
  await Promise.all(
    workers.map(async (worker) => {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) return
      worker.child.kill('SIGTERM')
      const timer = setTimeout(() => worker.child.kill('SIGKILL'), graceMs)
      await worker.exited
      clearTimeout(timer)
    }),
  )
}

/** Throws with the workers' output if any of them died (exit code 0 is a worker that finished). */
export function assertAlive(workers: WorkerProcess[]): void {
  for (const worker of workers) {
    if ((worker.child.exitCode !== null && worker.child.exitCode !== 0) || worker.child.signalCode !== null) {
      throw new Error(`${worker.name} exited (${worker.child.exitCode ?? worker.child.signalCode}):\n${worker.output()}`)
    }
  }
}

/**
 * CPU time (user + system, ms) a process has used so far, from
 * /proc/<pid>/stat; undefined where there is no /proc. The benchmark reports
 * worker CPU per job because, unlike wall time, it barely moves when other
 * processes load the machine.
 */
export function readCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND
  } catch {
    return undefined
  }
}

/** USER_HZ: 100 on every Linux that Node supports. */
const CLOCK_TICKS_PER_SECOND = 100

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
