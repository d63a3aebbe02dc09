/**
 * `g job --class` and `g job --cron` with jobs-kit as users install it (the
 * packed tarball, production dependencies only), on the next-sqlite fixture:
 *
 *   setup → `g job X --class` then `d job X` gives back every file → `g job SendWelcomeEmail --class`
 *   → its generated test passes → the app's createUser schedules it the seed's way
 *   (`SendWelcomeEmailJob.performLater(id)`, `.set({ wait: 1 }).performLater(id)`), importing only the job
 *   → the app typechecks → `npm run jobs -- workoff` runs both → the user is welcomed, the table is empty.
 *
 *   `g job --cron` with a bad expression fails and changes nothing; with a good one it adds the
 *   `recurring` entry and croner to package.json (croner is loaded by the packed CLI itself); `d job` takes the entry out.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFailed } from 'vitest'
import { packedCli } from '../support/packed-cli.js'
import { addImports, addWelcomeSideEffect, readWelcomeLog } from './support/app-edits.js'
import { copyFixtureApp, fixtureApp, type AppCopy } from './support/fixture-apps.js'
import type { CommandFailedError } from './support/run-command.js'

function snapshotFiles(appDir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const file of readdirSync(appDir, { recursive: true, encoding: 'utf8' })) {
    if (file.split('/').includes('node_modules')) continue
    const path = join(appDir, file)
    if (statSync(path).isFile()) files[file] = readFileSync(path, 'latin1')
  }
  return files
}

describe('g job --class and --cron on next-sqlite', () => {
  let app: AppCopy | undefined

  afterEach(async () => {
    await app?.remove()
    app = undefined
  })

  it('a class-style job runs for real; d job is its inverse; --cron writes the recurring entry', { timeout: 300_000 }, async () => {
    const fixture = fixtureApp('next-sqlite')
    const jobsKitBin = await packedCli()
    app = await copyFixtureApp(fixture.name)
    const copy = app
    onTestFailed(() => console.error(`\n===== commands run in ${copy.dir} =====\n${copy.transcript.join('\n\n')}\n`))
    await copy.applyMigrations()
    await copy.run(jobsKitBin, ['setup', '--yes', '--migration'])
    await copy.applyMigrations()
    await copy.generateClient()
    const jobsKit = JSON.parse(readFileSync(join(copy.dir, 'jobs-kit.json'), 'utf8')) as { paths: { jobs: string; config: string } }

    // d job is the exact inverse of g job --class, RedwoodJob.config included.
    const setUp = snapshotFiles(copy.dir)
    await copy.run(jobsKitBin, ['g', 'job', 'PurgeStaleCarts', '--class', '--queue', 'maintenance', '--yes'])
    expect(readFileSync(join(copy.dir, jobsKit.paths.config), 'utf8')).toContain('RedwoodJob.config(')
    await copy.run(jobsKitBin, ['d', 'job', 'PurgeStaleCarts', '--yes'])
    expect(snapshotFiles(copy.dir)).toEqual(setUp)

    await copy.run(jobsKitBin, ['g', 'job', 'SendWelcomeEmail', '--class', '--yes'])
    const jobFile = join(copy.dir, jobsKit.paths.jobs, 'SendWelcomeEmailJob/SendWelcomeEmailJob.ts')
    expect(readFileSync(jobFile, 'utf8')).toContain('export class SendWelcomeEmailJob extends RedwoodJob {')
    await copy.run(join(copy.dir, 'node_modules/.bin/vitest'), ['run', jobFile.replace(/\.ts$/, '.test.ts')])

    // The service schedules the seed's way and imports only the job: the job's import of the config runs RedwoodJob.config.
    addWelcomeSideEffect(jobFile, copy.dir, fixture.db)
    const servicePath = join(copy.dir, fixture.serviceFile)
    const service = readFileSync(servicePath, 'utf8')
    writeFileSync(
      servicePath,
      addImports(service, [`import { SendWelcomeEmailJob } from '${fixture.serviceImports.job}'`]).replace(
        '\n  return user\n',
        '\n  await SendWelcomeEmailJob.performLater(user.id)\n  await SendWelcomeEmailJob.set({ wait: 1 }).performLater(user.id)\n  return user\n',
      ),
    )
    const checkConfig = join(copy.dir, 'tsconfig.jobs-kit-check.json')
    writeFileSync(checkConfig, JSON.stringify({
      extends: `./${fixture.tsconfig}`,
      compilerOptions: { noEmit: true, incremental: false, skipLibCheck: true, types: ['node'] },
      include: [jobsKit.paths.config, `${jobsKit.paths.jobs}/**/*.ts`, fixture.serviceFile],
      exclude: ['**/*.test.ts'],
    }))
    await copy.run(join(copy.dir, 'node_modules/.bin/tsc'), ['-p', checkConfig])

    const { stdout } = await copy.run('npm', ['run', '--silent', fixture.createUserScript, '--', 'ada@example.com', 'Ada'])
    const ada = JSON.parse(stdout.trim().split('\n').pop()!) as { id: number }
    const countJobs = async () => Number((await copy.database.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM "BackgroundJob"'))[0]!.n)
    expect(await countJobs()).toBe(2)
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    await copy.run('npm', ['run', 'jobs', '--', 'workoff'])
    expect(readWelcomeLog(copy.dir)).toEqual([ada.id, ada.id])
    expect(await countJobs()).toBe(0)

    // --cron: a bad expression is refused and changes nothing.
    const before = snapshotFiles(copy.dir)
    const refused = await copy.run(jobsKitBin, ['g', 'job', 'NightlyReport', '--cron', '61 3 * * *', '--yes']).then(
      () => null,
      (error: CommandFailedError) => error,
    )
    expect(refused?.stderr).toContain('--cron "61 3 * * *" cannot be used')
    expect(snapshotFiles(copy.dir)).toEqual(before)

    const cron = await copy.run(jobsKitBin, ['g', 'job', 'NightlyReport', '--cron', '0 3 * * *', '--timezone', 'Europe/Berlin', '--yes'])
    expect(cron.stdout).toMatch(/npm install +# installs croner/)
    expect(readFileSync(join(copy.dir, jobsKit.paths.config), 'utf8')).toContain(
      "recurring: [\n    { job: 'NightlyReportJob', cron: '0 3 * * *', timezone: 'Europe/Berlin' },\n  ],",
    )
    expect((JSON.parse(readFileSync(join(copy.dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.croner).toMatch(/^\^11/)
    await copy.run(jobsKitBin, ['d', 'job', 'NightlyReport', '--yes'])
    const { 'package.json': _pkg, ...after } = snapshotFiles(copy.dir)
    const { 'package.json': _pkgBefore, ...rest } = before
    expect(after).toEqual(rest)
  })
})
