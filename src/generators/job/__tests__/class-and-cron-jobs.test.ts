import { describe, expect, it } from 'vitest'
import { generateJob } from '../generate-job.js'
import { destroyJob } from '../destroy-job.js'
import { InvalidJobOptionError, JobOptionsConflictError, UneditableFileError } from '../errors.js'
import { APPS, commit, filesOf, makeApp, type AppName } from './apps.js'

const appNames = Object.keys(APPS) as AppName[]

/** Every planned file, as the snapshot records it. */
function planned(tree: ReturnType<typeof makeApp>['tree']) {
  return tree.changes().map((change) => `${change.kind} ${change.path}\n${'-'.repeat(60)}\n${change.after ?? ''}`).join('\n')
}

/** Where croner goes: the package that holds the jobs (Redwood's api side, which `yarn workspaces focus api --production` installs alone). */
function cronerPackage(app: AppName): string {
  return 'api/package.json' in APPS[app] ? 'api/package.json' : 'package.json'
}

function configPath(app: AppName): string {
  return JSON.parse(APPS[app]['jobs-kit.json']).paths.config
}

describe('g job --class', () => {
  describe.each(appNames)('%s', (app) => {
    it('plans a RedwoodJob class, its test and scenarios, its index line, and RedwoodJob.config in the config', async () => {
      const { tree } = makeApp(APPS[app])
      const result = await generateJob(tree, { name: 'send-welcome-email', classStyle: true })
      expect(result.files).toEqual(tree.changes().map((change) => change.path))
      const config = tree.read(configPath(app))!
      expect(config).toContain('RedwoodJob.config({ adapter: jobs.adapters.prisma, logger: jobs.logger, jobs })')
      expect(config).toMatch(/\{ JobManager, PrismaAdapter, RedwoodJob \}/)
      expect(JSON.parse(tree.read('jobs-kit.json')!).addedClassJobConfig).toBe(configPath(app))
      expect(planned(tree)).toMatchSnapshot()
    })

    it('d job gives back every file byte for byte', async () => {
      const { vol, tree } = makeApp(APPS[app])
      const before = filesOf(vol)
      await generateJob(tree, { name: 'SendWelcomeEmail', classStyle: true, queue: 'email', priority: 5 })
      const next = commit(vol, tree)
      expect(next.read(configPath(app))).toContain('RedwoodJob.config(')
      await destroyJob(next, { name: 'SendWelcomeEmail' })
      commit(vol, next)
      expect(filesOf(vol)).toEqual(before)
    })
  })

  it('adds RedwoodJob.config once; d job keeps it while another class job is left, and removes it with the last', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    const before = filesOf(vol)
    await generateJob(tree, { name: 'First', classStyle: true })
    let next = commit(vol, tree)
    const withOne = next.read('src/lib/jobs.ts')
    await generateJob(next, { name: 'Second', classStyle: true })
    expect(next.changes().map((change) => change.path)).not.toContain('src/lib/jobs.ts')
    next = commit(vol, next)
    await destroyJob(next, { name: 'First' })
    expect(next.read('src/lib/jobs.ts')).toBe(withOne)
    next = commit(vol, next)
    await destroyJob(next, { name: 'Second' })
    commit(vol, next)
    expect(filesOf(vol)).toEqual(before)
  })

  it('a createJob job left over does not keep RedwoodJob.config; a class job the user wrote by hand does', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'Plain' })
    await generateJob(tree, { name: 'Classy', classStyle: true })
    let next = commit(vol, tree)
    next.write('src/jobs/HandJob/HandJob.ts', "import { RedwoodJob } from '@/lib/jobs-kit/index.js'\nexport class HandJob extends RedwoodJob {}\n")
    next = commit(vol, next)
    await destroyJob(next, { name: 'Classy' })
    expect(next.read('src/lib/jobs.ts')).toContain('RedwoodJob.config(')
    next.delete('src/jobs/HandJob/HandJob.ts')
    next = commit(vol, next)
    // The call still stands, so the record that g job added it stays for the class job left (HandJob, now gone).
    expect(JSON.parse(next.read('jobs-kit.json')!).addedClassJobConfig).toBe('src/lib/jobs.ts')
    await destroyJob(next, { name: 'Plain' })
    expect(next.read('src/lib/jobs.ts')).not.toContain('RedwoodJob')
  })

  it('ends RedwoodJob.config with a semicolon in a config that uses them (no ASI hazard before a line starting with "("), and d job takes it out', async () => {
    const config = APPS['ts-esm-src-alias']['src/lib/jobs.ts']
      .replace(/\n\}\)\n/, '\n});\n')
      .replace("import('../jobs/index.js'),\n", "import('../jobs/index.js'),\n")
      .replace(/'\n/g, "';\n")
      .replace("export const later = jobs.createScheduler({ adapter: 'prisma' })\n", "(globalThis as { jobs?: unknown }).jobs = jobs;\nexport const later = jobs.createScheduler({ adapter: 'prisma' });\n")
    const { vol, tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'src/lib/jobs.ts': config })
    await generateJob(tree, { name: 'Classy', classStyle: true })
    expect(tree.read('src/lib/jobs.ts')).toContain('RedwoodJob.config({ adapter: jobs.adapters.prisma, logger: jobs.logger, jobs });\n')
    const next = commit(vol, tree)
    await destroyJob(next, { name: 'Classy' })
    expect(next.read('src/lib/jobs.ts')).toBe(config)
  })

  it('leaves a RedwoodJob.config the user wrote alone, in g job and in d job', async () => {
    const config = APPS['ts-esm-src-alias']['src/lib/jobs.ts']
      .replace('{ JobManager, PrismaAdapter }', '{ JobManager, PrismaAdapter, RedwoodJob }')
      .concat('\nRedwoodJob.config({ adapter: jobs.adapters.prisma })\n')
    const { vol, tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'src/lib/jobs.ts': config })
    await generateJob(tree, { name: 'Classy', classStyle: true })
    expect(tree.read('src/lib/jobs.ts')).toBe(config)
    expect(JSON.parse(tree.read('jobs-kit.json') ?? '{}').addedClassJobConfig).toBeUndefined()
    const next = commit(vol, tree)
    await destroyJob(next, { name: 'Classy' })
    expect(next.read('src/lib/jobs.ts')).toBe(config)
  })

  it('refuses a config without a JobManager to extend, and leaves the tree as it was', async () => {
    const { tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'src/lib/jobs.ts': 'export const jobs = {}\n' })
    await expect(generateJob(tree, { name: 'Classy', classStyle: true })).rejects.toThrow(UneditableFileError)
    expect(tree.changes()).toEqual([])
  })

  it('is idempotent', async () => {
    const { vol, tree } = makeApp(APPS['js-cjs-root'])
    await generateJob(tree, { name: 'Classy', classStyle: true })
    const next = commit(vol, tree)
    await generateJob(next, { name: 'Classy', classStyle: true })
    expect(next.changes()).toEqual([])
  })
})

