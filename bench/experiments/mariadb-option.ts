/**
 * The adapter's `mariadb` option against the Prisma path on MariaDB, and the
 * raw-SQL ceiling, in one run: N jobs drained by 1 and by 4 worker processes
 * at concurrency 1 started with the runner CLI (bench/jobs-kit: the app
 * config as setup writes it; BENCH_WITHOUT_MARIADB=1 for the Prisma path),
 * several rounds, median. Reports jobs/s and worker CPU ms per job (user +
 * system of the worker processes, /proc).
 *
 *   tsx bench/experiments/mariadb-option.ts [jobs=2000] [rounds=3] [modes=ceiling,prisma,mariadb] [processes=1,4]
 *
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each jobs-kit worker there (runner-args.ts).
 *
 * Each mode runs in a child process of its own: the app config picks its
 * adapter options when it is imported.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { measureDrain } from '../lib/drain.js'
import { readCpuMs, releaseWhenReady, stopWorkers } from '../lib/processes.js'
import type { QueueSystem } from '../lib/queue-system.js'

/** The kernel's share (stime) of a process's CPU, ms. */
function readSysMs(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[12]) * 10
}

type Mode = 'prisma' | 'mariadb' | 'ceiling'
const PROCESS_COUNTS = (process.argv[process.argv[2] === '--child' ? 6 : 5] ?? '1,4').split(',').map(Number)

if (process.argv[2] === '--child') {
  const mode = process.argv[3] as Mode
  const jobs = Number(process.argv[4])
  let system: QueueSystem
  if (mode === 'ceiling') system = await (await import('../ceiling/ceiling.js')).createCeiling('mysql')
  else {
    process.env.BENCH_WITHOUT_MARIADB = mode === 'prisma' ? '1' : '0'
    system = await (await import('../jobs-kit/jobs-kit.js')).createJobsKit('mysql')
  }
  const results: Record<string, { jobsPerSecond: number; cpuMsPerJob: number; sysMsPerJob: number }> = {}
  try {
    await system.prepare()
    for (const processes of PROCESS_COUNTS) {
      await system.fill(jobs)
      await system.analyze()
      const workers = await system.startWorkers(processes, 1, () => {})
      try {
        await releaseWhenReady(workers)
        const cpuMs = () => workers.reduce((sum, w) => sum + (readCpuMs(w.child.pid) ?? Number.NaN), 0)
        const sysMs = () => workers.reduce((sum, w) => sum + readSysMs(w.child.pid), 0)
        const before = cpuMs()
        const sysBefore = sysMs()
        const drained = await measureDrain({ total: jobs, remaining: () => system.remaining(), workers, pollMs: 20 })
        results[processes] = { jobsPerSecond: drained.jobsPerSecond, cpuMsPerJob: (cpuMs() - before) / drained.jobs, sysMsPerJob: (sysMs() - sysBefore) / drained.jobs }
      } finally {
        await stopWorkers(workers)
      }
      await system.clear()
    }
  } finally {
    await system.close()
  }
  console.log(`RESULT ${JSON.stringify(results)}`)
  process.exit(0)
}

const jobs = Number(process.argv[2] ?? 2000)
const rounds = Number(process.argv[3] ?? 3)
const modes = (process.argv[4] ?? 'ceiling,prisma,mariadb').split(',') as Mode[]
const samples = new Map<string, { jobsPerSecond: number[]; cpuMsPerJob: number[] }>()
const script = fileURLToPath(import.meta.url)
for (let round = 1; round <= rounds; round++) {
  for (const mode of modes) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', mode, String(jobs), '', PROCESS_COUNTS.join(',')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    const line = child.stdout.split('\n').find((each) => each.startsWith('RESULT '))
    if (!line) throw new Error(`${mode} round ${round} failed:\n${child.stdout}`)
    const results = JSON.parse(line.slice(7)) as Record<string, { jobsPerSecond: number; cpuMsPerJob: number; sysMsPerJob: number }>
    for (const [processes, result] of Object.entries(results)) {
      const key = `${mode} ${processes}p`
      const sample = samples.get(key) ?? { jobsPerSecond: [], cpuMsPerJob: [] }
      sample.jobsPerSecond.push(result.jobsPerSecond)
      sample.cpuMsPerJob.push(result.cpuMsPerJob)
      samples.set(key, sample)
      console.log(`round ${round} ${key}: ${result.jobsPerSecond.toFixed(0)} jobs/s, ${result.cpuMsPerJob.toFixed(3)} worker CPU ms/job (${result.sysMsPerJob.toFixed(3)} of it in the kernel)`)
    }
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
console.log(`\nmedian of ${rounds} rounds, ${jobs} jobs, concurrency 1:`)
for (const processes of PROCESS_COUNTS) {
  const ceiling = median(samples.get(`ceiling ${processes}p`)?.jobsPerSecond ?? [Number.NaN])
  for (const mode of modes) {
    const sample = samples.get(`${mode} ${processes}p`)!
    const rate = median(sample.jobsPerSecond)
    console.log(
      `${mode.padEnd(8)} ${processes}p: ${rate.toFixed(0).padStart(5)} jobs/s (${((rate / ceiling) * 100).toFixed(0)}% of ceiling), ` +
        `${median(sample.cpuMsPerJob).toFixed(3)} worker CPU ms/job`,
    )
  }
}
