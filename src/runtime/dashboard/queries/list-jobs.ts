import { toStoredJobFromModel } from '../../adapters/prisma/job-row.js'
import type { StoredJob } from '../../types.js'
import { filterWhere, matchesFilter, mayOverMatch, type JobFilter } from './job-filter.js'
import type { StateClock } from './job-state.js'
import type { JobsDelegate } from './job-source.js'

/** `newest` and `oldest` by id (creation order); `next-due` by `runAt`, then id (jobs kept after success have none and are left out). */
export const JOB_ORDERS = ['newest', 'oldest', 'next-due'] as const
export type JobOrder = (typeof JOB_ORDERS)[number]

/** Where the previous page ended: its last job's id (and `runAt` for `next-due`). */
export interface PageCursor {
  id: number
  runAt?: Date
}


export interface JobPage {
  jobs: StoredJob[]
  /** The cursor of the next page, or undefined on the last page. */
  next: PageCursor | undefined
}

/**
 * One page of jobs, by keyset: the page after `after` is "the rows past the
 * last one shown" (`id < 1234`), which the primary key (or the runAt index)
 * answers directly, so page 50 costs what page 1 costs. OFFSET would read and
 * throw away every earlier row, and shift under the reader as jobs come and go.
 */
export async function listJobs(
  delegate: JobsDelegate,
  input: { filter: JobFilter; order: JobOrder; after?: PageCursor; pageSize: number; clock: StateClock; provider: string },
): Promise<JobPage> {
  const { order, filter } = input
  const orderBy = order === 'next-due' ? [{ runAt: 'asc' }, { id: 'asc' }] : [{ id: order === 'newest' ? 'desc' : 'asc' }]
  const exact = !mayOverMatch(filter, input.provider)
  // One row more than the page tells whether there is a next page, without a count.
  const wanted = input.pageSize + 1
  const rows: StoredJob[] = []
  let after = input.after
  for (;;) {
    const batch = (await delegate.findMany({ where: { AND: pageWhere(filter, order, after, input) }, orderBy, take: wanted })).map(toStoredJobFromModel)
    rows.push(...(exact ? batch : batch.filter((row) => matchesFilter(row, filter))))
    const last = batch[batch.length - 1]
    // Exact conditions fill the page in one query; a SQLite LIKE with `%`/`_` may need a few more (see job-filter.ts).
    if (exact || rows.length >= wanted || batch.length < wanted || !last) break
    after = { id: last.id, runAt: last.runAt ?? undefined }
  }
  const jobs = rows.slice(0, input.pageSize)
  const last = jobs[jobs.length - 1]
  const next = rows.length > input.pageSize && last ? { id: last.id, runAt: order === 'next-due' ? last.runAt ?? undefined : undefined } : undefined
  return { jobs, next }
}

function pageWhere(filter: JobFilter, order: JobOrder, after: PageCursor | undefined, input: { clock: StateClock; provider: string }): Record<string, unknown>[] {
  const where = filterWhere(filter, input.clock, input.provider)
  if (order === 'next-due') {
    where.push({ runAt: { not: null } })
    if (after?.runAt) where.push({ OR: [{ runAt: { gt: after.runAt } }, { runAt: after.runAt, id: { gt: after.id } }] })
  } else if (after) {
    where.push({ id: order === 'newest' ? { lt: after.id } : { gt: after.id } })
  }
  return where
}

/** One job by id, or null. */
export async function getJob(delegate: JobsDelegate, id: number): Promise<StoredJob | null> {
  const [row] = await delegate.findMany({ where: { id }, take: 1 })
  return row ? toStoredJobFromModel(row) : null
}

