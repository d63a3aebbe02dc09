import { currentJob } from '../../../../src/runtime/index.js'
import { finishRunSql, insertRunSql } from '../../../chaos/chaos-runs-table.js'
import type { Provider } from '../../../lib/databases.js'
import { jobs } from '../lib/jobs.js'
import { db } from '../lib/db.js'

const provider = process.env.BENCH_PROVIDER as Provider

/**
 * The chaos run's job: records each run (job id, worker name, pid, start
 * time) in the `ChaosRun` side table of the same database, takes a few
 * milliseconds, so SIGKILLs land on running jobs now and then, and records
 * when its work was done (when it can: see below).
 */
export const ChaosJob = jobs.createJob({
  queue: 'default',
  name: 'ChaosJob',
  perform: async (sequence: number, workMs: number) => {
    const jobId = currentJob()?.id ?? 0
    const startedAtMs = Date.now()
    await db.$executeRawUnsafe(insertRunSql(provider), jobId, sequence, process.title, process.pid, startedAtMs)
    if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, workMs))
    // Best effort: the run did its work either way, and a throw here would fail the job
    // and retry it, an extra run caused by the bookkeeping, not by the chaos.
    await db.$executeRawUnsafe(finishRunSql(provider), Date.now(), jobId, process.pid, startedAtMs).catch(() => {})
  },
})
