import { createTestDatabase } from '/work/wt/bulk/test/support/databases.js'
import { PrismaAdapter } from '/work/wt/bulk/src/runtime/adapters/prisma/prisma-adapter.js'
import { JobManager } from '/work/wt/bulk/src/runtime/manager/job-manager.js'
const provider = (process.argv[2] ?? 'postgresql') as any
const database = await createTestDatabase(provider)
const adapter = new PrismaAdapter({ db: database.db })
const registry: Record<string, unknown> = {}
const jobs = new JobManager({ adapters: { prisma: adapter }, queues: ['default'] as const, logger: { debug() {}, info() {}, warn() {}, error() {} }, workers: [{ adapter: 'prisma', queue: '*' }], jobs: () => registry })
const NoopJob = jobs.createJob({ queue: 'default', perform: () => {} })
registry.NoopJob = NoopJob
const later = jobs.createScheduler({ adapter: 'prisma' })
const N = 5000
const items = Array.from({ length: N }, () => [] as [])
await later.many(NoopJob, items.slice(0, 100))
const t = (label: string, ms: number[]) => { ms.sort((a, b) => a - b); console.log(label, ms.map((v) => v.toFixed(0)).join(' ')) }
const a: number[] = [], b: number[] = [], c: number[] = []
for (let i = 0; i < 7; i++) {
  let s = performance.now(); await later.many(NoopJob, items); a.push(performance.now() - s)
  const jobsIn = Array.from({ length: N }, () => ({ handler: { name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] }, queue: 'default', priority: 50, runAt: new Date() }))
  s = performance.now(); await adapter.scheduleMany({ jobs: jobsIn }); b.push(performance.now() - s)
  s = performance.now(); await database.db.$executeRawUnsafe('SELECT 1'); c.push(performance.now() - s)
  await adapter.clear()
}
t('later.many', a); t('adapter.scheduleMany', b); t('select 1', c)
await database.drop()
