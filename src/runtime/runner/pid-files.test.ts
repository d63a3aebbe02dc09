import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isWorkerAlive, pidFilePath, readPidFiles, removePidFile, removeStalePidFile, writePidFile } from './pid-files.js'

let appRoot: string
beforeEach(() => {
  appRoot = mkdtempSync(join(tmpdir(), 'jobs-kit-pids-'))
})
afterEach(() => {
  rmSync(appRoot, { recursive: true, force: true })
})

describe('pid files', () => {
  it('live at .jobs-kit/pids/<title>.pid and hold the pid', () => {
    writePidFile(appRoot, 'jobs-kit-worker.email.0', 1234)
    const path = join(appRoot, '.jobs-kit', 'pids', 'jobs-kit-worker.email.0.pid')
    expect(pidFilePath(appRoot, 'jobs-kit-worker.email.0')).toBe(path)
    expect(readFileSync(path, 'utf8')).toBe('1234\n')
  })

  it('reads no workers when the folder does not exist', () => {
    expect(readPidFiles(appRoot)).toEqual([])
  })

  it('report a live worker as alive when its command line shows its title', async () => {
    const title = 'jobs-kit-worker.all.7'
    const child = await spawnTitled(title)
    try {
      writePidFile(appRoot, title, child.pid!)
      expect(readPidFiles(appRoot)).toEqual([
        { title, path: pidFilePath(appRoot, title), pid: child.pid, alive: true },
      ])
      // The same pid under another worker's name is not that worker (a reused pid).
      expect(isWorkerAlive(child.pid!, 'jobs-kit-worker.all.8')).toBe(false)
      // …nor under a name its title merely contains or starts with.
      expect(isWorkerAlive(child.pid!, 'jobs-kit-worker.all.')).toBe(false)
      expect(isWorkerAlive(child.pid!, 'jobs-kit-worker.all')).toBe(false)
    } finally {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
    // Dead now: the file is stale.
    expect(readPidFiles(appRoot)[0].alive).toBe(false)
  })

  it('do not take worker …all.10 for worker …all.1', async () => {
    const child = await spawnTitled('jobs-kit-worker.all.10')
    try {
      expect(isWorkerAlive(child.pid!, 'jobs-kit-worker.all.10')).toBe(true)
      expect(isWorkerAlive(child.pid!, 'jobs-kit-worker.all.1')).toBe(false)
    } finally {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
  })

  it('remove a stale file only if it still holds the dead pid (a new worker may have replaced it)', async () => {
    const title = 'jobs-kit-worker.all.3'
    writePidFile(appRoot, title, 999_999_999)
    const [stale] = readPidFiles(appRoot)
    expect(stale.alive).toBe(false)
    // Meanwhile a new worker of that name starts and writes its pid.
    const child = await spawnTitled(title)
    try {
      writePidFile(appRoot, title, child.pid!)
      removeStalePidFile(appRoot, stale)
      expect(readFileSync(pidFilePath(appRoot, title), 'utf8')).toBe(`${child.pid}\n`)
    } finally {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
    const [dead] = readPidFiles(appRoot)
    removeStalePidFile(appRoot, dead)
    expect(existsSync(pidFilePath(appRoot, title))).toBe(false)
  })

  it('recognise a worker whose title the OS cut short', async () => {
    const title = 'jobs-kit-worker.a-very-long-list-of-queue-names-that-will-not-fit-in-argv.0'
    // `node <short path>`: Node can fit only the start of the title in that command line.
    const script = join(appRoot, 'w.js')
    writeFileSync(script, `process.title = ${JSON.stringify(title)}; setInterval(() => {}, 1000)`)
    const child = spawn(process.execPath, [script])
    try {
      await waitFor(() => readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith('jobs-kit-worker.'))
      expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')).not.toContain(title)
      expect(isWorkerAlive(child.pid!, title)).toBe(true)
      expect(isWorkerAlive(child.pid!, 'jobs-kit-worker.email.0')).toBe(false)
    } finally {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
  })

  it('report a file that does not hold a number as not alive, and ignore other files', () => {
    writePidFile(appRoot, 'jobs-kit-worker.all.0', 1)
    writeFileSync(pidFilePath(appRoot, 'jobs-kit-worker.all.1'), 'garbage')
    writeFileSync(join(appRoot, '.jobs-kit', 'pids', 'notes.txt'), 'x')
    const entries = readPidFiles(appRoot)
    expect(entries.map((entry) => entry.title)).toEqual(['jobs-kit-worker.all.0', 'jobs-kit-worker.all.1'])
    // pid 1 is init, not a jobs-kit worker.
    expect(entries[0].alive).toBe(false)
    expect(entries[1]).toMatchObject({ pid: undefined, alive: false })
  })

  it('are removed only when they still name the given pid', () => {
    writePidFile(appRoot, 'jobs-kit-worker.all.0', 100)
    removePidFile(appRoot, 'jobs-kit-worker.all.0', 200)
    expect(existsSync(pidFilePath(appRoot, 'jobs-kit-worker.all.0'))).toBe(true)
    removePidFile(appRoot, 'jobs-kit-worker.all.0', 100)
    expect(existsSync(pidFilePath(appRoot, 'jobs-kit-worker.all.0'))).toBe(false)
    removePidFile(appRoot, 'jobs-kit-worker.all.0')
  })
})

/**
 * A process that sets its title to `title`, once the title shows. From a
 * script file with room to spare in its command line, so the title is never
 * cut and the command line does not contain the title before it is set.
 */
async function spawnTitled(title: string) {
  const script = join(appRoot, `titled-${Math.random().toString(36).slice(2)}.js`)
  writeFileSync(script, `process.title = ${JSON.stringify(title)}; setInterval(() => {}, 1000)`)
  const child = spawn(process.execPath, [script, 'x'.repeat(title.length + 20)])
  await waitFor(() => readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith(`${title}\0`))
  return child
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 250; i++) {
    try {
      if (check()) return
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('condition not met in 5 s')
}
