/**
 * `npm run bench`: jobs-kit against graphile-worker and pg-boss, and against
 * the raw-SQL ceiling of each database, on this machine, in one run. Prints
 * Markdown tables and writes bench/results/latest.json (and latest.md).
 *
 *   npm run bench                 full run (~10 min on 2 cores)
 *   npm run bench -- --quick      small counts (~2 min), for checking the harness
 *   npm run bench -- --only graphile,ceiling/postgresql   some systems only
 *   npm run bench -- --no-cli     skip the CLI timings
 *
 * Method: docs/benchmarks.md.
 */
import { execSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, hostname, loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createCeiling } from './ceiling/ceiling.js'
import { measureCli } from './cli/cli-timing.js'
import { dropAllBenchDatabases, type Provider } from './lib/databases.js'
import { measureDrain } from './lib/drain.js'
import { assertAlive, killAllWorkers, REPO_ROOT, stopWorkers, type WorkerProcess } from './lib/processes.js'
import type { QueueSystem } from './lib/queue-system.js'
import { addRatios, renderTables, type CliResult, type Figure, type Metric, type SystemInfo } from './lib/report.js'
import { nowMs, percentile, perSecond } from './lib/stats.js'
import { createGraphileWorker } from './peers/graphile-worker.js'
import { createPgBoss } from './peers/pg-boss.js'

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-cli': { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '1' },
  },
})

const counts = flags.quick
  ? { throughputJobs: 2000, latencyJobs: 50, enqueueOneJobs: 300, cliRuns: 3, pgBossWorkCapMs: 3000, concurrency: Number(flags.concurrency) }
  : { throughputJobs: 20_000, latencyJobs: 500, enqueueOneJobs: 2000, cliRuns: 10, pgBossWorkCapMs: 10_000, concurrency: Number(flags.concurrency) }
const PROCESS_COUNTS = [1, 4] as const

interface SystemSpec {
  id: string
  label: string
  provider: Provider
  create: () => Promise<QueueSystem>
  /** For queues too slow to drain the full count: measure this long on fewer jobs. */
  capMs?: number
  skipEnqueue?: string
}

const JOBS_KIT_LABEL: Record<Provider, string> = { postgresql: 'jobs-kit (PostgreSQL)', mysql: 'jobs-kit (MariaDB)', sqlite: 'jobs-kit (SQLite)' }
const jobsKit = (provider: Provider): SystemSpec => ({
  id: `jobs-kit/${provider}`,
  label: JOBS_KIT_LABEL[provider],
  provider,
  create: async () => (await import('./jobs-kit/jobs-kit.js')).createJobsKit(provider),
})

const SPECS: SystemSpec[] = [
  { id: 'ceiling/postgresql', label: 'ceiling: raw SQL (PostgreSQL)', provider: 'postgresql', create: () => createCeiling('postgresql') },
  { id: 'graphile-worker', label: 'graphile-worker 0.17 (PostgreSQL)', provider: 'postgresql', create: createGraphileWorker },
  { id: 'pg-boss/loop', label: 'pg-boss 10 fetch/complete loop (PostgreSQL)', provider: 'postgresql', create: () => createPgBoss('loop') },
  {
    id: 'pg-boss/work',
    label: 'pg-boss 10 work() (PostgreSQL)',
    provider: 'postgresql',
    create: () => createPgBoss('work'),
    capMs: counts.pgBossWorkCapMs,
    skipEnqueue: 'same send()/insert() calls as the fetch/complete row',
  },
  jobsKit('postgresql'),
  { id: 'ceiling/mysql', label: 'ceiling: raw SQL (MariaDB)', provider: 'mysql', create: () => createCeiling('mysql') },
  jobsKit('mysql'),
  { id: 'ceiling/sqlite', label: 'ceiling: raw SQL (SQLite)', provider: 'sqlite', create: () => createCeiling('sqlite') },
  jobsKit('sqlite'),
]

const figures: Figure[] = []
const systems: SystemInfo[] = []

