/**
 * jobs-kit worker processes' own CPU per job while draining no-op jobs, A/B
 * between variants (each a value of JK_VARIANT in the workers' environment,
 * for experiments that switch on it), rounds interleaved, median reported.
 *
 *   tsx bench/experiments/worker-cpu.ts [provider=postgresql] [jobs=5000] [processes=1] [concurrency=1] [rounds=3] [variants=base]
 */
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { measureDrain } from '../lib/drain.js'
import { readCpuMs, releaseWhenReady, stopWorkers } from '../lib/processes.js'
import { getCounts } from '../lib/counts.js'
import { getSystemSpecs } from '../lib/systems.js'
import { loadavg } from 'node:os'

const provider = process.argv[2] ?? 'postgresql'
const [jobs = 5000, processes = 1, concurrency = 1, rounds = 3] = process.argv.slice(3, 7).map(Number)
const variants = (process.argv[7] ?? 'base').split(',')
await generateTestClients()
const spec = getSystemSpecs(getCounts(false, concurrency)).find((s) => s.id === `jobs-kit/${provider}`)!
const system = await spec.create()
const results = new Map<string, { cpu: number[]; rate: number[] }>(variants.map((v) => [v, { cpu: [], rate: [] }]))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
for (let round = 0; round < rounds; round++) {
  for (const variant of variants) {
    process.env.JK_VARIANT = variant
    await system.prepare?.()
    await system.fill(jobs)
    await system.analyze()
    const workers = await system.startWorkers(processes, concurrency, () => {})
    await releaseWhenReady(workers)
    const workerCpu = () => workers.reduce((sum: number, w: any) => sum + (readCpuMs(w.child.pid) ?? 0), 0)
    const w0 = workerCpu()
    const drained = await measureDrain({ total: jobs, remaining: () => system.remaining(), workers, capMs: 60_000 })
    const w1 = workerCpu()
    await stopWorkers(workers)
    await system.clear()
    const cpu = (w1 - w0) / drained.jobs
    results.get(variant)!.cpu.push(cpu)
    results.get(variant)!.rate.push(drained.jobsPerSecond)
    console.log(`${provider} ${processes}×${concurrency} ${variant.padEnd(12)} round ${round}: ${drained.jobsPerSecond.toFixed(0).padStart(5)} jobs/s; worker ${cpu.toFixed(3)} ms/job; load ${loadavg()[0].toFixed(2)}`)
  }
}
for (const [variant, r] of results) {
  console.log(`MEDIAN ${provider} ${processes}×${concurrency} ${variant.padEnd(12)} worker ${median(r.cpu).toFixed(3)} ms/job (${r.cpu.map((x) => x.toFixed(3)).join(' ')}); ${median(r.rate).toFixed(0)} jobs/s`)
}
await system.close()
process.exit(0)
