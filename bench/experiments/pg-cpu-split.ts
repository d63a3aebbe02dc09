/**
 * Where the CPU of a PostgreSQL drain goes: worker processes vs PostgreSQL's
 * own backends, per job, for graphile-worker and jobs-kit side by side
 * (interleaved rounds). On 2 cores with 4 worker processes the drain is
 * CPU-bound, so the sum is what sets throughput.
 *
 *   tsx bench/experiments/pg-cpu-split.ts [jobs=10000] [processes=4] [concurrency=1] [rounds=2] [systems=graphile-worker,jobs-kit/postgresql]
 */
import { readdirSync, readFileSync } from 'node:fs'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { measureDrain } from '../lib/drain.js'
import { readCpuMs, releaseWhenReady, stopWorkers } from '../lib/processes.js'
import { getCounts } from '../lib/counts.js'
import { getSystemSpecs } from '../lib/systems.js'
import { loadavg } from 'node:os'

const [jobs = 10000, processes = 4, concurrency = 1, rounds = 2] = process.argv.slice(2, 6).map(Number)
const ids = (process.argv[6] ?? 'graphile-worker,jobs-kit/postgresql').split(',')
await generateTestClients()

/** CPU ms of every process whose command is `postgres` (server backends and helpers). */
function postgresCpuMs(): number {
  let total = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (!stat.includes('(postgres)')) continue
      total += readCpuMs(Number(pid)) ?? 0
    } catch {}
  }
  return total
}

const specs = getSystemSpecs(getCounts(false, concurrency))
const systems = new Map<string, any>()
for (const id of ids) {
  const spec = specs.find((s) => s.id === id)!
  systems.set(id, await spec.create())
}
for (let round = 0; round < rounds; round++) {
  for (const [id, system] of systems) {
    await system.prepare?.()
    await system.fill(jobs)
    await system.analyze()
    const workers = await system.startWorkers(processes, concurrency, () => {})
    await releaseWhenReady(workers)
    const workerCpu = () => workers.reduce((sum: number, w: any) => sum + (readCpuMs(w.child.pid) ?? 0), 0)
    const w0 = workerCpu()
    const p0 = postgresCpuMs()
    const drained = await measureDrain({ total: jobs, remaining: () => system.remaining(), workers, capMs: 30_000 })
    const w1 = workerCpu()
    const p1 = postgresCpuMs()
    await stopWorkers(workers)
    await system.clear()
    console.log(
      `${id.padEnd(22)} ${processes}×${concurrency}: ${drained.jobsPerSecond.toFixed(0).padStart(5)} jobs/s; ` +
        `worker ${((w1 - w0) / drained.jobs).toFixed(3)} ms/job, postgres ${((p1 - p0) / drained.jobs).toFixed(3)} ms/job, ` +
        `sum ${((w1 - w0 + p1 - p0) / drained.jobs).toFixed(3)}; load ${loadavg()[0].toFixed(2)}`,
    )
  }
}
for (const system of systems.values()) await system.close()
process.exit(0)
