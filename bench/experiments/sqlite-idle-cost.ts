/**
 * What idle SQLite workers cost an app that writes, and how fast they still
 * pick up its jobs. Diagnostic for src/runtime/adapters/prisma/sqlite-wake-filter.ts.
 *
 *   node --import tsx bench/experiments/sqlite-idle-cost.ts [before-root]
 *
 * This process is the app: it commits non-job writes (an INSERT into a table
 * of its own, through its Prisma client) at 0, 100 and 500 commits/s, and
 * schedules ReportJobs with `later()`. 1 or 4
 * idle worker processes (the runner CLI, as the benchmark starts them,
 * sleepDelay 5 s, WAL as setup writes it) watch the file. Per load, two
 * phases of 4 s: the writes alone, for the idle cost (worker CPU ms/s, finds/s
 * and the commit watcher's looks/s, each a mean over the workers; the app's
 * write latency p50/p99); then the same writes with a ReportJob scheduled
 * every 200 ms, for pickup p50/p95 (before `later()` → the job's `started`
 * message).
 *
 * With a `before-root` (a copy of the repository at an earlier commit, e.g.
 * `git archive <commit> src bench test templates | tar -x -C /tmp/x`, with
 * node_modules and test/.generated linked in), the workers alternate between
 * that code and this worktree's, round by round, for an A/B in one run.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { REPO_ROOT, readCpuMs, sleep, spawnWorker, type WorkerProcess } from '../lib/processes.js'
import { percentile } from '../lib/stats.js'

const ROUNDS = Number(process.env.ROUNDS ?? 2)
const PHASE_MS = Number(process.env.PHASE_MS ?? 4000)
const LOADS = [0, 100, 500]
const WORKER_COUNTS = [1, 4]
const variants = [{ name: 'after', root: REPO_ROOT }, ...(process.argv[2] ? [{ name: 'before', root: process.argv[2] }] : [])]

await generateTestClients()
const database = await createTestDatabase('sqlite')
process.env.BENCH_PROVIDER = 'sqlite'
process.env.BENCH_DB_URL = database.url
const { later } = await import('../jobs-kit/app/lib/jobs.js')
const { db } = await import('../jobs-kit/app/lib/db.js')
const { ReportJob } = await import('../jobs-kit/app/jobs/bench-jobs.js')
await db.$executeRawUnsafe('PRAGMA journal_mode = WAL')
await db.$executeRawUnsafe('CREATE TABLE AppWrite (id INTEGER PRIMARY KEY, v TEXT)')

const tsxLoader = pathToFileURL(join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href
const probe = join(REPO_ROOT, 'bench/experiments/sqlite-idle-cost-probe.ts')
const waiters = new Map<string, (at: number) => void>()

function startWorkers(root: string, count: number): WorkerProcess[] {
  return Array.from({ length: count }, (_, id) =>
    spawnWorker({
      name: `worker-${id}`,
      nodeArgs: ['--import', tsxLoader, '--import', probe, join(root, 'src/runtime/runner/cli.ts'),
        '--config', join(root, 'bench/jobs-kit/app/lib/jobs.ts'), '--id', String(id), '--queue', '*',
        '--concurrency', '1', '--sleepDelay', '5', '--logger', 'warn'],
      env: { BENCH_PROVIDER: 'sqlite', BENCH_DB_URL: database.url, PROBE_ROOT: root },
      onMessage: (message: any) => {
        if (message?.type === 'started') waiters.get(message.key)?.(performance.now())
      },
    }),
  )
}

function askProbe(worker: WorkerProcess): Promise<{ finds: number; looks: number }> {
  return new Promise((resolve) => {
    const onMessage = (message: any) => {
      if (message?.type !== 'probe') return
      worker.child.off('message', onMessage)
      resolve(message)
    }
    worker.child.on('message', onMessage)
    worker.child.send({ type: 'probe' })
  })
}

let keys = 0
async function pickup(timeoutMs = 10_000): Promise<number> {
  const key = `k${keys++}`
  const started = new Promise<number>((resolve) => waiters.set(key, resolve))
  const scheduledAt = performance.now()
  await later(ReportJob, [key])
  const at = await Promise.race([started, sleep(timeoutMs).then(() => Number.NaN)])
  waiters.delete(key)
  return at - scheduledAt
}

/** Commits `perSecond` app writes for `ms`, paced; returns each write's latency. */
async function appWrites(perSecond: number, ms: number): Promise<number[]> {
  const latencies: number[] = []
  if (perSecond === 0) {
    await sleep(ms)
    return latencies
  }
  const start = performance.now()
  for (let i = 0; ; i++) {
    const due = start + (i * 1000) / perSecond
    if (due > start + ms) break
    const wait = due - performance.now()
    if (wait >= 1) await sleep(wait)
    const t0 = performance.now()
    await db.$executeRawUnsafe('INSERT INTO AppWrite (v) VALUES (?)', `write ${i}`)
    latencies.push(performance.now() - t0)
  }
  return latencies
}

const f = (n: number) => (Number.isNaN(n) ? '  -  ' : n.toFixed(1).padStart(6))
console.log(`load: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}  rounds ${ROUNDS}, phases of ${PHASE_MS} ms`)
console.log('variant workers commits/s | achieved | worker CPU ms/s | finds/s | looks/s | write p50 p99 ms | pickup p50 p95 ms (n)')
for (let round = 0; round < ROUNDS; round++) {
  for (const workerCount of WORKER_COUNTS) {
    for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
      const workers = startWorkers(variant.root, workerCount)
      // Up: each worker answers its probe and has run one job.
      await Promise.all(workers.map((worker) => askProbe(worker)))
      for (let i = 0; i < workerCount * 4; i++) await pickup(60_000)
      // Start-up work (tsx compiling, Prisma warming up) out of the figures.
      await sleep(2000)
      for (const load of LOADS) {
        // The idle cost: the app's writes alone, no job (a job found resets the look's back-off).
        const cpu0 = workers.map((worker) => readCpuMs(worker.child.pid) ?? 0)
        const probe0 = await Promise.all(workers.map(askProbe))
        const t0 = performance.now()
        const writes = await appWrites(load, PHASE_MS)
        const seconds = (performance.now() - t0) / 1000
        const cpu1 = workers.map((worker) => readCpuMs(worker.child.pid) ?? 0)
        const probe1 = await Promise.all(workers.map(askProbe))
        const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length / seconds
        const cpu = mean(cpu1.map((c, i) => c - cpu0[i]))
        const finds = mean(probe1.map((p, i) => p.finds - probe0[i].finds))
        const looks = mean(probe1.map((p, i) => p.looks - probe0[i].looks))
        // Pickup under the same load: a job every 200 ms while the app writes.
        const t1 = performance.now()
        const pickups: number[] = []
        const picking = (async () => {
          while (performance.now() - t1 < PHASE_MS - 300) {
            pickups.push(await pickup())
            await sleep(200)
          }
        })()
        await appWrites(load, PHASE_MS)
        await picking
        console.log(
          `${variant.name.padEnd(7)} ${String(workerCount).padStart(7)} ${String(load).padStart(9)} | ${f(writes.length / seconds)} | ${f(cpu)} | ${f(finds)} | ${f(looks)} | ${f(percentile(writes, 50))} ${f(percentile(writes, 99))} | ${f(percentile(pickups, 50))} ${f(percentile(pickups, 95))} (${pickups.length})`,
        )
      }
      for (const worker of workers) worker.child.kill('SIGTERM')
      await Promise.all(workers.map((worker) => worker.exited))
    }
  }
}
console.log(`load: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`)
await db.$disconnect()
await database.drop()
