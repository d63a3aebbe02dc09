/**
 * The worker's finish-and-find loop on MariaDB in one process (no runner):
 * through Prisma (5 awaited round trips), through the app's `mariadb` pool
 * (2 flights of pipelined queries, one write per statement), and through the
 * pool the adapter opens (2 flights, each one multi-statement query).
 * Reports jobs/s and this process's CPU ms per job (process.cpuUsage),
 * median of several rounds.
 *
 *   tsx bench/experiments/mariadb-flights.ts [jobs=2000] [rounds=3]
 */
import mariadb from 'mariadb'
import { createTestDatabase } from '../../test/support/databases.js'
import { PrismaAdapter } from '../../src/runtime/index.js'
import type { StoredJob } from '../../src/runtime/types.js'

const jobs = Number(process.argv[2] ?? 2000)
const rounds = Number(process.argv[3] ?? 3)
const database = await createTestDatabase('mysql')
const server = new URL(database.url)
const appPool = mariadb.createPool({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), database: server.pathname.slice(1), connectionLimit: 2 })
const modes = {
  prisma: () => new PrismaAdapter({ db: database.db }),
  'app pool (pipelined)': () => new PrismaAdapter({ db: database.db, mariadb: { pool: appPool } }),
  'own pool (multi-statement)': () => new PrismaAdapter({ db: database.db, mariadb: { connectionString: database.url } }),
}
const samples = new Map<string, { rate: number[]; cpu: number[] }>()
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [mode, create] of Object.entries(modes)) {
      const adapter = create()
      const past = Date.now() - 3_600_000
      await database.db.backgroundJob.createMany({ data: Array.from({ length: jobs }, (_, i) => ({ handler, queue: 'default', priority: 50, runAt: new Date(past + i) })) })
      const next = { processName: 'bench:w.0', staleAfterSeconds: 300, queues: '*' as const, limit: 1 }
      // Warm up (the pool's first connection, Prisma's query compiler).
      let held: StoredJob[] = await adapter.find(next)
      const cpuBefore = process.cpuUsage()
      const started = performance.now()
      let done = 0
      while (held.length > 0) {
        done += held.length
        held = await adapter.successAndFind({ jobs: held, deleteJob: true, next })
      }
      const ms = performance.now() - started
      const cpu = process.cpuUsage(cpuBefore)
      await adapter.close()
      const sample = samples.get(mode) ?? { rate: [], cpu: [] }
      sample.rate.push((done / ms) * 1000)
      sample.cpu.push((cpu.user + cpu.system) / 1000 / done)
      samples.set(mode, sample)
      console.log(`round ${round} ${mode}: ${((done / ms) * 1000).toFixed(0)} jobs/s, ${((cpu.user + cpu.system) / 1000 / done).toFixed(3)} CPU ms/job`)
    }
  }
} finally {
  await appPool.end()
  await database.drop()
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
console.log(`\nmedian of ${rounds} rounds, ${jobs} jobs, one loop:`)
for (const [mode, sample] of samples) console.log(`${mode.padEnd(28)} ${median(sample.rate).toFixed(0).padStart(5)} jobs/s, ${median(sample.cpu).toFixed(3)} CPU ms/job`)
process.exit(0)
