/**
 * SQLite drain throughput, jobs-kit vs the raw-SQL ceiling in the same run (issue 14):
 * 1 and 4 worker processes (concurrency 1), several rounds, median jobs/s and worker CPU ms/job.
 *
 *   tsx bench/experiments/sqlite-throughput.ts [jobs=5000] [rounds=3] [systems=ceiling,jobs-kit-prisma,jobs-kit] [processes=1,4]
 *
 * `jobs-kit`: the bench app as setup writes it for an app with better-sqlite3 (`betterSqlite3: true`);
 * `jobs-kit-prisma`: the same workers with BENCH_WITHOUT_BETTER_SQLITE3=1 (every statement through Prisma).

 *
 * 2026-12-03, 20,000 jobs, 3 rounds, load 10–23 on the shared 2-core machine (median jobs/s, CPU ms/job):
 *   ceiling × 1: 4,672, 0.071          ceiling × 4: 4,654, 0.091
 *   jobs-kit-prisma × 1: 520, 0.858    jobs-kit-prisma × 4: 152, 2.130
 *   jobs-kit × 1: 1,199, 0.251         jobs-kit × 4: 1,188, 0.385
 */
import { createCeiling } from '../ceiling/ceiling.js'
import { createJobsKit } from '../jobs-kit/jobs-kit.js'
import { measureDrain } from '../lib/drain.js'
import { readCpuMs, releaseWhenReady, stopWorkers } from '../lib/processes.js'
import type { QueueSystem } from '../lib/queue-system.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'

const total = Number(process.argv[2] ?? 5000)
const rounds = Number(process.argv[3] ?? 3)
const names = (process.argv[4] ?? 'ceiling,jobs-kit-prisma,jobs-kit').split(',')
const processCounts = (process.argv[5] ?? '1,4').split(',').map(Number)
await generateTestClients()
const systems: { name: string; system: QueueSystem }[] = []
let jobsKit: QueueSystem | undefined
for (const name of names) {
  // One jobs-kit system for both variants: its app config binds the database when first imported.
  const fresh = name === 'ceiling' || !jobsKit
  const system = name === 'ceiling' ? await createCeiling('sqlite') : (jobsKit ??= await createJobsKit('sqlite'))
  if (fresh) await system.prepare()
  systems.push({ name, system })
}
const results = new Map<string, { rate: number[]; cpu: number[] }>()
for (let round = 0; round < rounds; round++) {
  for (const { name, system } of systems) {
    for (const processes of processCounts) {
      process.env.BENCH_WITHOUT_BETTER_SQLITE3 = name === 'jobs-kit-prisma' ? '1' : '0'
      await system.fill(total)
      await system.analyze()
      const workers = await system.startWorkers(processes, 1, () => {})
      try {
        await releaseWhenReady(workers)
        const cpuMs = () => workers.reduce((sum, w) => sum + (readCpuMs(w.child.pid) ?? Number.NaN), 0)
        const before = cpuMs()
        const drained = await measureDrain({ total, remaining: () => system.remaining(), workers, pollMs: 50, capMs: 30_000 })
        const cpu = (cpuMs() - before) / drained.jobs
        const key = `${name} × ${processes}`
        const entry = results.get(key) ?? { rate: [], cpu: [] }
        entry.rate.push(drained.jobsPerSecond)
        entry.cpu.push(cpu)
        results.set(key, entry)
        console.error(`round ${round} ${key}: ${drained.jobsPerSecond.toFixed(0)} jobs/s, ${cpu.toFixed(3)} CPU ms/job`)
      } finally {
        await stopWorkers(workers)
      }
      await system.clear()
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ceiling = (processes: number) => results.get(`ceiling × ${processes}`)
for (const [key, { rate, cpu }] of results) {
  const processes = Number(key.split(' × ')[1])
  const c = ceiling(processes)
  const pct = c ? ` (${((median(rate) / median(c.rate)) * 100).toFixed(0)}% of ceiling)` : ''
  console.log(`${key}: median ${median(rate).toFixed(0)} jobs/s${pct}, ${median(cpu).toFixed(3)} CPU ms/job  [${rate.map((r) => r.toFixed(0)).join(', ')}]`)
}
for (const system of new Set(systems.map((each) => each.system))) await system.close()
process.exit(0)
