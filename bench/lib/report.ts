/**
 * The benchmark's output: figures as a flat list (bench/results/latest.json)
 * and as Markdown tables (stdout, bench/results/latest.md, docs/benchmarks.md).
 * Every queue figure is also shown as a ratio to graphile-worker and, where it
 * makes sense, as a fraction of the raw-SQL ceiling on the same database.
 */
import type { Counts } from './counts.js'
import { HIGH_CONCURRENCY_DRAIN } from './counts.js'
import type { Store } from './queue-system.js'
import type { TargetResult } from './targets.js'

export type Metric =
  | 'enqueue.one'
  | 'enqueue.bulk'
  | 'throughput.1'
  | 'throughput.4'
  /** PostgreSQL rows: 4 processes × concurrency 10 (counts.ts, HIGH_CONCURRENCY_DRAIN), whatever `--concurrency` says. */
  | 'throughput.4x10'
  | 'latency.p50'
  | 'latency.p95'
  | 'latency.max'
  /** CPU ms the worker processes used per job during the 1- and 4-process drains (and the 4 × 10 one). */
  | 'cpu.1'
  | 'cpu.4'
  | 'cpu.4x10'
  /** How many latency samples the percentiles come from. */
  | 'latency.samples'

export interface Figure {
  system: string
  label: string
  provider: Store
  metric: Metric
  /** jobs/s for enqueue and throughput, ms for latency, a count for latency.samples; null unless measured. */
  value: number | null
  status: 'measured' | 'pending' | 'error' | 'not applicable'
  note?: string
  /** value / graphile-worker's value for the same metric. */
  ratioToGraphile?: number
  /** value / the same database's ceiling (throughput and enqueue only). */
  fractionOfCeiling?: number
}

export interface CliResult {
  id: string
  label: string
  medianMs: number | null
  runsMs: number[]
  ratioToPlop?: number
  error?: string
}

export interface SystemInfo {
  id: string
  label: string
  provider: Store
  notes: string[]
}

/** Adds ratios to graphile-worker and fractions of the ceiling. */
export function addRatios(figures: Figure[]): void {
  const find = (system: string, metric: Metric) => figures.find((f) => f.system === system && f.metric === metric && f.value !== null)
  for (const figure of figures) {
    if (figure.value === null || figure.metric === 'latency.samples') continue
    if (figure.metric.startsWith('cpu.')) {
      const graphileCpu = find('graphile-worker', figure.metric)
      if (graphileCpu?.value) figure.ratioToGraphile = figure.value / graphileCpu.value
      continue
    }
    const graphile = find('graphile-worker', figure.metric)
    if (graphile?.value) figure.ratioToGraphile = figure.value / graphile.value
    if (!figure.metric.startsWith('latency')) {
      const ceiling = find(`ceiling/${figure.provider}`, figure.metric)
      if (ceiling?.value) figure.fractionOfCeiling = figure.value / ceiling.value
    }
  }
}

const fmtRate = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1))
const fmtMs = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1))
const fmtRatio = (v?: number) => (v === undefined ? '' : `${v.toFixed(2)}×`)
const fmtPct = (v?: number) => (v === undefined ? '' : `${Math.round(v * 100)}%`)