function record(spec: SystemSpec, metric: Metric, value: number | null, status: Figure['status'] = 'measured', note?: string): void {
  figures.push({ system: spec.id, label: spec.label, provider: spec.provider, metric, value, status, note })
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

async function benchSystem(spec: SystemSpec): Promise<void> {
  const system = await spec.create()
  systems.push({ id: system.id, label: system.label, provider: system.provider, notes: system.notes })
  try {
    await system.prepare()

    if (spec.skipEnqueue) {
      record(spec, 'enqueue.one', null, 'not applicable', spec.skipEnqueue)
    } else {
      log(`${spec.id}: enqueue ${counts.enqueueOneJobs} one at a time`)
      const started = nowMs()
      for (let i = 0; i < counts.enqueueOneJobs; i++) await system.enqueueOne('noop', `e${i}`)
      record(spec, 'enqueue.one', perSecond(counts.enqueueOneJobs, nowMs() - started))
      await system.clear()
    }

    const total = spec.capMs ? Math.min(counts.throughputJobs, 2000) : counts.throughputJobs
    for (const processes of PROCESS_COUNTS) {
      log(`${spec.id}: insert ${total} in bulk, drain with ${processes} process(es)`)
      const started = nowMs()
      await system.enqueueBulk(total)
      const bulkMs = nowMs() - started
      if (processes === 1) {
        if (spec.skipEnqueue) record(spec, 'enqueue.bulk', null, 'not applicable', spec.skipEnqueue)
        else record(spec, 'enqueue.bulk', perSecond(total, bulkMs))
      }
      await system.analyze()
      const workers = await system.startWorkers(processes, counts.concurrency, () => {})
      try {
        const drained = await measureDrain({ total, remaining: () => system.remaining(), workers, capMs: spec.capMs })
        record(spec, `throughput.${processes}` as Metric, drained.jobsPerSecond, 'measured', spec.capMs ? `${drained.jobs} jobs in ${Math.round(drained.ms)} ms (capped)` : undefined)
        log(`${spec.id}: ${processes} process(es): ${drained.jobsPerSecond.toFixed(1)} jobs/s`)
      } finally {
        await stopWorkers(workers)
      }
      await system.clear()
    }

    if (system.measuresLatency) {
      log(`${spec.id}: pickup latency, ${counts.latencyJobs} jobs`)
      const samples = await measureLatency(system, counts.latencyJobs)
      record(spec, 'latency.p50', percentile(samples, 50))
      record(spec, 'latency.p95', percentile(samples, 95))
      record(spec, 'latency.max', Math.max(...samples))
      log(`${spec.id}: latency p50 ${percentile(samples, 50).toFixed(1)} ms`)
    } else {
      for (const metric of ['latency.p50', 'latency.p95', 'latency.max'] as const) record(spec, metric, null, 'not applicable')
    }
  } finally {
    await system.close()
  }
}

/** One worker process; schedule a job, wait until it reports that it started, repeat. */
async function measureLatency(system: QueueSystem, count: number): Promise<number[]> {
  const waiters = new Map<string, (at: number) => void>()
  const workers: WorkerProcess[] = await system.startWorkers(1, counts.concurrency, (message: any) => {
    if (message?.type === 'started') waiters.get(message.key)?.(nowMs())
  })
  const runOne = async (key: string, timeoutMs: number): Promise<number> => {
    const startedAt = new Promise<number>((resolve) => waiters.set(key, resolve))
    const scheduledAt = nowMs()
    await system.enqueueOne('report', key)
    const deadline = scheduledAt + timeoutMs
    for (;;) {
      const at = await Promise.race([startedAt, new Promise<null>((r) => setTimeout(() => r(null), 250))])
      if (at !== null) {
        waiters.delete(key)
        return at - scheduledAt
      }
      assertAlive(workers)
      if (nowMs() > deadline) throw new Error(`job ${key} did not start within ${timeoutMs} ms:\n${workers[0].output()}`)
    }
  }
  try {
    // The first job also waits for the worker to start up; it is not a sample.
    await runOne('warm-up', 120_000)
    const samples: number[] = []
    for (let i = 0; i < count; i++) samples.push(await runOne(`latency-${i}`, 60_000))
    return samples
  } finally {
    await stopWorkers(workers)
    await system.clear()
  }
}

function recordFailure(spec: SystemSpec, error: Error): void {
  const pending = spec.id.startsWith('jobs-kit') && /Cannot find module|ERR_MODULE_NOT_FOUND|not implemented|pending/i.test(error.message)
  const status = pending ? 'pending' : 'error'
  const note = pending ? 'the jobs-kit runtime this needs has not landed yet' : error.message.split('\n')[0]
  if (!systems.some((s) => s.id === spec.id)) systems.push({ id: spec.id, label: spec.label, provider: spec.provider, notes: [status] })
  const measured = new Set(figures.filter((f) => f.system === spec.id).map((f) => f.metric))
  const metrics: Metric[] = ['enqueue.one', 'enqueue.bulk', 'throughput.1', 'throughput.4', 'latency.p50', 'latency.p95', 'latency.max']
  for (const metric of metrics) if (!measured.has(metric)) record(spec, metric, null, status, note)
  log(`${spec.id}: ${status}: ${error.message.split('\n').slice(0, 8).join('\n')}`)
}

async function main(): Promise<void> {
  const only = flags.only?.split(',').map((s) => s.trim())
  const selected = SPECS.filter((spec) => !only || only.some((prefix) => spec.id.startsWith(prefix)))
  const loadBefore = loadavg()
  const startedAt = new Date()
  const { generateTestClients } = await import('../test/support/prisma-clients.js')
  await generateTestClients()

  for (const spec of selected) {
    try {
      await benchSystem(spec)
    } catch (error) {
      recordFailure(spec, error as Error)
    }
  }

  let cli: CliResult[] = []
  if (!flags['no-cli'] && !only) {
    log(`CLI timings, ${counts.cliRuns} runs each`)
    cli = measureCli(counts.cliRuns)
    const plop = cli.find((c) => c.id === 'plop/one-file')?.medianMs
    for (const c of cli) if (c.medianMs !== null && plop) c.ratioToPlop = c.medianMs / plop
  }

  addRatios(figures)
  const meta = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: flags.quick ? 'quick' : 'full',
    host: hostname(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadAverageBefore: loadBefore.map((v) => Number(v.toFixed(2))),
    loadAverageAfter: loadavg().map((v) => Number(v.toFixed(2))),
    node: process.version,
    versions: versions(),
    counts,
    processCounts: PROCESS_COUNTS,
  }
  const markdown = [
    `Run ${meta.startedAt} (${meta.mode}), ${meta.cpus} × ${meta.cpuModel}, load average before ${meta.loadAverageBefore.join(' / ')}, after ${meta.loadAverageAfter.join(' / ')}, Node ${meta.node}.\n`,
    renderTables(systems, figures, cli, counts),
  ].join('\n')
  console.log(markdown)
  const resultsDir = join(REPO_ROOT, 'bench/results')
  mkdirSync(resultsDir, { recursive: true })
  const base = flags.quick || only ? 'partial.tmp' : 'latest'
  writeFileSync(join(resultsDir, `${base}.json`), JSON.stringify({ meta, systems, figures, cli }, null, 2) + '\n')
  writeFileSync(join(resultsDir, `${base}.md`), markdown + '\n')
  log(`wrote bench/results/${base}.json and ${base}.md`)
}

function versions(): Record<string, string> {
  const read = (name: string) => {
    try {
      return execSync(`node -p "require('${name}/package.json').version"`, { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
    } catch {
      return 'unknown'
    }
  }
  const servers: Record<string, string> = {}
  try {
    servers.postgresql = execSync(`psql -h 127.0.0.1 -U postgres -Atc 'show server_version' test`, { encoding: 'utf8' }).trim()
  } catch {}
  try {
    servers.mariadb = execSync(`mysql -h127.0.0.1 -uroot -Ne 'select version()'`, { encoding: 'utf8' }).trim()
  } catch {}
  return { 'graphile-worker': read('graphile-worker'), 'pg-boss': read('pg-boss'), prisma: read('prisma'), 'better-sqlite3': read('better-sqlite3'), ...servers }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllWorkers()
    void dropAllBenchDatabases().finally(() => process.exit(130))
  })
}

try {
  await main()
} finally {
  killAllWorkers()
  await dropAllBenchDatabases()
}
