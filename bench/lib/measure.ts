/**
 * Measures one system: enqueue one at a time, enqueue in bulk, drain with 1
 * and 4 worker processes, pickup latency. Runs inside a driver process of its
 * own (measure-system.ts), so systems never share module state or connections.
 */
import type { Counts } from './counts.js'
import { HIGH_CONCURRENCY_DRAIN, PROCESS_COUNTS } from './counts.js'
import { measureDrain } from './drain.js'
import { assertAlive, readCpuMs, releaseWhenReady, stopWorkers, type WorkerProcess } from './processes.js'
import type { QueueSystem } from './queue-system.js'
import type { Figure, Metric, SystemInfo } from './report.js'
import { nowMs, percentile, perSecond } from './stats.js'
import type { SystemSpec } from './systems.js'

export interface SystemResult {
  system: SystemInfo
  figures: Figure[]
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

export async function measureSystem(spec: SystemSpec, counts: Counts, onSystem?: (system: QueueSystem) => void): Promise<SystemResult> {
  const figures: Figure[] = []
  const record = (metric: Metric, value: number | null, status: Figure['status'] = 'measured', note?: string) =>
    figures.push({ system: spec.id, label: spec.label, provider: spec.provider, metric, value, status, note })

  const system = await spec.create()
  onSystem?.(system)
  const info: SystemInfo = { id: system.id, label: system.label, provider: system.provider, notes: system.notes }
  try {
    await system.prepare()

    if (spec.skipEnqueue) {
      record('enqueue.one', null, 'not applicable', spec.skipEnqueue)
    } else {
      log(`${spec.id}: enqueue ${counts.enqueueOneJobs} one at a time`)
      const started = nowMs()
      for (let i = 0; i < counts.enqueueOneJobs; i++) await system.enqueueOne('noop', `e${i}`)
      record('enqueue.one', perSecond(counts.enqueueOneJobs, nowMs() - started))
      await system.clear()
    }

    if (spec.skipEnqueue) {
      record('enqueue.bulk', null, 'not applicable', spec.skipEnqueue)
    } else {
      log(`${spec.id}: enqueue ${counts.bulkEnqueueJobs} in bulk`)
      const started = nowMs()
      await system.enqueueBulk(counts.bulkEnqueueJobs)
      record('enqueue.bulk', perSecond(counts.bulkEnqueueJobs, nowMs() - started))
      await system.clear()
    }

    const total = spec.capMs ? Math.min(counts.throughputJobs, 2000) : counts.throughputJobs
    const capMs = spec.capMs ?? counts.drainCapMs
    /** Fills the queue with `total` jobs and measures how fast `processes` × `concurrency` workers empty it. */
    const drain = async (processes: number, concurrency: number, suffix: string) => {
      const shape = `${processes} process(es) × concurrency ${concurrency}`
      log(`${spec.id}: fill ${total}, drain with ${shape} for at most ${capMs} ms`)
      await system.fill(total)
      await system.analyze()
      const workers = await system.startWorkers(processes, concurrency, () => {})
      try {
        await releaseWhenReady(workers)
        const cpuMs = () => workers.reduce((sum, w) => sum + (readCpuMs(w.child.pid) ?? Number.NaN), 0)
        const cpuBefore = cpuMs()
        // SQLite: a reader holds a shared lock while it counts, and writers must wait for it; poll rarely.
        const pollMs = spec.provider === 'sqlite' ? 250 : 20
        const drained = await measureDrain({ total, remaining: () => system.remaining(), workers, capMs, pollMs })
        const note = drained.jobs < total ? `${drained.jobs} of ${total} jobs in ${(drained.ms / 1000).toFixed(1)} s (${shape})` : undefined
        record(`throughput.${suffix}` as Metric, drained.jobsPerSecond, 'measured', note)
        const cpuPerJob = (cpuMs() - cpuBefore) / drained.jobs
        if (Number.isFinite(cpuPerJob)) record(`cpu.${suffix}` as Metric, cpuPerJob)
        log(`${spec.id}: ${shape}: ${drained.jobsPerSecond.toFixed(1)} jobs/s${note ? ` (${note})` : ''}`)
      } finally {
        await stopWorkers(workers)
      }
      await system.clear()
    }
    for (const processes of PROCESS_COUNTS) await drain(processes, counts.concurrency, String(processes))
    if (spec.highConcurrency === true) {
      await drain(HIGH_CONCURRENCY_DRAIN.processes, HIGH_CONCURRENCY_DRAIN.concurrency, '4x10')
    } else if (spec.highConcurrency) {
      record('throughput.4x10', null, 'not applicable', spec.highConcurrency)
    }

    if (system.measuresLatency) {
      const latencyJobs = spec.id === 'pg-boss/work' ? counts.pgBossLatencyJobs : counts.latencyJobs
      log(`${spec.id}: pickup latency, ${latencyJobs} jobs`)
      const samples = await measureLatency(system, counts.concurrency, latencyJobs)
      record('latency.samples', samples.length)
      record('latency.p50', percentile(samples, 50))
      record('latency.p95', percentile(samples, 95))
      record('latency.max', Math.max(...samples))
      log(`${spec.id}: latency p50 ${percentile(samples, 50).toFixed(1)} ms, p95 ${percentile(samples, 95).toFixed(1)} ms`)
    } else {
      for (const metric of ['latency.p50', 'latency.p95', 'latency.max'] as const) record(metric, null, 'not applicable')
    }
  } catch (error) {
    const note = (error as Error).message.split('\n')[0]
    const measured = new Set(figures.map((f) => f.metric))
    for (const metric of reportedMetrics(spec)) if (!measured.has(metric)) record(metric, null, 'error', note)
    log(`${spec.id}: error: ${(error as Error).message.split('\n').slice(0, 12).join('\n')}`)
  } finally {
    await system.close()
  }
  return { system: info, figures }
}

/** The metrics a row of `spec` shows: what a failed driver or phase reports as errors. */
export function reportedMetrics(spec: SystemSpec): Metric[] {
  const metrics: Metric[] = ['enqueue.one', 'enqueue.bulk', 'throughput.1', 'throughput.4', 'latency.p50', 'latency.p95', 'latency.max']
  return spec.highConcurrency === undefined ? metrics : [...metrics, 'throughput.4x10']
}

/** One worker process; schedule a job, wait until it reports that it started, repeat. */
async function measureLatency(system: QueueSystem, concurrency: number, count: number): Promise<number[]> {
  const waiters = new Map<string, (at: number) => void>()
  const workers: WorkerProcess[] = await system.startWorkers(1, concurrency, (message: any) => {
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
    await releaseWhenReady(workers)
    // The first job warms up the worker's connections; it is not a sample.
    await runOne('warm-up', 120_000)
    const samples: number[] = []
    for (let i = 0; i < count; i++) samples.push(await runOne(`latency-${i}`, 60_000))
    return samples
  } finally {
    await stopWorkers(workers)
    await system.clear()
  }
}
