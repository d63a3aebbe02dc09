/**
 * Issue 14's targets, checked against the figures of one run: each names the
 * figures it reads (a ratio to graphile-worker, a fraction of the ceiling, or
 * a value) and a bound every one of them must keep. The run prints the result
 * as the "Targets" table and writes it to latest.json; nothing here is a
 * measured number.
 */
import type { Counts } from './counts.js'
import { HIGH_CONCURRENCY_DRAIN } from './counts.js'
import type { Figure, Metric } from './report.js'

/** Which number of a figure a target reads. */
type Reading = 'ratioToGraphile' | 'fractionOfCeiling' | 'value'

interface TargetSpec {
  measure: string
  /** Every figure must keep the bound for the target to be met. */
  reads: { system: string; metric: Metric; reading: Reading; label?: string }[]
  bound: { atLeast: number } | { atMost: number }
  /** Set when this run cannot measure the target (drains at another concurrency). */
  unmeasurable?: string
}

export interface TargetResult {
  measure: string
  /** The figures read, formatted (`0.81× (2,622 jobs/s)`), or why one is missing. */
  measured: string
  target: string
  status: 'met' | 'missed' | 'not measured'
}

function targetSpecs(counts: Counts): TargetSpec[] {
  const { processes, concurrency } = HIGH_CONCURRENCY_DRAIN
  const notAtOne = counts.concurrency === 1 ? undefined : `this run drained at concurrency ${counts.concurrency}`
  return [
    {
      measure: 'PostgreSQL, 4 processes × concurrency 1',
      reads: [{ system: 'jobs-kit/postgresql', metric: 'throughput.4', reading: 'ratioToGraphile' }],
      bound: { atLeast: 1.0 },
      unmeasurable: notAtOne,
    },
    {
      measure: `PostgreSQL, ${processes} processes × concurrency ${concurrency}`,
      reads: [{ system: 'jobs-kit/postgresql', metric: 'throughput.4x10', reading: 'ratioToGraphile' }],
      bound: { atLeast: 1.2 },
    },
    {
      measure: 'PostgreSQL through Prisma alone (no `pg` pool), 4 × 1',
      reads: [{ system: 'jobs-kit/postgresql-prisma-only', metric: 'throughput.4', reading: 'ratioToGraphile' }],
      bound: { atLeast: 0.9 },
      unmeasurable: notAtOne,
    },
    {
      measure: `bulk enqueue, ${counts.bulkEnqueueJobs.toLocaleString('en-US')} jobs (PostgreSQL)`,
      reads: [{ system: 'jobs-kit/postgresql', metric: 'enqueue.bulk', reading: 'ratioToGraphile' }],
      bound: { atLeast: 0.8 },
    },
    {
      measure: 'MariaDB, 4 processes',
      reads: [{ system: 'jobs-kit/mysql', metric: 'throughput.4', reading: 'fractionOfCeiling' }],
      bound: { atLeast: 0.7 },
    },
    {
      measure: 'SQLite, 1 and 4 processes',
      reads: [
        { system: 'jobs-kit/sqlite', metric: 'throughput.1', reading: 'fractionOfCeiling', label: '1' },
        { system: 'jobs-kit/sqlite', metric: 'throughput.4', reading: 'fractionOfCeiling', label: '4' },
      ],
      bound: { atLeast: 0.7 },
    },
    {
      measure: 'pickup p50, PostgreSQL as set up',
      reads: [{ system: 'jobs-kit/postgresql', metric: 'latency.p50', reading: 'ratioToGraphile' }],
      bound: { atMost: 1.5 },
    },
    {
      measure: 'pickup p50, SQLite, worker in another process',
      reads: [{ system: 'jobs-kit/sqlite', metric: 'latency.p50', reading: 'value' }],
      bound: { atMost: 20 },
    },
  ]
}

const formatRate = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1))

/** `reading` of `figure` as the table shows it, with the figure's own value beside a ratio. */
function describe(figure: Figure, reading: Reading, number: number): string {
  const unit = figure.metric.startsWith('latency') ? `${formatRate(figure.value!)} ms` : `${formatRate(figure.value!)} jobs/s`
  if (reading === 'ratioToGraphile') return `${number.toFixed(2)}× (${unit})`
  if (reading === 'fractionOfCeiling') return `${Math.round(number * 100)}% (${unit})`
  return unit
}

function describeBound(spec: TargetSpec): string {
  const reading = spec.reads[0].reading
  const [sign, limit] = 'atLeast' in spec.bound ? ['≥', spec.bound.atLeast] : ['≤', spec.bound.atMost]
  if (reading === 'ratioToGraphile') return `${sign} ${limit.toFixed(1)}× graphile-worker${spec.reads[0].metric === 'throughput.4x10' ? ' at the same concurrency' : ''}`
  if (reading === 'fractionOfCeiling') return `${sign} ${Math.round(limit * 100)}% of its raw-SQL ceiling`
  return `${sign} ${limit} ms`
}

/** Checks every target against `figures` (after addRatios). */
export function checkTargets(figures: Figure[], counts: Counts): TargetResult[] {
  return targetSpecs(counts).map((spec) => {
    const target = describeBound(spec)
    if (spec.unmeasurable) return { measure: spec.measure, measured: spec.unmeasurable, target, status: 'not measured' }
    const parts: string[] = []
    let met = true
    let missing = false
    for (const read of spec.reads) {
      const prefix = read.label ? `${read.label}: ` : ''
      const figure = figures.find((f) => f.system === read.system && f.metric === read.metric)
      const number = figure && figure.value !== null ? (read.reading === 'value' ? figure.value : figure[read.reading]) : undefined
      if (figure === undefined || number === undefined || !Number.isFinite(number)) {
        missing = true
        parts.push(`${prefix}${figure ? figure.status : 'not in this run'} (${read.system} ${read.metric})`)
        continue
      }
      parts.push(prefix + describe(figure, read.reading, number))
      if ('atLeast' in spec.bound ? number < spec.bound.atLeast : number > spec.bound.atMost) met = false
    }
    return { measure: spec.measure, measured: parts.join('; '), target, status: !met ? 'missed' : missing ? 'not measured' : 'met' }
  })
}
