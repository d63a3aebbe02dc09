/**
 * Where a PostgreSQL drain's time goes on the server: during a drain of the
 * bench's systems (as the bench starts them), samples pg_stat_activity of the
 * system's own database every few ms and counts what its backends are doing
 * (`active` with which wait event, `idle`, `idle in transaction`), and sums the
 * CPU of those backends and of the worker processes per job. Interleaved
 * rounds, one line per drain.
 *
 *   tsx bench/experiments/pg-drain-waits.ts [jobs=10000] [processes=4] [concurrency=1] [rounds=2] [systems=graphile-worker,jobs-kit/postgresql] [sampleMs=5]
 *
 * With ceiling/postgresql, one round only: its prepare() creates the table again.
 */
import { loadavg } from 'node:os'
import pg from 'pg'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { getCounts } from '../lib/counts.js'
import { PG_ADMIN_URL } from '../lib/databases.js'
import { measureDrain } from '../lib/drain.js'
import { readCpuMs, releaseWhenReady, stopWorkers } from '../lib/processes.js'
import { getSystemSpecs } from '../lib/systems.js'

const [jobs = 10000, processes = 4, concurrency = 1, rounds = 2] = process.argv.slice(2, 6).map(Number)
const ids = (process.argv[6] ?? 'graphile-worker,jobs-kit/postgresql').split(',')
const sampleMs = Number(process.argv[7] ?? 5)
await generateTestClients()

const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
await admin.connect()
const databases = async () => new Set((await admin.query('select datname from pg_database')).rows.map((r) => r.datname as string))

const specs = getSystemSpecs(getCounts(false, concurrency))
const systems = new Map<string, { system: any; datname: string }>()
for (const id of ids) {
  const before = await databases()
  const system = await specs.find((s) => s.id === id)!.create()
  const created = [...(await databases())].filter((name) => !before.has(name))
  if (created.length !== 1) throw new Error(`${id}: expected one new database, saw ${created.join(', ')}`)
  systems.set(id, { system, datname: created[0] })
}

for (let round = 0; round < rounds; round++) {
  for (const [id, { system, datname }] of systems) {
    await system.prepare?.()
    await system.fill(jobs)
    await system.analyze()
    const workers = await system.startWorkers(processes, concurrency, () => {})
    await releaseWhenReady(workers)
    const backendPids = async () => (await admin.query(`select pid from pg_stat_activity where datname = $1`, [datname])).rows.map((r) => r.pid as number)
    const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + (readCpuMs(pid) ?? 0), 0)
    const workerCpu = () => cpuOf(workers.map((w: any) => w.child.pid))
    const pids0 = await backendPids()
    const b0 = new Map(pids0.map((pid) => [pid, readCpuMs(pid) ?? 0]))
    const w0 = workerCpu()
    const dbStats = async () => (await admin.query(`select xact_commit::float8 as commits, xact_rollback::float8 as rollbacks, tup_returned::float8 as returned, tup_fetched::float8 as fetched from pg_stat_database where datname = $1`, [datname])).rows[0]
    await new Promise((r) => setTimeout(r, 600)) // pg_stat_database lags by up to PGSTAT_MIN_INTERVAL (1 s)
    const s0 = await dbStats()
    const tally = new Map<string, number>()
    let samples = 0
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await admin.query(
          `select state, coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-') as wait, left(query, 30) as q
             from pg_stat_activity where datname = $1 and backend_type = 'client backend'`,
          [datname],
        )
        samples += 1
        for (const row of rows) {
          const key = row.state === 'active' ? `active ${row.wait} ${row.q.replace(/\s+/g, ' ')}` : `${row.state} ${row.wait}`
          tally.set(key, (tally.get(key) ?? 0) + 1)
        }
        await new Promise((r) => setTimeout(r, sampleMs))
      }
    })()
    const drained = await measureDrain({ total: jobs, remaining: () => system.remaining(), workers, capMs: 30_000 })
    const w1 = workerCpu()
    const pids1 = await backendPids()
    const backendCpu = pids1.reduce((sum, pid) => sum + ((readCpuMs(pid) ?? 0) - (b0.get(pid) ?? 0)), 0)
    sampling = false
    await sampler
    await new Promise((r) => setTimeout(r, 1200))
    const s1 = await dbStats()
    const per = (k: string) => ((s1[k] - s0[k]) / drained.jobs).toFixed(2)
    await stopWorkers(workers)
    await system.clear()
    console.log(
      `${id.padEnd(30)} ${processes}×${concurrency}: ${drained.jobsPerSecond.toFixed(0).padStart(5)} jobs/s; ` +
        `worker ${((w1 - w0) / drained.jobs).toFixed(3)} ms/job, its db's backends ${(backendCpu / drained.jobs).toFixed(3)} ms/job ` +
        `(${pids1.length} backends); per job: ${per('commits')} commits, ${per('rollbacks')} rollbacks, ${per('returned')} tuples returned, ${per('fetched')} fetched ` +
        `(whole database, the drain's count polls included); load ${loadavg()[0].toFixed(2)}`,
    )
    const lines = [...tally].sort((a, b) => b[1] - a[1]).slice(0, 12)
    for (const [key, n] of lines) console.log(`    ${(n / samples).toFixed(2).padStart(5)} backends avg  ${key}`)
  }
}
for (const { system } of systems.values()) await system.close()
await admin.end()
process.exit(0)
