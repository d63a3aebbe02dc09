/**
 * find + success loops of N PrismaAdapters at once (each with its own
 * PrismaClient, so its own connections) in one process, on one database:
 * does the claim scale with workers, and does it throw? (diagnostic)
 *
 *   tsx bench/experiments/contention.ts mysql|postgresql|sqlite [jobs]
 */
import { hostname } from 'node:os'
import { PrismaAdapter } from '../../src/runtime/index.js'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import type { Provider } from '../lib/databases.js'

const provider = (process.argv[2] ?? 'mysql') as Provider
const jobs = Number(process.argv[3] ?? 2000)
await generateTestClients()
const database = await createTestDatabase(provider)
const q = (n: string) => (provider === 'mysql' ? `\`${n}\`` : `"${n}"`)
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })

async function fill() {
  for (let offset = 0; offset < jobs; offset += 500) {
    const rows = Array.from({ length: Math.min(500, jobs - offset) }, (_, i) => ({ handler, queue: 'default', priority: 50, runAt: new Date(Date.now() - 3_600_000 + offset + i) }))
    await database.db.backgroundJob.createMany({ data: rows })
  }
}

for (const workers of [1, 4]) {
  await fill()
  const clients = await Promise.all(Array.from({ length: workers }, () => database.newClient()))
  let errors = 0
  let done = 0
  const started = performance.now()
  await Promise.all(
    clients.map(async (db, i) => {
      const adapter = new PrismaAdapter({ db })
      const me = `${hostname()}:contention.${i}`
      for (;;) {
        let found
        try {
          found = await adapter.find({ processName: me, staleAfterSeconds: 60, queues: '*', limit: 1 })
        } catch (error) {
          errors++
          if (errors < 4) console.log('find error:', (error as Error).message.slice(0, 200))
          continue
        }
        if (found.length === 0) break
        await adapter.success({ job: found[0], deleteJob: true })
        done++
      }
    }),
  )
  const ms = performance.now() - started
  console.log(`${provider}: ${workers} adapter(s) at once: ${done} jobs, ${((done * 1000) / ms).toFixed(0)} jobs/s, ${errors} find errors`)
}
await database.drop()
