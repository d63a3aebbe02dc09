/**
 * An app whose jobs model still has the indexes an earlier jobs-kit wrote,
 * @@index([priority, runAt]) and @@index([queue, priority, runAt]): setup
 * leaves them and says how to move to the current ones. The note is about
 * the app's schema, not about what this run writes, so it is printed on
 * every run, also the second one that has nothing left to change (before,
 * that run printed only "nothing to change" and the note was never seen
 * again, e.g. by a team re-running setup after upgrading jobs-kit), and by
 * `jobs-kit update`, the command a team upgrading jobs-kit is sent to.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { tsEsmApp } from '../../src/generators/setup/__fixtures__/apps.js'
import { renderJobsModel } from '../../src/schema/jobs-model.js'
import { runCli, snapshotDir, writeApp } from './run-cli.js'

const dirs: string[] = []
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

const schemaOf = (provider: 'postgresql' | 'sqlite') =>
  [
    'generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\n',
    `datasource db {\n  provider = "${provider}"\n}\n`,
    renderJobsModel({ provider, modelName: 'BackgroundJob' })
      .replace('@@index([priority, runAt, id])', '@@index([priority, runAt])')
      .replace('@@index([queue, priority, runAt, id])', '@@index([queue, priority, runAt])'),
  ].join('\n')
const schema = schemaOf('postgresql')

describe('setup on an app with the previous jobs model indexes', () => {
  it('says how to update them on the first run and on a second run that changes nothing', async () => {
    expect(schema).toContain('@@index([queue, priority, runAt])\n')
    const dir = writeApp({ ...tsEsmApp, 'prisma/schema.prisma': schema })
    dirs.push(dir)
    const first = await runCli(['setup', '--cwd', dir, '--yes'])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('has the indexes of an earlier jobs-kit')
    expect(first.stdout).toContain('@@index([queue, priority, runAt, id])')
    // In the app's own words: a pnpm app (tsEsmApp) runs Prisma with `pnpm exec`.
    expect(first.stdout).toContain('`pnpm exec prisma migrate dev --name background_jobs_indexes`')

    const before = snapshotDir(dir)
    const second = await runCli(['setup', '--cwd', dir, '--yes'])
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('nothing to change')
    expect(second.stdout).toContain('has the indexes of an earlier jobs-kit')
    expect(snapshotDir(dir)).toEqual(before)

    // The way a team upgrades: setup stops at the vendored runtime that changed and sends it to
    // `jobs-kit update`, which printed nothing about the indexes before.
    const update = await runCli(['update', '--cwd', dir])
    expect(update.code).toBe(0)
    expect(update.stdout).toMatch(/Note:\n {2}BackgroundJob has the indexes of an earlier jobs-kit[\s\S]*pnpm exec prisma migrate dev --name background_jobs_indexes/)
  })

  it('on SQLite says that nothing needs to change (the indexes already end in the rowid), and how to match the model anyway', async () => {
    const dir = writeApp({ ...tsEsmApp, 'prisma/schema.prisma': schemaOf('sqlite') })
    dirs.push(dir)
    const run = await runCli(['setup', '--cwd', dir, '--yes'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/has the indexes of an earlier jobs-kit[\s\S]*on SQLite these indexes already end in the rowid, so nothing needs to change/)
    expect(run.stdout).not.toMatch(/claim is faster/)
  })
})
