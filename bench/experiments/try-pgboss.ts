import { createPgBoss } from '../peers/pg-boss.js'
import { measureDrain } from '../lib/drain.js'
import { stopWorkers } from '../lib/processes.js'
for (const mode of ['loop', 'work'] as const) {
  const s = await createPgBoss(mode)
  try {
    await s.prepare()
    let t = performance.now(); await s.enqueueBulk(5000); console.log(mode, 'bulk', performance.now() - t)
    const w = await s.startWorkers(1, 1, () => {})
    console.log(mode, await measureDrain({ total: 5000, remaining: s.remaining, workers: w, capMs: 5000 }))
    await stopWorkers(w)
    await s.clear()
  } finally { await s.close() }
}
