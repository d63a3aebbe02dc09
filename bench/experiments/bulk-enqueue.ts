/**
 * Bulk enqueue, repeated: N jobs in one call, `runs` times, per system (the
 * bench measures it once per run). Tunes `later.many()`'s chunk sizes and
 * compares it with graphile-worker's addJobs.
 *
 *   npx tsx bench/experiments/bulk-enqueue.ts graphile-worker|jobs-kit/postgresql|jobs-kit/mysql|jobs-kit/sqlite [count] [runs]
 */
import { createGraphileWorker } from '../peers/graphile-worker.js'
import type { Provider } from '../lib/databases.js'
import type { QueueSystem } from '../lib/queue-system.js'

const [id = 'graphile-worker', countText = '5000', runsText = '7'] = process.argv.slice(2)
const count = Number(countText)
const runs = Number(runsText)
const system: QueueSystem =
  id === 'graphile-worker' ? await createGraphileWorker() : await (await import('../jobs-kit/jobs-kit.js')).createJobsKit(id.split('/')[1] as Provider)
try {
  await system.prepare()
  await system.enqueueBulk(100) // warm-up: first-query costs are not what this measures
  await system.clear()
  const ms: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    await system.enqueueBulk(count)
    ms.push(performance.now() - started)
    if ((await system.remaining()) !== count) throw new Error(`expected ${count} rows`)
    await system.clear()
  }
  ms.sort((a, b) => a - b)
  const median = ms[Math.floor(ms.length / 2)]!
  console.log(`${id}: ${count} jobs, median ${median.toFixed(0)} ms (${Math.round((count / median) * 1000)} jobs/s), runs ${ms.map((v) => v.toFixed(0)).join(' ')}`)
} finally {
  await system.close()
}
process.exit(0)
