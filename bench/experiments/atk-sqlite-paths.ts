import { generateTestClients, loadPrismaClientClass, readMigrationSql } from '../../test/support/prisma-clients.js'
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import Database from 'better-sqlite3'
import { mkdirSync, symlinkSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
await generateTestClients()
const sql = readMigrationSql('sqlite', 'default')
const PrismaClient = await loadPrismaClientClass('sqlite')
const logs: string[] = []
const logger = { debug() {}, info() {}, warn: (m: string) => logs.push('W ' + m), error: (m: string) => logs.push('E ' + m) }
const dir = join(tmpdir(), `jk atk ünï ${process.pid}`)
mkdirSync(join(dir, 'sub'), { recursive: true })
const real = join(dir, 'réal db.db')
const raw = new Database(real); raw.exec(sql); raw.close()
symlinkSync(real, join(dir, 'link.db'))
const h = { name: 'T', path: 'T/T', args: [] }
async function attempt(label: string, url: string, between?: () => void) {
  const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) })
  try {
    const adapter = new PrismaAdapter({ db, betterSqlite3: true, watchSqliteFile: false, logger })
    await adapter.schedule({ handler: h, queue: 'default', priority: 50, runAt: new Date(Date.now() - 1000) })
    between?.()
    const found = await adapter.find({ processName: 'p', queues: '*', limit: 5, staleAfterSeconds: 60 })
    const file = ((await db.$queryRawUnsafe(`SELECT file FROM pragma_database_list WHERE name='main'`)) as any)[0].file
    console.log(label, 'found', found.length, 'pragma file', file, 'direct?', !!(await (adapter as any).sqliteDirect))
    await adapter.close()
  } catch (e) { console.log(label, 'ERR', String(e).slice(0, 300)) } finally { await db.$disconnect() }
}
await attempt('spaces+unicode', `file:${real}`)
await attempt('symlink', `file:${join(dir, 'link.db')}`)
process.chdir(dir)
await attempt('relative then chdir', 'file:./réal db.db', () => process.chdir(join(dir, 'sub')))
process.chdir(dir)
await attempt('relative', 'file:./link.db')
console.log(logs.join('\n'))
rmSync(dir, { recursive: true, force: true })
