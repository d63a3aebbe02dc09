/**
 * `g job` in a TypeScript app that has no test runner installed (the
 * multi-schema-mariadb fixture without Vitest), with jobs-kit as users
 * install it (the packed tarball, production dependencies only): the app's
 * own `tsc --noEmit` stays green with the generated job and test, and the
 * test command `g job` prints passes the generated test as generated.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFailed } from 'vitest'
import { packedCli } from '../support/packed-cli.js'
import { copyFixtureApp, type AppCopy } from './support/fixture-apps.js'

describe('jobs-kit in a TypeScript app with no test runner', () => {
  let app: AppCopy | undefined

  afterEach(async () => {
    await app?.remove()
    app = undefined
  })

  it("g job writes a test the app typechecks and runs with what it has, using the command g job prints", { timeout: 300_000 }, async () => {
    const jobsKitBin = await packedCli()
    app = await copyFixtureApp('multi-schema-mariadb', { withoutDevDependencies: ['vitest'] })
    const copy = app
    onTestFailed(() => console.error(`\n===== commands run in ${copy.dir} =====\n${copy.transcript.join('\n\n')}\n`))
    await copy.applyMigrations()
    await copy.run(jobsKitBin, ['setup', '--yes', '--migration'])
    await copy.applyMigrations()
    await copy.generateClient()

    const generated = await copy.run(jobsKitBin, ['g', 'job', 'SendWelcomeEmail', '--yes'])
    const jobsDir = (JSON.parse(readFileSync(join(copy.dir, 'jobs-kit.json'), 'utf8')) as { paths: { jobs: string } }).paths.jobs
    const testFile = `${jobsDir}/SendWelcomeEmailJob/SendWelcomeEmailJob.test.ts`
    expect(readFileSync(join(copy.dir, testFile), 'utf8')).not.toContain('vitest')
    const printed = /^Next:\n(?:.*\n)*? {2}(.+?) +# run the job's test$/m.exec(generated.stdout)
    expect(printed?.[1]).toBe(`node --import tsx --test ${testFile}`)

    // The app's own typecheck, with its jobs folder included (the fixture's tsconfig lists its folders one by one).
    const tsconfigPath = join(copy.dir, 'tsconfig.json')
    const tsconfig = JSON.parse(readFileSync(tsconfigPath, 'utf8')) as { include: string[] }
    writeFileSync(tsconfigPath, JSON.stringify({ ...tsconfig, include: [...tsconfig.include, jobsDir] }, null, 2))
    await copy.run('npm', ['run', 'typecheck'])

    const result = await copy.run('/bin/sh', ['-c', printed![1]])
    expect(result.stdout).toMatch(/# pass 1\b/)
    expect(result.stdout).toMatch(/# fail 0\b/)
  })
})
