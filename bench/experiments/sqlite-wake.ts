/**
 * How fast, and at what idle cost, can a process learn that another process
 * committed to a SQLite file? Diagnostic for the SQLite wake-up of
 * src/runtime/adapters/prisma/sqlite-file-watcher.ts.
 *
 *   node --import tsx bench/experiments/sqlite-wake.ts
 *
 * For each journal mode (DELETE, WAL) and each method, a child process
 * watches while this process commits one INSERT every 30 ms, 100 times; the
 * child reports the first wake after each commit. Latency: commit returned →
 * child's wake callback (both clocks are performance.timeOrigin + now).
 * Idle CPU: the child's user + system CPU over 3 s without commits.
 */
import Database from 'better-sqlite3'
import { fork } from 'node:child_process'
import { statSync, watch, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'

const METHODS = ['watch-dir', 'watch-file', 'stat-poll-5ms', 'data-version-5ms', 'data-version-20ms'] as const
type Method = (typeof METHODS)[number]
const now = () => performance.timeOrigin + performance.now()

if (process.env.WAKE_CHILD) {
  const file = process.env.WAKE_FILE!
  const method = process.env.WAKE_CHILD as Method
  let wakes = 0
  const wake = () => {
    wakes++
    process.send!({ wake: now() })
  }
  const names = new Set([basename(file), `${basename(file)}-wal`, `${basename(file)}-journal`])
  if (method === 'watch-dir') {
    watch(dirname(file), (_event, name) => { if (name && names.has(name)) wake() })
  } else if (method === 'watch-file') {
    watch(file, () => wake())
    try { watch(`${file}-wal`, () => wake()) } catch {}
  } else if (method === 'stat-poll-5ms') {
    const sig = () => [file, `${file}-wal`].map((f) => { try { const s = statSync(f); return `${s.mtimeMs}:${s.size}` } catch { return '-' } }).join('|')
    let last = sig()
    setInterval(() => { const next = sig(); if (next !== last) { last = next; wake() } }, 5)
  } else {
    const db = new Database(file, { readonly: true })
    const stmt = db.prepare('PRAGMA data_version').pluck()
    let last = stmt.get()
    setInterval(() => { const next = stmt.get(); if (next !== last) { last = next; wake() } }, method === 'data-version-5ms' ? 5 : 20)
  }
  process.on('message', (message: { cpu?: boolean }) => {
    if (message.cpu) process.send!({ cpu: process.cpuUsage(), wakes })
  })
  process.send!({ ready: true })
} else {
  for (const mode of ['DELETE', 'WAL']) {
    for (const method of METHODS) {
      const dir = mkdtempSync(join(tmpdir(), 'jk-wake-'))
      const file = join(dir, 'app.db')
      const db = new Database(file)
      db.pragma(`journal_mode = ${mode}`)
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)')
      const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
      const child = fork(new URL(import.meta.url).pathname, [], { env: { ...process.env, WAKE_CHILD: method, WAKE_FILE: file }, execArgv: process.execArgv })
      const wakes: number[] = []
      let cpuReply: ((value: { cpu: NodeJS.CpuUsage; wakes: number }) => void) | undefined
      await new Promise<void>((resolve) => child.on('message', (m: { ready?: boolean; wake?: number; cpu?: NodeJS.CpuUsage; wakes?: number }) => {
        if (m.ready) resolve()
        if (m.wake) wakes.push(m.wake)
        if (m.cpu) cpuReply?.(m as { cpu: NodeJS.CpuUsage; wakes: number })
      }))
      const askCpu = () => new Promise<{ cpu: NodeJS.CpuUsage; wakes: number }>((resolve) => { cpuReply = resolve; child.send({ cpu: true }) })
      await new Promise((r) => setTimeout(r, 300))
      const idle0 = await askCpu()
      await new Promise((r) => setTimeout(r, 3000))
      const idle1 = await askCpu()
      const idleCpuMsPerS = ((idle1.cpu.user + idle1.cpu.system - idle0.cpu.user - idle0.cpu.system) / 1000) / 3
      const latencies: number[] = []
      let missed = 0
      for (let i = 0; i < 100; i++) {
        wakes.length = 0
        insert.run(`row ${i}`)
        const committed = now()
        await new Promise((r) => setTimeout(r, 30))
        const first = wakes.find((t) => t >= committed - 5)
        if (first === undefined) missed++
        else latencies.push(Math.max(0, first - committed))
      }
      latencies.sort((a, b) => a - b)
      const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(2)
      console.log(`${mode.padEnd(6)} ${method.padEnd(18)} p50 ${p(0.5)} ms  p95 ${p(0.95)} ms  missed ${missed}/100  idle CPU ${idleCpuMsPerS.toFixed(2)} ms/s  idle wakes ${idle1.wakes - idle0.wakes}`)
      child.kill()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
