/**
 * The least SQL one job needs, per database: one claim (find + lock the next
 * due job, the same condition and order jobs-kit's adapter uses) and one
 * delete. The ceiling benchmark runs exactly this through the raw driver, so
 * it is the rate no queue on that database can beat without batching.
 */
import { hostname } from 'node:os'
import { DEFAULT_STALE_LOCK_SECONDS } from '../../src/runtime/defaults.js'

/** Columns and condition as in src/runtime/adapters/prisma/sql/due-condition.ts (values bound, app clock). */
const DUE = `("runAt" IS NULL OR "runAt" <= $now) AND "failedAt" IS NULL AND ("lockedAt" IS NULL OR "lockedAt" < $stale OR "lockedBy" = $me)`
const ORDER = `"priority" ASC, "runAt" ASC, "id" ASC`

/** PostgreSQL: one statement, `FOR UPDATE SKIP LOCKED` inside `UPDATE … RETURNING`. */
export const PG_CLAIM = `UPDATE "BackgroundJob" SET "lockedAt" = $1, "lockedBy" = $3, "attempts" = "attempts" + 1, "updatedAt" = $1
WHERE "id" = (SELECT "id" FROM "BackgroundJob" WHERE ${DUE.replace('$now', '$1').replace('$stale', '$2').replace('$me', '$3')}
  ORDER BY ${ORDER} LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING *`
export const PG_DELETE = `DELETE FROM "BackgroundJob" WHERE "id" = $1`

/** MariaDB: a transaction around `SELECT … FOR UPDATE SKIP LOCKED` and the `UPDATE` (no `UPDATE … RETURNING`). */
const MY_DUE = DUE.replaceAll('"', '`').replace('$now', '?').replace('$stale', '?').replace('$me', '?')
export const MARIADB_SELECT = `SELECT * FROM \`BackgroundJob\` WHERE ${MY_DUE} ORDER BY ${ORDER.replaceAll('"', '`')} LIMIT 1 FOR UPDATE SKIP LOCKED`
export const MARIADB_LOCK = 'UPDATE `BackgroundJob` SET `lockedAt` = ?, `lockedBy` = ?, `attempts` = `attempts` + 1, `updatedAt` = ? WHERE `id` = ?'
export const MARIADB_DELETE = 'DELETE FROM `BackgroundJob` WHERE `id` = ?'

/** SQLite: one `UPDATE … RETURNING` (SQLite has one writer at a time, so no row locks are needed). */
export const SQLITE_CLAIM = `UPDATE "BackgroundJob" SET "lockedAt" = ?, "lockedBy" = ?, "attempts" = "attempts" + 1, "updatedAt" = ?
WHERE "id" = (SELECT "id" FROM "BackgroundJob" WHERE ${DUE.replace('$now', '?').replace('$stale', '?').replace('$me', '?')}
  ORDER BY ${ORDER} LIMIT 1)
RETURNING *`
export const SQLITE_DELETE = `DELETE FROM "BackgroundJob" WHERE "id" = ?`

/** A handler like the ones jobs-kit stores, so rows have the same size. */
export const NOOP_HANDLER = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })

export function ceilingProcessName(index: number): string {
  return `${hostname()}:ceiling.${process.pid}.${index}`
}

/** What counts as a stale lock: jobs-kit's threshold (60 s; heartbeats keep running jobs fresh). */
export const STALE_MS = DEFAULT_STALE_LOCK_SECONDS * 1000
