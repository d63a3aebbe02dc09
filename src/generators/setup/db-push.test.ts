import { ScaffolderError } from '../../scaffolder-error.js'
import { describe, expect, it } from 'vitest'
import { appTree } from '../../project/__tests__/app-tree.js'
import { runtimeSources } from '../../vendoring/__fixtures__/runtime-sources.js'
import { MigrationWithDbPushError } from './errors.js'
import { planSetup, type SetupOptions } from './plan-setup.js'
import { tsEsmApp } from './__fixtures__/apps.js'

const stable: SetupOptions = { runtimeSources, version: '0.0.0-test', now: new Date('2026-01-02T03:04:05Z') }

/** tsEsmApp with `scripts` (a t3-style app applies its schema with `prisma db push`). */
function withScripts(scripts: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  const pkg = JSON.parse(tsEsmApp['package.json']!) as { scripts: Record<string, string> }
  return { ...tsEsmApp, 'package.json': `${JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, ...scripts } }, null, 2)}\n`, ...extra }
}

const dbPushApp = withScripts({ 'db:push': 'prisma db push', 'db:studio': 'prisma studio' })

describe('setup in an app that uses prisma db push', () => {
  it('writes no migrations folder and says prisma db push in the next steps', async () => {
    const { tree } = appTree(dbPushApp)
    const result = await planSetup(tree, stable)
    expect(tree.changes().some((change) => change.path.includes('migrations'))).toBe(false)
    const steps = result.nextSteps.join('\n')
    expect(steps).toMatch(/prisma db push/)
    expect(steps).not.toMatch(/migrate dev/)
  })

  it('recognises prisma db push inside any script, whatever its name', async () => {
    const { tree } = appTree(withScripts({ 'schema:sync': 'dotenv -e .env.local -- prisma db push --skip-generate' }))
    expect((await planSetup(tree, stable)).nextSteps.join('\n')).toMatch(/prisma db push/)
  })

  it('refuses --migration with the reason, naming --force-migration, and plans nothing', async () => {
    const { tree } = appTree(dbPushApp)
    const error = await planSetup(tree, { ...stable, migration: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationWithDbPushError)
    expect((error as Error).message).toMatch(/db:push/)
    expect((error as Error).message).toMatch(/drift|reset/)
    expect((error as ScaffolderError).advice).toMatch(/--force-migration/)
    expect(tree.changes()).toEqual([])
  })

  it('writes the migration with --force-migration', async () => {
    const { tree, result } = await (async () => {
      const { tree } = appTree(dbPushApp)
      return { tree, result: await planSetup(tree, { ...stable, migration: true, forceMigration: true }) }
    })()
    expect(result.migrationPath).toMatch(/prisma\/migrations\/20260102030405_background_jobs\/migration\.sql$/)
    expect(tree.changes().some((change) => change.path.endsWith('migration.sql'))).toBe(true)
  })

  it('treats an app with migrations as a migrate app even when it also has a db push script', async () => {
    const { tree } = appTree({ ...dbPushApp, 'prisma/migrations/20250101000000_init/migration.sql': 'CREATE TABLE "User" ("id" SERIAL);\n', 'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n' })
    const result = await planSetup(tree, { ...stable, migration: true })
    expect(result.migrationPath).toMatch(/background_jobs/)
    expect(result.nextSteps.join('\n')).toMatch(/migrate dev/)
  })

  it('keeps saying migrate dev in an app without migrations or a db push script', async () => {
    const { tree } = appTree(tsEsmApp)
    expect((await planSetup(tree, stable)).nextSteps.join('\n')).toMatch(/prisma migrate dev --name background_jobs/)
  })
})
