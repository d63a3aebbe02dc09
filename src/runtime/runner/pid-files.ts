import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Pid files of detached workers: `<appRoot>/.jobs-kit/pids/<title>.pid`, one
 * per worker, holding its process id. `start` and `stop` track workers by
 * these files, not by grepping `ps`.
 *
 * A worker writes its own file once it is up (title set, config loaded) and
 * removes it when it exits; `stop` and `status` remove files whose process is
 * gone (a worker that was SIGKILLed leaves its file behind).
 */
export function pidDirectory(appRoot: string): string {
  return join(appRoot, '.jobs-kit', 'pids')
}

export function pidFilePath(appRoot: string, title: string): string {
  return join(pidDirectory(appRoot), `${title}.pid`)
}

export function writePidFile(appRoot: string, title: string, pid: number): void {
  mkdirSync(pidDirectory(appRoot), { recursive: true })
  writeFileSync(pidFilePath(appRoot, title), `${pid}\n`)
}

/** Removes the pid file of `title`, only if it still names `pid` (a newer worker may have replaced it). */
export function removePidFile(appRoot: string, title: string, pid?: number): void {
  const path = pidFilePath(appRoot, title)
  if (pid !== undefined && readPid(path) !== pid) return
  rmSync(path, { force: true })
}

/**
 * Removes a pid file found stale, after checking again that it still holds
 * the same dead pid: a worker starting meanwhile may have written its own.
 */
export function removeStalePidFile(appRoot: string, entry: PidFileEntry): void {
  const path = pidFilePath(appRoot, entry.title)
  const pid = readPid(path)
  if (pid !== entry.pid) return
  if (pid !== undefined && isWorkerAlive(pid, entry.title)) return
  rmSync(path, { force: true })
}

/** A worker known from its pid file. */
export interface PidFileEntry {
  title: string
  path: string
  /** Undefined when the file does not hold a number. */
  pid: number | undefined
  /** Whether that process is still a running jobs-kit worker. */
  alive: boolean
}

/** Every pid file, sorted by title, with whether its worker still runs. */
export function readPidFiles(appRoot: string): PidFileEntry[] {
  let names: string[]
  try {
    names = readdirSync(pidDirectory(appRoot))
  } catch {
    return []
  }
  return names
    .filter((name) => name.startsWith('jobs-kit-worker.') && name.endsWith('.pid'))
    .sort()
    .map((name) => {
      const path = join(pidDirectory(appRoot), name)
      const title = name.slice(0, -'.pid'.length)
      const pid = readPid(path)
      return { title, path, pid, alive: pid !== undefined && isWorkerAlive(pid, title) }
    })
}

/**
 * Whether `pid` is a live process that is the worker `title`: its process
 * title must be exactly `title`, so a pid reused by an unrelated process after
 * a crash is not taken for the worker (and not signalled), nor is worker
 * `…all.10` taken for worker `…all.1`. Read from `/proc` on Linux, from `ps`
 * elsewhere (macOS, BSD); only where neither exists (Windows) does any live
 * process with that pid count.
 */
export function isWorkerAlive(pid: number, title: string): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    // ESRCH: gone. EPERM: a process of another user, so not our worker.
    return false
  }
  const shown = readProcessTitle(pid)
  if (shown === undefined) return true
  if (shown === title) return true
  // Node cannot make the title longer than the command line it started
  // with, so a worker started with a short one shows a cut title.
  return shown.length >= WORKER_TITLE_PREFIX.length && shown.length < title.length && title.startsWith(shown)
}

/**
 * The title a process shows (its first command-line word), `''` for a zombie
 * (exited, not yet reaped), or undefined when this system cannot tell.
 */
function readProcessTitle(pid: number): string | undefined {
  try {
    return (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '').trim()
  } catch {
    // No /proc (or the process just went): ask ps.
  }
  try {
    const line = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return line.trim().split(/\s+/)[0] ?? ''
  } catch (error) {
    // ps exits 1 when there is no such process: gone since kill(0).
    if ((error as { status?: unknown }).status === 1) return ''
    return undefined
  }
}

const WORKER_TITLE_PREFIX = 'jobs-kit-worker.'

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10)
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}
