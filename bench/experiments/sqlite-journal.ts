/**
 * The SQLite ceiling loop (claim + delete through better-sqlite3) in one
 * process, with no reader polling, under three journal settings (diagnostic).
 */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readMigrationSql } from '../../test/support/prisma-clients.js'
import { NOOP_HANDLER, SQLITE_CLAIM, SQLITE_DELETE, STALE_MS } from '../ceiling/claim-sql.js'

for (const [label, pragmas] of [
  ['journal_mode=DELETE, synchronous=FULL (defaults)', []],
  ['journal_mode=WAL, synchronous=FULL', ['journal_mode = WAL']],
  ['journal_mode=WAL, synchronous=NORMAL', ['journal_mode = WAL', 'synchronous = NORMAL']],
] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'jk-sqlite-'))
  const db = new Database(join(dir, 'x.db'))
  for (const p of pragmas) db.pragma(p)
  db.exec(readMigrationSql('sqlite', 'default'))
  const insert = db.prepare('INSERT INTO "BackgroundJob" ("handler", "queue", "priority", "runAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)')
  const base = Date.now() - 3_600_000
  db.transaction(() => { for (let i = 0; i < 2000; i++) insert.run(NOOP_HANDLER, 'default', 50, new Date(base + i).toISOString(), new Date().toISOString(), new Date().toISOString()) })()
  const claim = db.prepare(SQLITE_CLAIM)
  const remove = db.prepare(SQLITE_DELETE)
  const started = performance.now()
  let n = 0
  for (;;) {
    const now = new Date().toISOString()
    const row = claim.get(now, 'me', now, now, new Date(Date.now() - STALE_MS).toISOString(), 'me') as { id: number } | undefined
    if (!row) break
    remove.run(row.id)
    n++
  }
  const ms = performance.now() - started
  console.log(`${label}: ${n} jobs, ${((n * 1000) / ms).toFixed(0)} jobs/s, ${(ms / n).toFixed(2)} ms/job`)
  db.close()
  rmSync(dir, { recursive: true, force: true })
}
