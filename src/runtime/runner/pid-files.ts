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
 * Whether `pid` is a live process that is the worker `title`. Where `/proc`
 * exists (Linux) the command line must show the title, so a pid reused by an
 * unrelated process after a crash is not taken for the worker (and not signalled).
 */
export function isWorkerAlive(pid: number, title: string): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    // ESRCH: gone. EPERM: a process of another user, so not our worker.
    return false
  }
  try {
    // Empty for a zombie (exited, not yet reaped): not alive either.
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    if (commandLine.includes(title)) return true
    // Node cannot make the title longer than the command line it started
    // with, so a worker started with a short one shows a cut title.
    const shown = commandLine.split('\0')[0].trim()
    return shown.length >= WORKER_TITLE_PREFIX.length && title.startsWith(shown)
  } catch {
    return true
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
