import { createGraphileWorker } from '../peers/graphile-worker.js'
import { measureDrain } from '../lib/drain.js'
import { stopWorkers } from '../lib/processes.js'
const s = await createGraphileWorker()
try {
  await s.prepare()
  let t = performance.now(); await s.enqueueBulk(20000); console.log('bulk', performance.now()-t)
  const w = await s.startWorkers(1, 1, () => {})
  console.log(await measureDrain({ total: 20000, remaining: s.remaining, workers: w }))
  await stopWorkers(w)
} finally { await s.close() }
