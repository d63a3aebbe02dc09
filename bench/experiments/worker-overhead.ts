/**
 * The worker's own CPU per job, without a database: a Worker (the real one,
 * with the real JobManager, guarded logger at `warn` and the worker
 * registration's outcome count) drains no-op jobs from an in-memory adapter
 * whose calls resolve at once, as the PrismaAdapter's `successAndFind` path
 * does. What is left per job is jobs-kit's worker, manager and executor, and
 * the fake adapter's few allocations (the same in every variant).
 *
 *   tsx bench/experiments/worker-overhead.ts [jobs=100000] [concurrency=1] [rounds=5]
 *
 * 2026-12-03, load 12–30 on 2 cores, medians of 3–5 rounds: before the
 * per-job cuts of wip/worker (0902ffc) 29–38 µs CPU per job at concurrency 1
 * and ~28 at 4; after them 14.5–19 and ~14 (base and new run alternately).
 */
import { JobManager } from '../../src/runtime/index.js'
import { guardLogger } from '../../src/runtime/worker/guard-logger.js'
import { Worker } from '../../src/runtime/worker/worker.js'
import type { FindInput, JobsAdapter, StoredJob } from '../../src/runtime/types.js'

const [total = 100_000, concurrency = 1, rounds = 5] = process.argv.slice(2, 5).map(Number)
const HANDLER = '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}'

function fakeAdapter(count: number): JobsAdapter {
  let next = 1
  const take = (limit: number): StoredJob[] => {
    const jobs: StoredJob[] = []
    const now = new Date()
    for (; jobs.length < limit && next <= count; next++) {
      jobs.push({ id: next, handler: HANDLER, queue: 'default', priority: 50, runAt: now, attempts: 1, lockedAt: now, lockedBy: 'w', lastError: null, failedAt: null, createdAt: now, updatedAt: now })
    }
    return jobs
  }
  return {
    schedule: async () => 0,
    find: async ({ limit }: FindInput) => take(limit),
    successAndFind: async ({ next: input }: { next?: FindInput }) => (input ? take(input.limit) : []),
    success: async () => {},
    error: async () => {},
    failure: async () => {},
    heartbeat: async () => {},
    release: async () => {},
    clear: async () => 0,
  } as unknown as JobsAdapter
}

const quiet = { debug: () => {}, info: () => {}, warn: console.warn, error: console.error }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const cpus: number[] = []
const rates: number[] = []
for (let round = 0; round < rounds; round++) {
  const adapter = fakeAdapter(total)
  const jobs = new JobManager({
    adapters: { fake: adapter },
    queues: ['default'] as const,
    logger: quiet,
    workers: [{ adapter: 'fake', queue: '*' }],
    jobs: () => ({ NoopJob }),
  })
  const NoopJob = jobs.createJob({ queue: 'default', name: 'NoopJob', perform: async () => {} })
  const outcomes = new Map<string, number>()
  const worker = new Worker({
    adapter,
    loadJob: (name) => jobs.loadJob(name),
    logger: guardLogger(quiet, 'warn'),
    hooks: jobs.hooks,
    processName: 'bench:w',
    queues: '*',
    maxAttempts: 24,
    maxRuntimeSeconds: 14400,
    sleepDelaySeconds: 5,
    deleteFailedJobs: false,
    deleteSuccessfulJobs: true,
    concurrency,
    // What WorkerRegistration.recordOutcome does per job: one counter per queue and outcome.
    onJobDone: (job, outcome) => void outcomes.set(`${job.queue}:${outcome}`, (outcomes.get(`${job.queue}:${outcome}`) ?? 0) + 1),
    mode: 'workoff',
  })
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await worker.run()
  const ms = performance.now() - t0
  const c = process.cpuUsage(c0)
  const done = outcomes.get('default:succeeded') ?? 0
  if (done !== total) throw new Error(`ran ${done} of ${total}`)
  const cpuUs = ((c.user + c.system) / total)
  cpus.push(cpuUs)
  rates.push((total / ms) * 1000)
  console.log(`round ${round}: ${cpuUs.toFixed(2)} µs CPU/job, ${((total / ms) * 1000).toFixed(0)} jobs/s`)
}
console.log(`MEDIAN concurrency ${concurrency}: ${median(cpus).toFixed(2)} µs CPU/job (${cpus.map((x) => x.toFixed(2)).join(' ')}), ${median(rates).toFixed(0)} jobs/s`)
