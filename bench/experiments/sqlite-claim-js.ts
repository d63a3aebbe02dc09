/**
 * The JavaScript around one `betterSqlite3` finish-and-find, without SQLite: building the DELETE and claim SQL
 * with their values (`finishAndFindSqlite`), and turning the claimed row into a StoredJob (`toJobs`).
 * CPU µs per call, 100,000 calls, median of 5 (process.cpuUsage).
 *
 *   tsx bench/experiments/sqlite-claim-js.ts
 */
import { SqlParameters } from '../../src/runtime/adapters/prisma/sql/dialect.js'
import { claimDueJobsSqliteSql, toJobs } from '../../src/runtime/adapters/prisma/sql/find-sqlite.js'
import type { JobTable } from '../../src/runtime/adapters/prisma/job-table.js'
import { JOB_FIELDS } from '../../src/runtime/adapters/prisma/job-table.js'

const table: JobTable = {
  delegateName: 'backgroundJob',
  table: '"BackgroundJob"',
  column: Object.fromEntries(JOB_FIELDS.map((f) => [f, `"${f}"`])) as JobTable['column'],
  fieldOfColumn: new Map(JOB_FIELDS.map((f) => [f, f])),
}
const at = '2026-12-03T17:00:00.000+00:00'
const row = { id: 1, attempts: 1, handler: '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', queue: 'default', priority: 50, runAt: at, lockedAt: at, lockedBy: 'host:w', lastError: null, failedAt: null, createdAt: at, updatedAt: at }
const N = 100_000
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const time = (fn: () => unknown) => {
  const xs: number[] = []
  for (let r = 0; r < 5; r++) {
    const c = process.cpuUsage()
    for (let i = 0; i < N; i++) fn()
    const d = process.cpuUsage(c)
    xs.push((d.user + d.system) / N)
  }
  return median(xs).toFixed(2)
}
const sqlCache = new Map<string, unknown>()
console.log('build SQL + values + Map lookup:', time(() => {
  const now = new Date()
  const filter = { now, staleBefore: new Date(now.getTime() - 60_000), processName: 'host:w', takeBackLockedBefore: now, queues: '*' as const }
  const remove = new SqlParameters('sqlite')
  const deleteSql = `DELETE FROM ${table.table} WHERE ${table.column.id} IN ${remove.addList([1])}`
  const claim = new SqlParameters('sqlite')
  const claimSql = claimDueJobsSqliteSql(table, claim, filter, 1)
  sqlCache.get(deleteSql)
  sqlCache.get(claimSql)
}), 'µs')
console.log('toJobs (one row):', time(() => toJobs([{ ...row }], table)), 'µs')
