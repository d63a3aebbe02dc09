/**
 * A tight loop of the worker's two adapter calls (find limit 1 + success) on
 * PostgreSQL, for profiling: node --cpu-prof --import tsx bench/experiments/find-loop.ts
 * then tsx bench/experiments/summarize-profile.ts <file>.cpuprofile (diagnostic)
 */
import { hostname } from 'node:os'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { PrismaAdapter } from '../../src/runtime/index.js'

await generateTestClients()
const database = await createTestDatabase((process.argv[2] ?? 'postgresql') as 'postgresql')
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
await database.db.backgroundJob.createMany({ data: Array.from({ length: 3000 }, (_, i) => ({ handler, queue: 'default', priority: 50, runAt: new Date(Date.now() - 3_600_000 + i) })) })
const adapter = new PrismaAdapter({ db: database.db })
const me = `${hostname()}:profile`
const cpuBefore = process.cpuUsage()
const started = performance.now()
for (let i = 0; i < 3000; i++) {
  const [job] = await adapter.find({ processName: me, staleAfterSeconds: 60, queues: '*', limit: 1 })
  await adapter.success({ job, deleteJob: true })
}
const cpu = process.cpuUsage(cpuBefore)
console.log(`${((performance.now() - started) / 3000).toFixed(2)} ms wall, ${((cpu.user + cpu.system) / 1000 / 3000).toFixed(2)} ms CPU per find + success`)
await database.drop()
