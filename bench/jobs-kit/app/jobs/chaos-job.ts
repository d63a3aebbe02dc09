import { currentJob } from '../../../../src/runtime/index.js'
import { jobs } from '../lib/jobs.js'
import { db } from '../lib/db.js'

/**
 * The chaos run's job: records each run (job id, worker name, pid) in the
 * `ChaosRun` side table of the same database, then takes a few milliseconds,
 * so SIGKILLs land on running jobs now and then.
 */
export const ChaosJob = jobs.createJob({
  queue: 'default',
  name: 'ChaosJob',
  perform: async (sequence: number, workMs: number) => {
    const job = currentJob()
    const table = process.env.BENCH_PROVIDER === 'mysql' ? '`ChaosRun`' : '"ChaosRun"'
    const placeholders = process.env.BENCH_PROVIDER === 'postgresql' ? '$1, $2, $3, $4' : '?, ?, ?, ?'
    await db.$executeRawUnsafe(
      `INSERT INTO ${table} (${['jobId', 'sequence', 'worker', 'pid'].map((c) => (process.env.BENCH_PROVIDER === 'mysql' ? `\`${c}\`` : `"${c}"`)).join(', ')}) VALUES (${placeholders})`,
      job?.id ?? 0,
      sequence,
      process.title,
      process.pid,
    )
    if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, workMs))
  },
})
