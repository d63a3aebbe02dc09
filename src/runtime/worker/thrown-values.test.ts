/**
 * Whatever a job's hook or perform throws, the real worker records the failed
 * attempt and unlocks the row, on SQLite, PostgreSQL and MariaDB: values that
 * are not errors, including ones that neither JSON nor String() can print.
 */
import { workoffWorker } from '../../../test/support/workoff-worker.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from '../../../test/support/databases.js'
import { JobManager, PrismaAdapter } from '../index.js'
import type { Logger } from '../types.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** A value JSON.stringify and String() both throw on: a cyclic object without a prototype. */
function unprintable(): unknown {
  const value = Object.create(null) as Record<string, unknown>
  value.self = value
  return value
}

const THROWN: Array<[string, () => unknown, RegExp]> = [
  ['a cyclic object without a prototype', unprintable, /a non-error was thrown/],
  ['a string with a NUL byte', () => 'bad\0byte', /non-error|shortened|Error/],
  ['undefined', () => undefined, /a non-error was thrown: undefined/],
  ['an object whose message has a NUL byte', () => ({ message: 'nul\0here' }), /a non-error was thrown/],
]

describe.each(TEST_PROVIDERS)('Thrown values on %s', (provider) => {
  let database: TestDatabase
  let adapter: PrismaAdapter

  beforeAll(async () => {
    database = await createTestDatabase(provider)
  })
  afterAll(async () => {
    await database?.drop()
  })
  beforeEach(async () => {
    await database.db.backgroundJob.deleteMany({})
    adapter = new PrismaAdapter({ db: database.db })
  })

  it.each(THROWN)('a beforePerform that throws %s fails the attempt, recorded and unlocked', async (_label, thrown, lastError) => {
    const registry: Record<string, unknown> = {}
    const jobs = new JobManager({
      adapters: { adapter },
      queues: ['default'] as const,
      logger: quiet,
      workers: [{ adapter: 'adapter', queue: '*' }],
      jobs: () => registry,
    })
    let performed = false
    registry.ThrowingJob = jobs.createJob({
      queue: 'default',
      beforePerform() {
        throw thrown()
      },
      perform() {
        performed = true
      },
    })
    const id = await adapter.schedule({ handler: { name: 'ThrowingJob', path: 'ThrowingJob/ThrowingJob', args: [] }, queue: 'default', priority: 50, runAt: new Date() })
    await workoffWorker({
      adapter,
      loadJob: (name) => jobs.loadJob(name),
      logger: quiet,
      hooks: jobs.hooks,
      maxAttempts: 1,
    }).run()
    const row = await database.db.backgroundJob.findUnique({ where: { id } })
    expect(performed).toBe(false)
    expect(row).toMatchObject({ attempts: 1, lockedAt: null, lockedBy: null })
    expect(row!.failedAt).not.toBeNull()
    expect(row!.lastError).toMatch(lastError)
  })
})
