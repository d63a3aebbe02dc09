/**
 * Each fixture app runs on its own before jobs-kit touches it: its packages
 * link, its migrations apply to a fresh database, `prisma generate` works
 * offline, and its own sign-up code creates a user we can read back with the
 * raw driver. If one of these fails, the end-to-end tests' failures are about
 * the fixture, not about jobs-kit.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { copyFixtureApp, FIXTURE_APPS, type AppCopy } from './support/fixture-apps.js'

describe.each(FIXTURE_APPS.map((fixture) => [fixture.name, fixture] as const))('fixture %s', (_name, fixture) => {
  let app: AppCopy | undefined
  afterEach(async () => {
    await app?.remove()
    app = undefined
  })

  it(`runs on its own: migrations, prisma generate, its createUser (${fixture.description})`, async () => {
    app = await copyFixtureApp(fixture.name)
    const applied = await app.applyMigrations()
    expect(applied.length).toBeGreaterThan(0)
    const generated = await app.generateClient()
    // prisma-client prints "(7.10.1)", prisma-client-js "(v6.19.3)".
    expect(generated.stdout).toMatch(new RegExp(`Generated Prisma Client \\(v?${fixture.prismaVersion.replace('.', '\\.')}\\.`))

    const email = `ada-${Date.now()}@example.com`
    const { stdout } = await app.run('npm', ['run', '--silent', fixture.createUserScript, '--', email, 'Ada Lovelace'])
    const printed = JSON.parse(stdout.trim().split('\n').pop()!) as { id: number; email: string }
    expect(printed.email).toBe(email)

    const { quote } = app.database
    const rows = await app.database.query<{ id: number }>(
      `SELECT id FROM ${quote(fixture.usersTable)} WHERE ${quote(fixture.emailColumn)} = '${email}'`,
    )
    expect(rows.map((row) => Number(row.id))).toEqual([printed.id])
  })
})
