/** Which statements does one jobs-kit find + success send to SQLite? (better-sqlite3's verbose hook; diagnostic) */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { hostname } from 'node:os'
import { PrismaAdapter } from '../../src/runtime/index.js'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients, loadPrismaClientClass } from '../../test/support/prisma-clients.js'

await generateTestClients()
const database = await createTestDatabase('sqlite')
const PrismaClient = await loadPrismaClientClass('sqlite')
const statements: string[] = []
const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: database.url, verbose: (sql: unknown) => statements.push(String(sql).replace(/\s+/g, ' ').slice(0, 110)) } as any) })
await db.backgroundJob.create({ data: { handler: JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] }), queue: 'default', priority: 50, runAt: new Date(Date.now() - 1000) } })
const adapter = new PrismaAdapter({ db })
statements.length = 0
const [job] = await adapter.find({ processName: `${hostname()}:trace`, staleAfterSeconds: 60, queues: '*', limit: 1 })
console.log('find:\n  ' + statements.join('\n  '))
statements.length = 0
await adapter.success({ job, deleteJob: true })
console.log('success:\n  ' + statements.join('\n  '))
await db.$disconnect()
await database.drop()
