import { generateTestClients } from '../../test/support/prisma-clients.js'
await generateTestClients()
const { createTestDatabase } = await import('../../test/support/databases.js')
const { jobsModel, readJobs } = await import('../../test/support/jobs-table.js')
const { workoffWorker } = await import('../../test/support/workoff-worker.js')
const { JobManager } = await import('../../src/runtime/manager/job-manager.js')
const { PrismaAdapter } = await import('../../src/runtime/adapters/prisma/prisma-adapter.js')
const handler = (name: string, args: unknown[] = []) => JSON.stringify({ name, path: `${name}/${name}`, args })
const logs: string[] = []
const logger = { debug() {}, info() {}, warn: (m: string) => logs.push('W ' + m.slice(0, 250)), error: (m: string) => logs.push('E ' + m.slice(0, 250)) }
const database = await createTestDatabase('sqlite')
const adapter = new PrismaAdapter({ db: database.db, betterSqlite3: process.argv[2] !== 'plain', logger })
const registry: Record<string, unknown> = {}
const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
const ran = new Map<number, number>()
registry.CountedJob = jobs.createJob({ queue: 'default', perform: async (n: number) => void ran.set(n, (ran.get(n) ?? 0) + 1) })
await jobsModel(database).createMany({ data: Array.from({ length: 20 }, (_, i) => ({ handler: handler('CountedJob', [i]), queue: 'default', priority: 50, runAt: new Date(Date.now() - 60_000 + i) })) })
const worker = workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger, concurrency: 4, mode: 'work' as any, sleepDelaySeconds: 0.5 })
const running = worker.run()
await new Promise((r) => setTimeout(r, 300))
// From now on every UPDATE of the jobs table is refused (the claim, the lock renewal, a retry's record).
await database.db.$executeRawUnsafe(`CREATE TRIGGER jk_refuse_u BEFORE UPDATE ON "BackgroundJob" BEGIN SELECT RAISE(ABORT, 'updates refused'); END`)
await jobsModel(database).createMany({ data: Array.from({ length: 5 }, (_, i) => ({ handler: handler('CountedJob', [100 + i]), queue: 'default', priority: 50, runAt: new Date() })) })
const cpu0 = process.cpuUsage()
await new Promise((r) => setTimeout(r, 5000))
const cpu = process.cpuUsage(cpu0)
console.log('cpu ms in 5 s', Math.round((cpu.user + cpu.system) / 1000), 'ran', ran.size, 'twice', [...ran.values()].filter((c) => c > 1).length, 'logs', logs.length)
await database.db.$executeRawUnsafe(`DROP TRIGGER jk_refuse_u`)
await new Promise((r) => setTimeout(r, 1500))
worker.stop(); await running
console.log('after drop: ran', ran.size, 'rows left', (await readJobs(database)).length)
console.log(logs.slice(0, 4).join('\n'))
await adapter.close(); await database.drop(); process.exit(0)
