import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import nodePlop from 'node-plop'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { APPS } from '../generators/job/__tests__/apps.js'
import jobsKitPlopfile from './plopfile.js'

const PLOPFILE = fileURLToPath(new URL('./plopfile.ts', import.meta.url))
const dirs: string[] = []

/** A real app folder (plop writes to disk) as `jobs-kit setup` leaves it. */
function makeAppDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-plop-'))
  dirs.push(dir)
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

beforeAll(async () => {
  // plop imports plopfiles with Node's own import(): let it read our TypeScript sources.
  const { register } = await import('tsx/esm/api')
  register()
})

describe('the plop generators', () => {
  it('load into a user plopfile with plop.load and generate a job on disk', async () => {
    const app = makeAppDir(APPS['ts-esm-src-alias'])
    writeFileSync(
      join(app, 'plopfile.mjs'),
      `export default async function (plop) {\n  await plop.load(${JSON.stringify(PLOPFILE)})\n}\n`,
    )
    const plop = await nodePlop(join(app, 'plopfile.mjs'))
    expect(plop.getGeneratorList().map((generator) => generator.name)).toEqual(['job', 'destroy-job', 'jobs-kit-setup'])

    const { changes, failures } = await plop.getGenerator('job').runActions({ name: 'send-welcome-email', queue: 'email', priority: '5' })
    expect(failures).toEqual([])
    expect(changes[0].path).toBe(
      'SendWelcomeEmailJob: update jobs-kit.json, create src/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob.scenarios.ts, ' +
        'create src/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob.test.ts, create src/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob.ts, ' +
        'update src/jobs/index.ts, update src/lib/jobs.ts',
    )
    expect(readFileSync(join(app, 'src/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob.ts'), 'utf8')).toContain("queue: 'email',\n  priority: 5,\n")
    expect(readFileSync(join(app, 'src/lib/jobs.ts'), 'utf8')).toContain("queues: ['default', 'email'] as const")
  })

  it('the job generator mirrors g job --class, --cron and --timezone, and destroy-job undoes them', async () => {
    const app = makeAppDir(APPS['ts-esm-src-alias'])
    writeFileSync(join(app, 'plopfile.mjs'), `export default async function (plop) {\n  await plop.load(${JSON.stringify(PLOPFILE)})\n}\n`)
    const plop = await nodePlop(join(app, 'plopfile.mjs'))
    const config = readFileSync(join(app, 'src/lib/jobs.ts'), 'utf8')
    const { failures } = await plop.getGenerator('job').runActions({ name: 'nightly', classStyle: true, cron: ' 0 3 * * * ', timezone: 'Europe/Berlin' })
    expect(failures).toEqual([])
    expect(readFileSync(join(app, 'src/jobs/NightlyJob/NightlyJob.ts'), 'utf8')).toContain('export class NightlyJob extends RedwoodJob {')
    const edited = readFileSync(join(app, 'src/lib/jobs.ts'), 'utf8')
    expect(edited).toContain("{ job: 'NightlyJob', cron: '0 3 * * *', timezone: 'Europe/Berlin' }")
    expect(edited).toContain('RedwoodJob.config(')
    const refused = await plop.getGenerator('job').runActions({ name: 'hourly', cron: '61 * * * *' })
    expect(refused.failures[0]?.error).toMatch(/--cron "61 \* \* \* \*" cannot be used/)
    await plop.getGenerator('destroy-job').runActions({ name: 'nightly' })
    expect(readFileSync(join(app, 'src/lib/jobs.ts'), 'utf8')).toBe(config)
  })

  it.each([
    ['plop.load by package path', "export default async function (plop) {\n  await plop.load('jobs-kit/dist/plop/plopfile.js')\n}\n"],
    [
      'an import of jobs-kit/plopfile (package.json exports)',
      "import jobsKit from 'jobs-kit/plopfile'\nexport default function (plop) {\n  jobsKit(plop)\n}\n",
    ],
  ])('resolves as the README says, through %s', async (_case, plopfile) => {
    const app = makeAppDir(APPS['ts-esm-src-alias'])
    // The installed package as npm lays it out: our package.json, and a dist/ whose plopfile is the source.
    const packageDir = join(app, 'node_modules/jobs-kit')
    mkdirSync(join(packageDir, 'dist/plop'), { recursive: true })
    writeFileSync(join(packageDir, 'package.json'), readFileSync(new URL('../../package.json', import.meta.url)))
    writeFileSync(join(packageDir, 'dist/plop/plopfile.js'), `export { default } from ${JSON.stringify(PLOPFILE)}\n`)
    writeFileSync(join(app, 'plopfile.mjs'), plopfile)

    const plop = await nodePlop(join(app, 'plopfile.mjs'))
    expect(plop.getGeneratorList().map((generator) => generator.name)).toEqual(['job', 'destroy-job', 'jobs-kit-setup'])
    expect((await plop.getGenerator('job').runActions({ name: 'cleanup' })).failures).toEqual([])
    expect(existsSync(join(app, 'src/jobs/CleanupJob/CleanupJob.ts'))).toBe(true)
  })

  it('destroys what it generated, leaving the app as it was', async () => {
    const app = makeAppDir(APPS['js-cjs-root'])
    const plop = await nodePlop(undefined, { destBasePath: app, force: false })
    jobsKitPlopfile(plop)
    expect((await plop.getGenerator('job').runActions({ name: 'cleanup', queue: 'low' })).failures).toEqual([])
    expect(existsSync(join(app, 'jobs/CleanupJob/CleanupJob.js'))).toBe(true)
    expect((await plop.getGenerator('destroy-job').runActions({ name: 'CleanupJob' })).failures).toEqual([])
    expect(existsSync(join(app, 'jobs/CleanupJob'))).toBe(false)
    for (const [path, content] of Object.entries(APPS['js-cjs-root'])) {
      expect(readFileSync(join(app, path), 'utf8')).toBe(content)
    }
  })

  it('reports a conflict as a failed action and writes nothing, and overwrites with plop --force', async () => {
    const app = makeAppDir({ ...APPS['ts-esm-src-alias'], 'src/jobs/CleanupJob/CleanupJob.ts': '// mine\n' })
    const plop = await nodePlop(undefined, { destBasePath: app, force: false })
    jobsKitPlopfile(plop)
    const { changes, failures } = await plop.getGenerator('job').runActions({ name: 'cleanup' })
    expect(changes).toEqual([])
    expect(failures[0].error).toContain(
      'jobs-kit would overwrite files that exist with other content (src/jobs/CleanupJob/CleanupJob.ts); nothing was written. Run plop again with --force',
    )
    expect(readFileSync(join(app, 'src/jobs/index.ts'), 'utf8')).toBe(APPS['ts-esm-src-alias']['src/jobs/index.ts'])
    expect(existsSync(join(app, 'src/jobs/CleanupJob/CleanupJob.test.ts'))).toBe(false)

    const forced = await nodePlop(undefined, { destBasePath: app, force: true })
    jobsKitPlopfile(forced)
    expect((await forced.getGenerator('job').runActions({ name: 'cleanup' })).failures).toEqual([])
    expect(readFileSync(join(app, 'src/jobs/CleanupJob/CleanupJob.ts'), 'utf8')).toContain('export const CleanupJob')
  })

  it('overwrites with plop.load(…, { force: true }), since node-plop does not pass --force to loaded generators', async () => {
    const app = makeAppDir({ ...APPS['ts-esm-src-alias'], 'src/jobs/CleanupJob/CleanupJob.ts': '// mine\n' })
    writeFileSync(
      join(app, 'plopfile.mjs'),
      `export default async function (plop) {\n  await plop.load(${JSON.stringify(PLOPFILE)}, { force: true })\n}\n`,
    )
    const plop = await nodePlop(join(app, 'plopfile.mjs'))
    expect((await plop.getGenerator('job').runActions({ name: 'cleanup' })).failures).toEqual([])
    expect(readFileSync(join(app, 'src/jobs/CleanupJob/CleanupJob.ts'), 'utf8')).toContain('export const CleanupJob')
  })

  it('validates the name and the priority at the prompt, with the reason and an example', () => {
    const plop = { setGenerator: (name: string, config: unknown) => generators.set(name, config) }
    const generators = new Map<string, unknown>()
    jobsKitPlopfile(plop as never)
    const prompts = (generators.get('job') as { prompts: { validate?: (input: string) => true | string }[] }).prompts
    expect(prompts[2].validate!('')).toBe(true)
    expect(prompts[2].validate!('10')).toBe(true)
    expect(prompts[2].validate!('-1')).toMatch(/^A priority is a whole number/)
    expect(prompts[0].validate!('SendWelcomeEmail')).toBe(true)
    expect(prompts[0].validate!('2fa')).toBe(
      'cannot use "2fa" as a job name: it starts with a digit. Use letters and digits, optionally separated by "-" or "_", starting with a letter, e.g. "SendWelcomeEmail" or "send-welcome-email".',
    )
  })

  it('reports a missing setup as a failure that says what to do', async () => {
    const app = makeAppDir({ 'package.json': '{}\n' })
    const plop = await nodePlop(undefined, { destBasePath: app, force: false })
    jobsKitPlopfile(plop)
    const { failures } = await plop.getGenerator('job').runActions({ name: 'cleanup' })
    expect(failures[0].error).toMatch(/jobs-kit.json was not found .*\. Run `npx jobs-kit setup` first\./)
  })

  it('sets an app up, then generates a job into it; setting up again changes nothing', async () => {
    const app = makeAppDir({
      'package.json': '{\n  "name": "plop-app",\n  "type": "module",\n  "dependencies": { "@prisma/client": "^7.0.0" }\n}\n',
      'tsconfig.json': '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext" } }\n',
      'prisma/schema.prisma': 'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "sqlite"\n}\n',
      'src/lib/db.ts': "import { PrismaClient } from '@prisma/client'\n\nexport const db = new PrismaClient()\n",
    })
    const plop = await nodePlop(undefined, { destBasePath: app, force: false })
    jobsKitPlopfile(plop)
    const setup = await plop.getGenerator('jobs-kit-setup').runActions({ db: '' })
    expect(setup.failures).toEqual([])
    expect(setup.changes[0].path).toContain('create src/lib/jobs.ts')
    expect(setup.changes[0].path).toContain('Next:\n')
    expect(JSON.parse(readFileSync(join(app, 'jobs-kit.json'), 'utf8')).paths.jobs).toBe('src/jobs')

    expect((await plop.getGenerator('job').runActions({ name: 'cleanup' })).failures).toEqual([])
    expect(readFileSync(join(app, 'src/jobs/index.ts'), 'utf8')).toContain("export { CleanupJob } from './CleanupJob/CleanupJob.js'\n")

    const again = await plop.getGenerator('jobs-kit-setup').runActions({ db: 'src/lib/db.ts' })
    expect(again.failures).toEqual([])
    expect(again.changes[0].path).toMatch(/^already set up, nothing to change\n/)
  })
})
