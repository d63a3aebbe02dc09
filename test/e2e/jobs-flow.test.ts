/**
 * The whole user story on each fixture app, with jobs-kit as users install it:
 * the `npm pack` tarball installed with `--omit=dev` outside this repository
 * (packed-cli.ts), never the repository's own `dist/`:
 *
 *   setup --yes --migration (plus the fixture's own flags, e.g. --model) → apply the migration → prisma generate → g job SendWelcomeEmail
 *   → the job's own generated test passes (where the app uses vitest)
 *   → the app's createUser schedules the job (now, and { wait: 1 }) → `npm run jobs -- workoff`
 *   → the job ran twice (user welcomed, two log lines) and the jobs table is empty
 *   → `npm run jobs -- start` → another sign-up is worked off in the background → `stop`
 *   → no worker process and no pid file left.
 *
 * A failure prints every command run in the app copy with its output.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterEach, describe, expect, it, onTestFailed } from 'vitest'
import { addWelcomeSideEffect, findJobsTable, readWelcomeLog, scheduleWelcomeEmail, writeTypeProbe } from './support/app-edits.js'
import { copyFixtureApp, FIXTURE_APPS, type AppCopy } from './support/fixture-apps.js'
import { packedCli } from '../support/packed-cli.js'

interface JobsKitJson {
  language: 'ts' | 'js'
  model: { name: string; table: string; dbSchema: string | null }
  paths: { jobs: string; schema: string; config: string; runtime: string }
}

function readSchemaTexts(schemaPath: string): string[] {
  if (!statSync(schemaPath).isDirectory()) return [readFileSync(schemaPath, 'utf8')]
  return readdirSync(schemaPath, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.prisma'))
    .map((file) => readFileSync(join(schemaPath, file), 'utf8'))
}

/** Every file of the app copy (outside node_modules) with its content, to compare before and after. */
function snapshotFiles(appDir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const file of readdirSync(appDir, { recursive: true, encoding: 'utf8' })) {
    if (file.split('/').includes('node_modules')) continue
    const path = join(appDir, file)
    if (statSync(path).isFile()) files[file] = readFileSync(path, 'latin1')
  }
  return files
}

function pidFiles(appDir: string): string[] {
  const dir = join(appDir, '.jobs-kit/pids')
  return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.pid')) : []
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

const toDate = (value: unknown): Date =>
  value instanceof Date ? value : new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string))

