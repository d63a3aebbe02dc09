// Ceiling drains with a chosen poll interval: tsx bench/experiments/try-ceiling.ts sqlite 500
import { createCeiling } from '../ceiling/ceiling.js'
import { measureDrain } from '../lib/drain.js'
import { stopWorkers } from '../lib/processes.js'
const provider = (process.argv[2] ?? 'sqlite') as 'sqlite'
const pollMs = Number(process.argv[3] ?? 20)
const s = await createCeiling(provider)
try {
  await s.prepare()
  for (const n of [1, 4]) {
    await s.enqueueBulk(3000)
    await s.analyze()
    const w = await s.startWorkers(n, 1, () => {})
    console.log(provider, `poll ${pollMs} ms`, n, 'process(es)', (await measureDrain({ total: 3000, remaining: s.remaining, workers: w, pollMs })).jobsPerSecond.toFixed(0), 'jobs/s')
    await stopWorkers(w)
  }
} finally { await s.close() }
