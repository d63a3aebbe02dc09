/**
 * One pg-boss worker process for the benchmarks. Env: BENCH_DB_URL,
 * BENCH_QUEUE, BENCH_CONCURRENCY, BENCH_MODE (`work` or `loop`, see pg-boss.ts).
 * A job with `data.kind === 'report'` tells the parent over IPC that it started.
 */
import PgBoss from 'pg-boss'
import { PG_BOSS_POLLING_INTERVAL_SECONDS, pgBossOptions } from './pg-boss.js'
import { readyAndWaitForGo } from '../lib/go-signal.js'
import { sleep } from '../lib/processes.js'

// The parent is gone (an interrupted run): do not linger as an orphan.
process.on('disconnect', () => process.exit(0))

const queue = process.env.BENCH_QUEUE!
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1)
const mode = process.env.BENCH_MODE ?? 'work'

// migrate: false: the parent created the schema; a worker must not race it.
await readyAndWaitForGo()
const boss = new PgBoss(pgBossOptions(process.env.BENCH_DB_URL!, { max: concurrency + 2, migrate: false }))
boss.on('error', (error) => console.error(`pg-boss: ${error.message}`))
await boss.start()

function perform(job: { data: any }) {
  if (job.data?.kind === 'report') process.send?.({ type: 'started', key: job.data.key })
}

let stopping = false
process.on('SIGTERM', () => {
  stopping = true
  void boss.stop({ graceful: false, wait: false }).finally(() => process.exit(0))
})

if (mode === 'work') {
  for (let i = 0; i < concurrency; i++) {
    await boss.work(queue, { batchSize: 1, pollingIntervalSeconds: PG_BOSS_POLLING_INTERVAL_SECONDS }, async ([job]) => perform(job))
  }
} else {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!stopping) {
        const [job] = await boss.fetch(queue, { batchSize: 1 })
        if (!job) {
          await sleep(PG_BOSS_POLLING_INTERVAL_SECONDS * 1000)
          continue
        }
        perform(job)
        await boss.complete(queue, job.id)
      }
    }),
  )
}
