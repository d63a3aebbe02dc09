/**
 * A jobs model other than the template's, on PostgreSQL, for tests that need
 * the app to have changed it (timestamps `@db.Timestamptz(3)`, all or some,
 * a `BigInt` id): generates a Prisma 7 or 6.19 client for it (cached by a
 * hash of the schema under test/.generated/), creates a database whose table
 * matches it, and connects a client.
 */
import { createHash, randomBytes } from 'node:crypto'
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPg as PrismaPg6 } from 'prisma6-adapter-pg'
import pg from 'pg'
import { repoRoot, type TestPrismaClient, type TestPrismaClientClass } from './prisma-clients.js'

const POSTGRES_URL = process.env.JOBS_KIT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const DATE_FIELDS = ['runAt', 'lockedAt', 'failedAt', 'createdAt', 'updatedAt'] as const
export type DateField = (typeof DATE_FIELDS)[number]

export interface CustomJobsModel {
  /** Date fields stored as `timestamptz(3)`; the others stay `timestamp(3)`. */
  timestamptz: readonly DateField[]
  /** `BigInt` makes the id a BIGINT column. */
  id?: 'Int' | 'BigInt'
  prismaVersion: 6 | 7
}

export interface CustomDatabase {
  url: string
  name: string
  db: TestPrismaClient
  newClient(): Promise<TestPrismaClient>
  /** A plain `pg` client on the database (UTC session), for reading true instants. */
  raw: pg.Client
  drop(): Promise<void>
}

function model(options: CustomJobsModel): string {
  const tz = (field: DateField) => (options.timestamptz.includes(field) ? ' @db.Timestamptz(3)' : '')
  return [
    'model BackgroundJob {',
    `  id        ${options.id ?? 'Int'}       @id @default(autoincrement())`,
    '  attempts  Int       @default(0)',
    '  handler   String',
    '  queue     String',
    '  priority  Int       @default(50)',
    `  runAt     DateTime? @default(now())${tz('runAt')}`,
    `  lockedAt  DateTime?${tz('lockedAt')}`,
    '  lockedBy  String?',
    '  lastError String?',
    `  failedAt  DateTime?${tz('failedAt')}`,
    `  createdAt DateTime  @default(now())${tz('createdAt')}`,
    `  updatedAt DateTime  @updatedAt${tz('updatedAt')}`,
    '  @@index([priority, runAt, id])',
    '  @@index([queue, priority, runAt, id])',
    '}',
  ].join('\n')
}

function tableSql(options: CustomJobsModel): string {
  const type = (field: DateField) => (options.timestamptz.includes(field) ? 'TIMESTAMPTZ(3)' : 'TIMESTAMP(3)')
  return `CREATE TABLE "BackgroundJob" (
    "id" ${options.id === 'BigInt' ? 'BIGSERIAL' : 'SERIAL'} NOT NULL PRIMARY KEY,
    "attempts" INTEGER NOT NULL DEFAULT 0, "handler" TEXT NOT NULL, "queue" TEXT NOT NULL, "priority" INTEGER NOT NULL DEFAULT 50,
    "runAt" ${type('runAt')} DEFAULT CURRENT_TIMESTAMP, "lockedAt" ${type('lockedAt')}, "lockedBy" TEXT, "lastError" TEXT,
    "failedAt" ${type('failedAt')}, "createdAt" ${type('createdAt')} NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" ${type('updatedAt')} NOT NULL);
    CREATE INDEX ON "BackgroundJob"("priority", "runAt", "id"); CREATE INDEX ON "BackgroundJob"("queue", "priority", "runAt", "id");`
}

const run = promisify(execFile)
const quiet = { PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1', PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_QUERY_ENGINE_LIBRARY: '/bin/true', PRISMA_GENERATE_SKIP_AUTOINSTALL: '1' }

async function loadClientClass(options: CustomJobsModel): Promise<TestPrismaClientClass> {
  const six = options.prismaVersion === 6
  const schema = six
    ? ['generator client {', '  provider   = "prisma-client-js"', '  engineType = "client"', '  output     = "./client"', '}', 'datasource db {', '  provider = "postgresql"', '  url      = env("JOBS_KIT_PRISMA6_DATABASE_URL")', '}', model(options)].join('\n')
    : ['generator client {', '  provider = "prisma-client"', '  output   = "./client"', '}', 'datasource db {', '  provider = "postgresql"', '}', model(options)].join('\n')
  const cli = join(repoRoot, six ? 'node_modules/prisma6/build/index.js' : 'node_modules/prisma/build/index.js')
  const version = JSON.parse(readFileSync(join(repoRoot, six ? 'node_modules/prisma6/package.json' : 'node_modules/prisma/package.json'), 'utf8')).version
  const dir = join(repoRoot, 'test/.generated', `custom-pg${options.prismaVersion}-${createHash('sha256').update(version).update(schema).digest('hex').slice(0, 12)}`)
  const entry = join(dir, 'client', six ? 'index.js' : 'client.ts')
  if (!existsSync(entry)) {
    const work = `${dir}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`
    mkdirSync(join(work, 'node_modules', '@prisma'), { recursive: true })
    if (six) {
      symlinkSync(join(repoRoot, 'node_modules/prisma6-client'), join(work, 'node_modules/@prisma/client'), 'dir')
      symlinkSync(join(repoRoot, 'node_modules/prisma6'), join(work, 'node_modules/prisma'), 'dir')
      writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'jobs-kit-custom-client', private: true }))
    }
    writeFileSync(join(work, 'schema.prisma'), schema)
    await run(process.execPath, [cli, 'generate', '--schema', join(work, 'schema.prisma')], { cwd: six ? work : repoRoot, env: { ...process.env, ...quiet } })
    try {
      renameSync(work, dir)
    } catch (error) {
      if (!existsSync(entry)) throw error
      rmSync(work, { recursive: true, force: true })
    }
  }
  if (six) return (createRequire(import.meta.url)(entry) as { PrismaClient: TestPrismaClientClass }).PrismaClient
  return ((await import(pathToFileURL(entry).href)) as { PrismaClient: TestPrismaClientClass }).PrismaClient
}

/** A fresh database with the custom jobs table, `ALTER DATABASE … SET timezone` to `timeZone` when given. */
export async function createCustomDatabase(options: CustomJobsModel & { timeZone?: string }): Promise<CustomDatabase> {
  const PrismaClient = await loadClientClass(options)
  const name = `jk_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: POSTGRES_URL })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE "${name}"`)
    if (options.timeZone) await admin.query(`ALTER DATABASE "${name}" SET timezone TO '${options.timeZone}'`)
  } finally {
    await admin.end()
  }
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  const raw = new pg.Client({ connectionString: url.toString(), options: '-c TimeZone=UTC' })
  await raw.connect()
  await raw.query(tableSql(options))
  const clients: TestPrismaClient[] = []
  const newClient = async () => {
    const adapter = options.prismaVersion === 6 ? new PrismaPg6({ connectionString: url.toString() }) : new PrismaPg({ connectionString: url.toString() })
    const client = new PrismaClient({ adapter })
    clients.push(client)
    await client.$connect()
    return client
  }
  const db = await newClient()
  return {
    url: url.toString(),
    name,
    db,
    newClient,
    raw,
    drop: async () => {
      await Promise.allSettled(clients.map((client) => client.$disconnect()))
      await raw.end().catch(() => undefined)
      const admin = new pg.Client({ connectionString: POSTGRES_URL })
      await admin.connect()
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await admin.end()
      }
    },
  }
}