describe('g job --cron', () => {
  describe.each(appNames)('%s', (app) => {
    it('plans a job whose perform takes no arguments, its recurring entry after workers, and croner in package.json', async () => {
      const { tree } = makeApp(APPS[app])
      const result = await generateJob(tree, { name: 'nightly-report', cron: '0 3 * * *', timezone: 'Europe/Berlin' })
      const config = tree.read(configPath(app))!
      expect(config).toContain("  recurring: [\n    { job: 'NightlyReportJob', cron: '0 3 * * *', timezone: 'Europe/Berlin' },\n  ],\n")
      expect(config.indexOf('recurring:')).toBeGreaterThan(config.indexOf('workers:'))
      expect(JSON.parse(tree.read('jobs-kit.json')!).addedRecurring).toEqual({
        NightlyReportJob: { config: configPath(app), cron: '0 3 * * *', timezone: 'Europe/Berlin', createdArray: true },
      })
      if ('package.json' in APPS[app]) {
        expect(JSON.parse(tree.read(cronerPackage(app))!).dependencies.croner).toMatch(/^\^11/)
        if (cronerPackage(app) !== 'package.json') expect(tree.read('package.json')).toBe(APPS[app]['package.json'])
        expect(result.nextSteps?.[0]).toMatch(/^(npm|yarn|pnpm|bun) install .*croner/)
      }
      expect(planned(tree)).toMatchSnapshot()
    })

    it('d job removes the entry and the array it created (croner stays in package.json)', async () => {
      const { vol, tree } = makeApp(APPS[app])
      const before = filesOf(vol)
      await generateJob(tree, { name: 'NightlyReport', cron: '*/2 * * * * *' })
      const next = commit(vol, tree)
      await destroyJob(next, { name: 'NightlyReport' })
      commit(vol, next)
      const { [cronerPackage(app)]: afterPackage, ...after } = filesOf(vol)
      const { [cronerPackage(app)]: beforePackage, ...rest } = before
      expect(after).toEqual(rest)
      if (beforePackage !== undefined) expect(JSON.parse(afterPackage!).dependencies.croner).toBeDefined()
    })
  })

  it('appends to an existing recurring array, and d job takes out only its own entry', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *' })
    let next = commit(vol, tree)
    await generateJob(next, { name: 'Hourly', cron: '0 * * * *', timezone: 'America/New_York' })
    const config = next.read('src/lib/jobs.ts')!
    expect(config).toContain(
      "  recurring: [\n    { job: 'NightlyJob', cron: '0 3 * * *' },\n    { job: 'HourlyJob', cron: '0 * * * *', timezone: 'America/New_York' },\n  ],\n",
    )
    expect(JSON.parse(next.read('jobs-kit.json')!).addedRecurring.HourlyJob.createdArray).toBe(false)
    next = commit(vol, next)
    await destroyJob(next, { name: 'Hourly' })
    expect(next.read('src/lib/jobs.ts')).toContain("  recurring: [\n    { job: 'NightlyJob', cron: '0 3 * * *' },\n  ],\n")
    next = commit(vol, next)
    await destroyJob(next, { name: 'Nightly' })
    expect(next.read('src/lib/jobs.ts')).toBe(APPS['ts-esm-src-alias']['src/lib/jobs.ts'])
  })

  it('d job of the job that created the array passes it on: the last entry out still takes the array along', async () => {
    const { vol, tree } = makeApp(APPS['js-cjs-root'])
    await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *' })
    let next = commit(vol, tree)
    await generateJob(next, { name: 'Hourly', cron: '0 * * * *' })
    next = commit(vol, next)
    await destroyJob(next, { name: 'Nightly' })
    expect(JSON.parse(next.read('jobs-kit.json')!).addedRecurring.HourlyJob.createdArray).toBe(true)
    next = commit(vol, next)
    await destroyJob(next, { name: 'Hourly' })
    expect(next.read('lib/jobs.js')).toBe(APPS['js-cjs-root']['lib/jobs.js'])
  })

  it('edits the typed form recurring: (): RecurringEntry[] => recurringJobs<…>([ … ])', async () => {
    const config = APPS['ts-esm-src-alias']['src/lib/jobs.ts'].replace(
      "  jobs: () => import('../jobs/index.js'),\n",
      "  jobs: () => import('../jobs/index.js'),\n  recurring: (): RecurringEntry[] => recurringJobs<typeof import('../jobs/index.js')>([]),\n",
    )
    const { vol, tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'src/lib/jobs.ts': config })
    await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *' })
    expect(tree.read('src/lib/jobs.ts')).toContain("recurringJobs<typeof import('../jobs/index.js')>([{ job: 'NightlyJob', cron: '0 3 * * *' }])")
    const next = commit(vol, tree)
    await destroyJob(next, { name: 'Nightly' })
    expect(next.read('src/lib/jobs.ts')).toBe(config)
  })

  it('appends after the last entry, not into a comment after it that has a comma (a commented-out entry)', async () => {
    const config = APPS['ts-esm-src-alias']['src/lib/jobs.ts'].replace(
      "  jobs: () => import('../jobs/index.js'),\n",
      "  jobs: () => import('../jobs/index.js'),\n  recurring: [\n    { job: 'OldJob', cron: '0 1 * * *' }\n    // { job: 'PausedJob', cron: '0 2 * * *' },\n  ],\n",
    )
    const { vol, tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'src/lib/jobs.ts': config })
    await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *' })
    expect(tree.read('src/lib/jobs.ts')).toContain(
      "  recurring: [\n    { job: 'OldJob', cron: '0 1 * * *' },\n    { job: 'NightlyJob', cron: '0 3 * * *' }\n    // { job: 'PausedJob', cron: '0 2 * * *' },\n  ],\n",
    )
    const next = commit(vol, tree)
    await destroyJob(next, { name: 'Nightly' })
    expect(next.read('src/lib/jobs.ts')).toBe(config)
  })

  it.each([
    ['a const array', 'const schedules = [{ job: \'OldJob\', cron: \'0 1 * * *\' }]\n', 'recurring: schedules,'],
    ['a shorthand property', 'const recurring = [{ job: \'OldJob\', cron: \'0 1 * * *\' }]\n', 'recurring,'],
  ])('adds to %s the config declares for recurring, and d job takes it out again', async (_, declaration, property) => {
    const config = APPS['ts-esm-src-alias']['src/lib/jobs.ts']
      .replace("import { db } from './db.js'\n", `import { db } from './db.js'\n${declaration}`)
      .replace("  jobs: () => import('../jobs/index.js'),\n", `  jobs: () => import('../jobs/index.js'),\n  ${property}\n`)
    const { vol, tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'src/lib/jobs.ts': config })
    await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *' })
    expect(tree.read('src/lib/jobs.ts')).toContain("[{ job: 'OldJob', cron: '0 1 * * *' }, { job: 'NightlyJob', cron: '0 3 * * *' }]\n")
    const next = commit(vol, tree)
    await generateJob(next, { name: 'Nightly', cron: '0 3 * * *' })
    expect(next.changes()).toEqual([])
    await destroyJob(next, { name: 'Nightly' })
    expect(next.read('src/lib/jobs.ts')).toBe(config)
  })

  it('d job takes the entry out of a const array the created `recurring` was moved into, not the property naming it', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *' })
    let next = commit(vol, tree)
    const moved = next.read('src/lib/jobs.ts')!
      .replace("  recurring: [\n    { job: 'NightlyJob', cron: '0 3 * * *' },\n  ],\n", '  recurring: schedules,\n')
      .replace("import { db } from './db.js'\n", "import { db } from './db.js'\n\nconst schedules = [{ job: 'NightlyJob', cron: '0 3 * * *' }]\n")
    next.write('src/lib/jobs.ts', moved)
    next = commit(vol, next)
    await destroyJob(next, { name: 'Nightly' })
    expect(next.read('src/lib/jobs.ts')).toBe(moved.replace("[{ job: 'NightlyJob', cron: '0 3 * * *' }]", '[]'))
  })

  it('refuses a recurring it cannot edit with advice that works when followed (an array literal, not the same g job again)', async () => {
    const config = APPS['ts-esm-src-alias']['src/lib/jobs.ts'].replace(
      "  jobs: () => import('../jobs/index.js'),\n",
      "  jobs: () => import('../jobs/index.js'),\n  recurring: loadSchedules(),\n",
    )
    const { tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'src/lib/jobs.ts': config })
    const error = await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *' }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UneditableFileError)
    expect((error as UneditableFileError).message).toMatch(/`recurring` is not an array literal/)
    expect((error as UneditableFileError).advice).toContain('recurring: [...loadSchedules()]')
    expect(tree.changes()).toEqual([])
  })

  it('takes an entry with the same schedule, reformatted (Prettier: double quotes) or with more fields, as there already', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *', timezone: 'Europe/Berlin' })
    let next = commit(vol, tree)
    next.write('src/lib/jobs.ts', next.read('src/lib/jobs.ts')!.replace(
      "{ job: 'NightlyJob', cron: '0 3 * * *', timezone: 'Europe/Berlin' }",
      '{ job: "NightlyJob", cron: "0 3 * * *", timezone: "Europe/Berlin", missed: "once" }',
    ))
    next = commit(vol, next)
    await generateJob(next, { name: 'Nightly', cron: '0 3 * * *', timezone: 'Europe/Berlin' })
    expect(next.changes()).toEqual([])
    await expect(generateJob(next, { name: 'Nightly', cron: '0 3 * * *' })).rejects.toThrow(/already has an entry for NightlyJob/)
  })

  it('is idempotent, and refuses another schedule for a job that has one', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *' })
    const next = commit(vol, tree)
    await generateJob(next, { name: 'Nightly', cron: '0 3 * * *' })
    expect(next.changes()).toEqual([])
    await expect(generateJob(next, { name: 'Nightly', cron: '0 4 * * *' })).rejects.toThrow(/already has an entry for NightlyJob/)
  })

  it('with --class: a RedwoodJob class whose perform takes no arguments, and the entry', async () => {
    const { tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *', classStyle: true })
    const job = tree.read('src/jobs/NightlyJob/NightlyJob.ts')!
    expect(job).toContain('export class NightlyJob extends RedwoodJob {')
    expect(job).toContain('  override async perform() {')
    expect(tree.read('src/jobs/NightlyJob/NightlyJob.scenarios.ts')).toContain('standard: [],')
    expect(tree.read('src/jobs/NightlyJob/NightlyJob.test.ts')).toContain('await NightlyJob.performNow(...scenarios.standard)')
    expect(tree.read('src/lib/jobs.ts')).toContain("{ job: 'NightlyJob', cron: '0 3 * * *' }")
  })

  it.each([
    [{ cron: '61 * * * *' }, 'INVALID_JOB_OPTION', /--cron "61 \* \* \* \*" cannot be used: Invalid value for minute: 61/],
    [{ cron: 'every day' }, 'INVALID_JOB_OPTION', /--cron "every day" cannot be used: a cron expression has 5 fields/],
    [{ cron: '0 3 * * * 2030 1' }, 'INVALID_JOB_OPTION', /this one has 7/],
    [{ cron: '0 3 * * *', timezone: 'Mars/Base' }, 'INVALID_JOB_OPTION', /--timezone "Mars\/Base" cannot be used: it is not an IANA time zone name/],
    [{ timezone: 'Europe/Berlin' }, 'JOB_OPTIONS_CONFLICT', /--timezone "Europe\/Berlin" was given without --cron/],
    // The worker refuses these (never fires; an empty zone), so g job must not write them.
    [{ cron: '0 0 31 2 *' }, 'INVALID_JOB_OPTION', /--cron "0 0 31 2 \*" cannot be used: it matches no date/],
    [{ cron: '0 3 * * *', timezone: '' }, 'INVALID_JOB_OPTION', /--timezone "" cannot be used: it is not an IANA time zone name/],
    [{ cron: '@reboot' }, 'INVALID_JOB_OPTION', /--cron "@reboot" cannot be used/],
    // yargs gives an array for a flag given twice.
    [{ cron: ['0 3 * * *', '0 4 * * *'] as unknown as string }, 'INVALID_JOB_OPTION', /--cron \["0 3 \* \* \*","0 4 \* \* \*"\] cannot be used: it was given more than once/],
    [{ cron: '0 3 * * *', timezone: ['UTC', 'Europe/Berlin'] as unknown as string }, 'INVALID_JOB_OPTION', /--timezone .* cannot be used: it was given more than once/],
  ])('refuses %o with a clear error and leaves the tree untouched', async (options, code, message) => {
    const { tree } = makeApp(APPS['ts-esm-src-alias'])
    const error = await generateJob(tree, { name: 'Nightly', ...options }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(code === 'JOB_OPTIONS_CONFLICT' ? JobOptionsConflictError : InvalidJobOptionError)
    expect((error as InvalidJobOptionError).code).toBe(code)
    expect((error as Error).message).toMatch(message)
    expect((error as InvalidJobOptionError).advice).toMatch(/e\.g\.|For example/)
    expect(tree.changes()).toEqual([])
  })

  it('takes croner\'s nicknames (@daily), which the recurring runtime accepts', async () => {
    const { tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'Nightly', cron: '@daily' })
    expect(tree.read('src/lib/jobs.ts')).toContain("{ job: 'NightlyJob', cron: '@daily' }")
  })

  it('leaves croner out of package.json when the app has it already', async () => {
    const pkg = '{ "name": "next-app", "type": "module", "dependencies": { "croner": "^10.0.0" } }\n'
    const { tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'package.json': pkg })
    const result = await generateJob(tree, { name: 'Nightly', cron: '0 3 * * *' })
    expect(tree.read('package.json')).toBe(pkg)
    expect(result.nextSteps?.join('\n')).not.toContain('croner')
  })
})
