/**
 * An app set up by an earlier jobs-kit, whose jobs model and migration still
 * have the indexes without `id` (@@index([priority, runAt]) and
 * @@index([queue, priority, runAt])), meets this jobs-kit as users install it
 * (the packed tarball): setup, run twice, changes nothing and says each time
 * how to move to the current indexes; the jobs run on the old-index table
 * (PostgreSQL with the `pg` option, where the indexes matter; MariaDB and
 * SQLite), each exactly once, and `status` counts them.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFailed } from 'vitest'
import { packedCli } from '../support/packed-cli.js'
import { addWelcomeSideEffect, readWelcomeLog, scheduleWelcomeEmail } from './support/app-edits.js'
import { copyFixtureApp, type AppCopy } from './support/fixture-apps.js'

describe.each(['prisma6-pg', 'express-mariadb', 'next-sqlite'])('an app of an earlier jobs-kit with the previous indexes: %s', (name) => {
  let app: AppCopy | undefined
  afterEach(async () => {
    await app?.remove()
    app = undefined
  })

  it('setup twice changes nothing and prints the note both times; the jobs run once each on the old-index table', { timeout: 300_000 }, async () => {
    const jobsKitBin = await packedCli()
    app = await copyFixtureApp(name)
    const copy = app
    onTestFailed(() => console.error(`\n===== ${name}: commands run in ${copy.dir} =====\n${copy.transcript.join('\n\n')}\n`))
    await copy.applyMigrations()
    const setupArgs = ['setup', '--yes', '--migration', ...(copy.fixture.setupArgs ?? [])]
    await copy.run(jobsKitBin, setupArgs)
    const kit = JSON.parse(readFileSync(join(copy.dir, 'jobs-kit.json'), 'utf8')) as { paths: { schema: string; jobs: string }; language: string }

    // What an earlier jobs-kit wrote: the indexes without id, in the model and in the (not yet applied) migration.
    const schemaPath = join(copy.dir, kit.paths.schema)
    const schema = readFileSync(schemaPath, 'utf8')
    const oldSchema = schema.replace('@@index([priority, runAt, id])', '@@index([priority, runAt])').replace('@@index([queue, priority, runAt, id])', '@@index([queue, priority, runAt])')
    expect(oldSchema).not.toBe(schema)
    writeFileSync(schemaPath, oldSchema)
    const migrationsDir = join(copy.dir, copy.fixture.migrationsDir)
    const jobsMigration = join(migrationsDir, readdirSync(migrationsDir).find((folder) => folder.endsWith('_background_jobs'))!, 'migration.sql')
    const sql = readFileSync(jobsMigration, 'utf8')
    const oldSql = sql.replace(/(["`]runAt["`]), ["`]id["`]\)/g, '$1)')
    expect(oldSql.match(/runAt["`]\)/g)).toHaveLength(2)
    writeFileSync(jobsMigration, oldSql)
    await copy.applyMigrations()
    await copy.generateClient()

    for (let run = 0; run < 2; run++) {
      const again = await copy.run(jobsKitBin, setupArgs)
      expect(again.output).toContain('nothing to change')
      expect(again.output).toMatch(/has the indexes of an earlier jobs-kit/)
    }
    expect(readFileSync(schemaPath, 'utf8')).toBe(oldSchema)
    expect(readFileSync(jobsMigration, 'utf8')).toBe(oldSql)

    await copy.run(jobsKitBin, ['g', 'job', 'SendWelcomeEmail', '--yes'])
    addWelcomeSideEffect(join(copy.dir, kit.paths.jobs, 'SendWelcomeEmailJob', `SendWelcomeEmailJob.${kit.language}`), copy.dir, copy.fixture.db)
    scheduleWelcomeEmail(join(copy.dir, copy.fixture.serviceFile), copy.fixture.serviceImports)
    const ids: number[] = []
    for (let user = 0; user < 3; user++) {
      const { stdout } = await copy.run('npm', ['run', '--silent', copy.fixture.createUserScript, '--', `user-${user}@example.com`, `User ${user}`])
      ids.push((JSON.parse(stdout.trim().split('\n').pop()!) as { id: number }).id)
    }
    // scheduleWelcomeEmail schedules one now and one in a second.
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    await copy.run('npm', ['run', 'jobs', '--', 'workoff'])
    expect(readWelcomeLog(copy.dir).sort((a, b) => a - b)).toEqual(ids.flatMap((id) => [id, id]))
    const status = await copy.run('npm', ['run', 'jobs', '--', 'status'])
    expect(status.output).toMatch(/default\s+0\s+0\s+0\s+0/)
  })
})
