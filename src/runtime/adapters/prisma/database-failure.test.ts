/**
 * `status` on a database it cannot read, with real clients and servers: a
 * server that is not there, a database that does not exist, a jobs table
 * that was never migrated. Each says the reason in one line and what to do,
 * without Prisma's code frame (`Invalid \`delegate.groupBy()\` invocation`,
 * from a Prisma 6 client a line of its minified runtime thousands of
 * characters long) or a stack, which both printed before.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaMariaDb } from '@prisma/adapter-mariadb'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPg as PrismaPg6 } from 'prisma6-adapter-pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../../../test/support/databases.js'
import { loadPrisma6ClientClass, loadPrismaClientClass } from '../../../../test/support/prisma-clients.js'
import { getStatusReport } from '../../runner/commands/status.js'
import type { RunnerJobManager } from '../../runner/job-manager-shape.js'
import { PrismaAdapter } from './prisma-adapter.js'

const POSTGRES_URL = process.env.JOBS_KIT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const withPath = (url: string, database: string) => url.replace(/\/[^/]*$/, `/${database}`)
// A port nothing listens on (the loopback address only).
const CLOSED_PORT_URL = 'postgresql://postgres@127.0.0.1:1/jobs'

const dirs: string[] = []
const clients: Array<{ $disconnect(): Promise<void> }> = []
afterAll(async () => {
  await Promise.all(clients.map((client) => client.$disconnect().catch(() => undefined)))
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }))
})

async function statusFailure(db: unknown): Promise<string> {
  clients.push(db as { $disconnect(): Promise<void> })
  const error = await new PrismaAdapter({ db: db as never }).status().then(
    () => undefined,
    (thrown: unknown) => thrown as Error,
  )
  if (!error) throw new Error('status() counted jobs on a database it should not reach')
  return error.message
}

function expectExplained(message: string, reason: RegExp, advice: RegExp): void {
  expect(message).toMatch(reason)
  expect(message).toMatch(advice)
  expect(message).not.toMatch(/invocation|→|\n\s+at /)
  expect(message.length).toBeLessThan(400)
}

describe('status on a database it cannot read', () => {
  it('PostgreSQL server not reachable (Prisma 7 and Prisma 6 clients): says so and to check the server and the URL', async () => {
    const Client = await loadPrismaClientClass('postgresql')
    expectExplained(await statusFailure(new Client({ adapter: new PrismaPg({ connectionString: CLOSED_PORT_URL }) })), /reach database server at 127\.0\.0\.1:1/, /database server running\?.*DATABASE_URL/s)
    const Client6 = loadPrisma6ClientClass()
    expectExplained(await statusFailure(new Client6({ adapter: new PrismaPg6({ connectionString: CLOSED_PORT_URL }) })), /reach database server at 127\.0\.0\.1:1/, /database server running\?/)
  })

  it('PostgreSQL database that does not exist: says to check the name in the URL', async () => {
    const Client = await loadPrismaClientClass('postgresql')
    const message = await statusFailure(new Client({ adapter: new PrismaPg({ connectionString: withPath(POSTGRES_URL, 'jobs_kit_no_such_db') }) }))
    expectExplained(message, /jobs_kit_no_such_db.*does not exist/, /database name in the URL/)
  })

  it('MariaDB database that does not exist (a pool timeout hiding the connection error): says which and what to do', { timeout: 30_000 }, async () => {
    const Client = await loadPrismaClientClass('mysql')
    const url = new URL(process.env.JOBS_KIT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test')
    const adapter = new PrismaMariaDb({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) || undefined, database: 'jobs_kit_no_such_db', acquireTimeout: 2_000 })
    expectExplained(await statusFailure(new Client({ adapter })), /Unknown database 'jobs_kit_no_such_db'/, /database name in the URL/)
  })

  it.each(['postgresql', 'mysql'] as const)('%s: the jobs table missing: says to apply the jobs-kit migration', async (provider) => {
    const database = await createTestDatabase(provider)
    try {
      await database.db.$executeRawUnsafe(provider === 'mysql' ? 'DROP TABLE `BackgroundJob`' : 'DROP TABLE "BackgroundJob"')
      const message = await new PrismaAdapter({ db: database.db as never }).status().then(() => '', (error: Error) => error.message)
      expectExplained(message, /BackgroundJob` does not exist/, /apply the jobs-kit migration \(`npx prisma migrate deploy`/)
    } finally {
      await database.drop()
    }
  })

  it('SQLite file without the jobs table, through the whole status report: both sections say what to do, no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-status-failure-'))
    dirs.push(dir)
    const Client = await loadPrismaClientClass('sqlite')
    const db = new Client({ adapter: new PrismaBetterSqlite3({ url: `file:${join(dir, 'empty.db')}` }) })
    clients.push(db)
    const jobs = { adapters: { prisma: new PrismaAdapter({ db: db as never }) }, workers: [], queues: ['default'] } as unknown as RunnerJobManager
    const failed: string[] = []
    const report = await getStatusReport(jobs, dir, new Date(), failed)
    expect(failed).toEqual(['prisma'])
    expect(report).toMatch(/could not count them: The table `main\.BackgroundJob` does not exist in the current database\.\n {2}The table of model BackgroundJob is not in this database: apply the jobs-kit migration/)
    expect(report).not.toMatch(/invocation|\n\s+at /)
  })

  it('PostgreSQL server not reachable, through the whole status report: the registry line gives the reason without a stack', async () => {
    const Client = await loadPrismaClientClass('postgresql')
    const db = new Client({ adapter: new PrismaPg({ connectionString: CLOSED_PORT_URL }) })
    clients.push(db)
    const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-status-failure-'))
    dirs.push(dir)
    const jobs = { adapters: { prisma: new PrismaAdapter({ db: db as never }) }, workers: [], queues: ['default'] } as unknown as RunnerJobManager
    const report = await getStatusReport(jobs, dir, new Date(), [])
    expect(report).toMatch(/Workers on all hosts: could not read the worker registry: Can't reach database server at 127\.0\.0\.1:1\n {2}Is the database server running\?/)
    expect(report).not.toMatch(/invocation|\n\s+at /)
  })
})