describe.each(FIXTURE_APPS.map((fixture) => [fixture.name, fixture] as const))('jobs-kit on %s', (_name, fixture) => {
  let app: AppCopy | undefined
  const startedPids: number[] = []

  afterEach(async () => {
    if (!app) return
    // A failed test may leave detached workers: stop them by their pid files, then make sure.
    if (pidFiles(app.dir).length > 0) await app.run('npm', ['run', 'jobs', '--', 'stop', '--timeout', '5']).catch(() => undefined)
    for (const pid of startedPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
    startedPids.length = 0
    await app.remove()
    app = undefined
  })

  it(`setup, g job, later() from the app's service, workoff, start/stop (${fixture.description})`, { timeout: 300_000 }, async () => {
    const jobsKitBin = await packedCli()
    app = await copyFixtureApp(fixture.name)
    const copy = app
    onTestFailed(() => {
      console.error(`\n===== ${fixture.name}: commands run in ${copy.dir} =====\n${copy.transcript.join('\n\n')}\n`)
    })
    await copy.applyMigrations()
    const setupArgs = ['setup', '--yes', '--migration', ...(fixture.setupArgs ?? [])]

    // --dry-run shows the plan and writes nothing.
    const pristine = snapshotFiles(copy.dir)
    const dryRun = await copy.run(jobsKitBin, [...setupArgs, '--dry-run'])
    expect(dryRun.output).toContain('jobs-kit.json')
    expect(snapshotFiles(copy.dir)).toEqual(pristine)

    // setup: schema model, config, vendored runtime, jobs script, migration.
    const crlfSchema = Object.entries(pristine).some(([file, text]) => file.endsWith('.prisma') && text.includes('\r\n'))
    const setup = await copy.run(jobsKitBin, setupArgs)
    const jobsKit = JSON.parse(readFileSync(join(copy.dir, 'jobs-kit.json'), 'utf8')) as JobsKitJson
    // A CRLF schema (a Windows checkout) stays CRLF: no bare LF in what setup wrote.
    if (crlfSchema) {
      for (const text of readSchemaTexts(join(copy.dir, jobsKit.paths.schema))) expect(text).not.toMatch(/[^\r]\n/)
    }
    const setupMigrations = await copy.applyMigrations()
    expect(setupMigrations, 'setup --migration wrote one new migration').toHaveLength(1)
    await copy.generateClient()

    // A second setup changes nothing.
    const setUp = snapshotFiles(copy.dir)
    await copy.run(jobsKitBin, setupArgs)
    expect(snapshotFiles(copy.dir)).toEqual(setUp)

    // The schema, jobs-kit.json and the config agree on the jobs model and its table (--model, --table, @@schema).
    const flag = (name: string) => (setupArgs.includes(name) ? setupArgs[setupArgs.indexOf(name) + 1] : undefined)
    const modelName = flag('--model') ?? 'BackgroundJob'
    expect(jobsKit.model).toMatchObject({ name: modelName, table: flag('--table') ?? modelName })
    expect(findJobsTable(readSchemaTexts(join(copy.dir, jobsKit.paths.schema)))).toBe(jobsKit.model.table)
    const config = readFileSync(join(copy.dir, jobsKit.paths.config), 'utf8')
    if (modelName === 'BackgroundJob') expect(config).not.toMatch(/\bmodel:/)
    else expect(config).toContain(`model: '${modelName}'`)
    // MySQL fixtures have mariadb (with @prisma/adapter-mariadb): their workers query through the mariadb option.
    if (fixture.provider === 'mysql') expect(config).toMatch(/^\s*mariadb: databaseUrl \? \{ connectionString: databaseUrl \} : undefined,$/m)

    // g job: the job, its test and scenarios, registered.
    await copy.run(jobsKitBin, ['g', 'job', 'SendWelcomeEmail', '--yes'])
    const jobDir = join(copy.dir, jobsKit.paths.jobs, 'SendWelcomeEmailJob')
    const jobFile = join(jobDir, `SendWelcomeEmailJob.${jobsKit.language}`)
    expect(existsSync(jobFile)).toBe(true)
    const testFile = join(jobDir, `SendWelcomeEmailJob.test.${jobsKit.language}`)
    // The generated test passes as generated, in apps that test with Vitest
    // (Redwood apps use Jest through `yarn rw test`, which the fixture does not install).
    const packageJson = JSON.parse(readFileSync(join(copy.dir, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }
    if (packageJson.devDependencies?.vitest) {
      await copy.run(join(copy.dir, 'node_modules/.bin/vitest'), ['run', testFile])
    }

    // d job is the exact inverse of g job.
    const withOneJob = snapshotFiles(copy.dir)
    await copy.run(jobsKitBin, ['g', 'job', 'purge-stale-carts', '--yes'])
    expect(existsSync(join(copy.dir, jobsKit.paths.jobs, 'PurgeStaleCartsJob'))).toBe(true)
    await copy.run(jobsKitBin, ['d', 'job', 'PurgeStaleCarts', '--yes'])
    expect(snapshotFiles(copy.dir)).toEqual(withOneJob)

    addWelcomeSideEffect(jobFile, copy.dir, fixture.db)
    scheduleWelcomeEmail(join(copy.dir, fixture.serviceFile), fixture.serviceImports)
    // TypeScript apps: the config, the vendored runtime, the jobs and the edited
    // service compile under the app's own tsconfig, and later() checks its arguments.
    if (fixture.tsconfig) {
      const servicePath = join(copy.dir, fixture.serviceFile)
      const probe = writeTypeProbe(servicePath, { ...fixture.serviceImports, jobs: fixture.serviceImports.later })
      // The import setup's next steps told the user to paste compiles where the hint says.
      const hint = /Then schedule from (?:a file in (\S+)\/|a file at (the app root)|your code): import \{ later \} from '([^']+)'/.exec(setup.stdout)
      expect(hint, 'setup printed an import hint').not.toBeNull()
      const hintFolder = hint![1] ?? (hint![2] ? '.' : jobsKit.paths.jobs)
      const hintProbe = join(hintFolder, 'jobs-kit-hint-probe.ts')
      writeFileSync(join(copy.dir, hintProbe), `import { later } from '${hint![3]}'\nexport const schedule: typeof later = later\n`)
      const checkConfig = join(copy.dir, 'tsconfig.jobs-kit-check.json')
      writeFileSync(
        checkConfig,
        JSON.stringify({
          extends: `./${fixture.tsconfig}`,
          // The app's jest/react types are not installed in the copy; libraries' own .d.ts are not ours to check.
          compilerOptions: { noEmit: true, incremental: false, skipLibCheck: true, types: ['node'] },
          include: [jobsKit.paths.config, `${jobsKit.paths.runtime}/**/*.ts`, `${jobsKit.paths.jobs}/**/*.ts`, fixture.serviceFile, relative(copy.dir, probe), hintProbe],
          exclude: ['**/*.test.ts'],
        }),
      )
      await copy.run(join(copy.dir, 'node_modules/.bin/tsc'), ['-p', checkConfig])
      rmSync(probe)
      rmSync(join(copy.dir, hintProbe))
      rmSync(checkConfig)
    }

    const { query, quote } = copy.database
    const jobsTable = jobsKit.model.dbSchema ? `${quote(jobsKit.model.dbSchema)}.${quote(jobsKit.model.table)}` : quote(jobsKit.model.table)
    const countJobs = async () => Number((await query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${jobsTable}`))[0]!.n)
    const welcomedAt = async (id: number) =>
      (await query<{ welcomedAt: unknown }>(
        `SELECT ${quote(fixture.welcomedAtColumn)} AS ${quote('welcomedAt')} FROM ${quote(fixture.usersTable)} WHERE id = ${id}`,
      ))[0]?.welcomedAt

    // The app schedules: one job now, one in a second. runAt comes from the app's clock.
    const beforeSignUp = Date.now()
    const { stdout } = await copy.run('npm', ['run', '--silent', fixture.createUserScript, '--', 'ada@example.com', 'Ada'])
    const afterSignUp = Date.now()
    const ada = JSON.parse(stdout.trim().split('\n').pop()!) as { id: number }
    const rows = await query<Record<string, unknown>>(`SELECT * FROM ${jobsTable} ORDER BY ${quote('runAt')}`)
    expect(rows).toHaveLength(2)
    for (const row of rows) expect(JSON.parse(String(row.handler))).toMatchObject({ name: 'SendWelcomeEmailJob', args: [ada.id] })
    const [now, delayed] = rows.map((row) => toDate(row.runAt).getTime())
    const slackMs = 5 // millisecond rounding in the database
    expect(now, 'later() without wait runs now').toBeGreaterThanOrEqual(beforeSignUp - slackMs)
    expect(now).toBeLessThanOrEqual(afterSignUp + slackMs)
    expect(delayed, 'later(…, { wait: 1 }) runs a second later').toBeGreaterThanOrEqual(beforeSignUp + 1_000 - slackMs)
    expect(delayed).toBeLessThanOrEqual(afterSignUp + 1_000 + slackMs)

    // workoff runs what is due; let the delayed one come due first.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, afterSignUp + 1_100 - Date.now())))
    await copy.run('npm', ['run', 'jobs', '--', 'workoff'])
    expect(readWelcomeLog(copy.dir)).toEqual([ada.id, ada.id])
    expect(await welcomedAt(ada.id)).toBeTruthy()
    expect(await countJobs()).toBe(0)

    // Detached workers pick up the next sign-up on their own.
    await copy.run('npm', ['run', 'jobs', '--', 'start'])
    const pids = pidFiles(copy.dir).map((file) => Number(readFileSync(join(copy.dir, '.jobs-kit/pids', file), 'utf8').trim()))
    expect(pids.length).toBeGreaterThan(0)
    startedPids.push(...pids)
    const status = await copy.run('npm', ['run', 'jobs', '--', 'status'])
    for (const file of pidFiles(copy.dir)) expect(status.output).toContain(file.replace(/\.pid$/, ''))
    const second = await copy.run('npm', ['run', '--silent', fixture.createUserScript, '--', 'grace@example.com', 'Grace'])
    const grace = JSON.parse(second.stdout.trim().split('\n').pop()!) as { id: number }
    await waitFor(
      'the started worker to run both of the second user’s jobs',
      async () => readWelcomeLog(copy.dir).filter((id) => id === grace.id).length === 2 && (await countJobs()) === 0,
      45_000,
    )
    // Each started worker registered itself in the app's database (the worker registry): status lists it, alive.
    const registered = await copy.run('npm', ['run', 'jobs', '--', 'status'])
    expect(registered.output).toContain('Workers on all hosts (registry):')
    for (const file of pidFiles(copy.dir)) expect(registered.output).toMatch(new RegExp(`${file.replace(/\.pid$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s.*\\salive\\b`))

    await copy.run('npm', ['run', 'jobs', '--', 'stop'])
    expect(pidFiles(copy.dir)).toEqual([])
    await waitFor('the workers to exit', () => pids.every((pid) => !isAlive(pid)), 10_000)
  })
})
