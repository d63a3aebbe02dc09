import { createCeiling } from '../ceiling/ceiling.js'
import { measureDrain } from '../lib/drain.js'
import { stopWorkers } from '../lib/processes.js'
for (const provider of ['postgresql', 'mysql', 'sqlite'] as const) {
  const s = await createCeiling(provider)
  try {
    await s.prepare()
    for (const n of [1, 4]) {
      let t = performance.now(); await s.enqueueBulk(10000); console.log(provider, 'bulk', performance.now() - t)
      const w = await s.startWorkers(n, 1, () => {})
      console.log(provider, n, await measureDrain({ total: 10000, remaining: s.remaining, workers: w }))
      await stopWorkers(w)
    }
  } finally { await s.close() }
}
