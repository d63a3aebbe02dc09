import { generateTestClients, loadPrismaClientClass, readMigrationSql } from '../../test/support/prisma-clients.js'
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { JobManager } from '../../src/runtime/manager/job-manager.js'
import { workoffWorker } from '../../test/support/workoff-worker.js'
await generateTestClients()
const mode = process.argv[2] ?? 'direct'
const wal = process.argv[3] === 'wal'
const sql = readMigrationSql('sqlite', 'default')
const PrismaClient = await loadPrismaClientClass('sqlite')
const logs: string[] = []
const logger = { debug() {}, info: (m: string) => logs.push('I ' + m), warn: (m: string) => logs.push('W ' + m), error: (m: string) => logs.push('E ' + m) }
const file = join(tmpdir(), `jk-atk-replace-${process.pid}.db`)
const make = () => { for (const s of ['', '-journal', '-wal', '-shm']) rmSync(file + s, { force: true }); const raw = new Database(file); raw.exec(sql); if (wal) raw.pragma('journal_mode = WAL'); raw.close() }
make()
const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) })
const adapter = new PrismaAdapter({ db, betterSqlite3: mode === 'direct', logger })
const registry: Record<string, unknown> = {}
const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
const ran: number[] = []
registry.CountedJob = jobs.createJob({ queue: 'default', perform: async (n: number) => { await new Promise((r) => setTimeout(r, 2)); ran.push(n) } })
const h = (n: number) => ({ name: 'CountedJob', path: 'CountedJob/CountedJob', args: [n] })
const worker = workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger, concurrency: 4, mode: 'work' as any, sleepDelaySeconds: 2 })
const running = worker.run()
for (let i = 0; i < 20; i++) await adapter.schedule({ handler: h(i), queue: 'default', priority: 50, runAt: new Date() })
await new Promise((r) => setTimeout(r, 1000))
console.log('before replace ran', ran.length)
make()
const cpu0 = process.cpuUsage()
const other = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) })
const otherAdapter = new PrismaAdapter({ db: other, logger, watchSqliteFile: false })
const t0 = Date.now()
for (let i = 100; i < 105; i++) await otherAdapter.schedule({ handler: h(i), queue: 'default', priority: 50, runAt: new Date() })
await new Promise((r) => setTimeout(r, 5000))
const cpu = process.cpuUsage(cpu0)
console.log('after replace ran', ran.length, ran.filter((n) => n >= 100), 'cpu ms 5s', Math.round((cpu.user + cpu.system) / 1000))
console.log('new file rows', await (other as any).backgroundJob.count())
worker.stop()
console.log('exit', await running)
console.log(logs.join('\n').slice(0, 2500))
await adapter.close(); await db.$disconnect(); await other.$disconnect()
make(); rmSync(file, { force: true })