function cell(figure: Figure | undefined, format: (v: number) => string): string {
  if (!figure) return '–'
  if (figure.value === null) return figure.status
  return format(figure.value)
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`
  return [line(header), `|${widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`, ...rows.map(line)].join('\n')
}

/** Markdown tables: targets, throughput (and at concurrency 10), latency, enqueue, CLI. */
export function renderTables(systems: SystemInfo[], figures: Figure[], cli: CliResult[], counts: Counts, targets: TargetResult[]): string {
  const get = (system: string, metric: Metric) => figures.find((f) => f.system === system && f.metric === metric)
  const rateCells = (system: string, metric: Metric) => {
    const f = get(system, metric)
    return [cell(f, fmtRate), fmtRatio(f?.ratioToGraphile), fmtPct(f?.fractionOfCeiling)]
  }
  const out: string[] = []

  out.push(`### Targets (issue 14), from this run's figures\n`)
  out.push(table(['measure', 'this run', 'target', ''], targets.map((t) => [t.measure, t.measured, t.target, t.status])))

  out.push(
    `\n### Throughput: ${counts.throughputJobs.toLocaleString('en-US')} no-op jobs in the queue, drained by separate worker processes ` +
      `(jobs/s; concurrency ${counts.concurrency} per process; a drain is cut off after ${counts.drainCapMs / 1000} s and counts the jobs done by then)\n`,
  )
  out.push(
    table(
      ['system', '1 process', '× graphile', '% of ceiling', '4 processes', '× graphile', '% of ceiling', 'worker CPU ms/job (1 / 4)'],
      systems.map((s) => [
        s.label,
        ...rateCells(s.id, 'throughput.1'),
        ...rateCells(s.id, 'throughput.4'),
        `${cell(get(s.id, 'cpu.1'), (v) => v.toFixed(2))} / ${cell(get(s.id, 'cpu.4'), (v) => v.toFixed(2))}`,
      ]),
    ),
  )

  const { processes, concurrency } = HIGH_CONCURRENCY_DRAIN
  const highSystems = systems.filter((s) => get(s.id, 'throughput.4x10'))
  if (highSystems.length > 0) {
    out.push(
      `\n### Throughput at concurrency ${concurrency}: the same ${counts.throughputJobs.toLocaleString('en-US')} jobs, drained by ${processes} worker processes running ${concurrency} jobs at once each ` +
        `(jobs/s; × graphile is graphile-worker at concurrency ${concurrency} too)\n`,
    )
    out.push(
      table(
        ['system', `${processes} × ${concurrency}`, '× graphile', '% of ceiling', 'worker CPU ms/job'],
        highSystems.map((s) => [s.label, ...rateCells(s.id, 'throughput.4x10'), cell(get(s.id, 'cpu.4x10'), (v) => v.toFixed(2))]),
      ),
    )
  }

  out.push(`\n### Pickup latency: jobs scheduled one by one, each waiting until it started (ms from the schedule call to the job's first line, 1 worker process)\n`)
  const latencySystems = systems.filter((s) => get(s.id, 'latency.p50')?.status !== 'not applicable')
  out.push(
    table(
      ['system', 'jobs', 'p50', 'p95', 'max', 'p50 × graphile'],
      latencySystems.map((s) => [
        s.label,
        cell(get(s.id, 'latency.samples'), (v) => String(v)),
        cell(get(s.id, 'latency.p50'), fmtMs),
        cell(get(s.id, 'latency.p95'), fmtMs),
        cell(get(s.id, 'latency.max'), fmtMs),
        fmtRatio(get(s.id, 'latency.p50')?.ratioToGraphile),
      ]),
    ),
  )

  out.push(`\n### Enqueue (jobs/s): ${counts.enqueueOneJobs.toLocaleString('en-US')} one at a time, ${counts.bulkEnqueueJobs.toLocaleString('en-US')} in bulk\n`)
  out.push(
    table(
      ['system', 'one at a time', '× graphile', '% of ceiling', 'bulk', '× graphile', '% of ceiling'],
      systems.map((s) => [s.label, ...rateCells(s.id, 'enqueue.one'), ...rateCells(s.id, 'enqueue.bulk')]),
    ),
  )

  if (cli.length > 0) {
    out.push(`\n### CLI wall time (median of ${counts.cliRuns} runs, ms)\n`)
    out.push(
      table(
        ['command', 'median ms', '× plop'],
        cli.map((c) => [c.label, c.medianMs === null ? 'pending' : fmtMs(c.medianMs), c.ratioToPlop === undefined ? '' : fmtRatio(c.ratioToPlop)]),
      ),
    )
  }

  const notes = figures.filter((f) => f.note)
  const systemNotes = systems.map((s) => `- **${s.label}**: ${s.notes.join('; ')}`)
  out.push(`\n#### Settings\n\n${systemNotes.join('\n')}`)
  if (notes.length > 0) {
    const unique = [...new Map(notes.map((f) => [`${f.label}: ${f.note}`, f])).keys()]
    out.push(`\n#### Notes on single figures\n\n${unique.map((n) => `- ${n}`).join('\n')}`)
  }
  const cliErrors = cli.filter((c) => c.error)
  if (cliErrors.length > 0) out.push(cliErrors.map((c) => `- ${c.label}: ${c.error!.split('\n')[0]}`).join('\n'))
  return out.join('\n')
}
