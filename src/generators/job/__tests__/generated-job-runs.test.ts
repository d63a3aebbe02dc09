/**
 * The proof that the templates are real code: set up an app with `planSetup`
 * (which vendors `src/runtime`, minus tests), generate a job into it, then
 * compile it with `tsc --noEmit` (TypeScript apps) and run its generated test
 * with Vitest (every app), in temporary folders on disk. The apps' Prisma clients are structurally typed fakes:
 * typechecking and running a job inline need no database.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commitTree } from '../../../tree/commit-tree.js'
import { createStagedTree } from '../../../tree/staged-tree.js'
import { planSetup } from '../../setup/index.js'
import { generateJob, type GenerateJobOptions, type JobGeneratorResult } from '../generate-job.js'

const REPO = fileURLToPath(new URL('../../../../', import.meta.url))
const TSC = join(REPO, 'node_modules/typescript/bin/tsc')
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs')
const JOB = 'src/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob'

const TS_APP: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'typecheck-app', type: 'module', dependencies: { '@prisma/client': '^7.0.0' }, devDependencies: { prisma: '^7.0.0', typescript: '^5.9.0', vitest: '^4.0.0' } }, null, 2)}\n`,
  'tsconfig.json': `${JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      // As strict as apps get: class-style jobs must say `override perform`.
      noImplicitOverride: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      paths: { '@/*': ['./src/*'] },
    },
    include: ['src'],
  }, null, 2)}\n`,
  'prisma/schema.prisma': 'generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\n\ndatasource db {\n  provider = "sqlite"\n}\n',
  'src/lib/db.ts': `/** Stands in for the app's PrismaClient: the members the Prisma adapter calls, typed structurally. */
const backgroundJob = {
  create: async (_args: { data: Record<string, unknown> }) => ({ id: 1 }),
  findMany: async (_args: Record<string, unknown>) => [] as Record<string, unknown>[],
  updateMany: async (_args: { where: Record<string, unknown>; data: Record<string, unknown> }) => ({ count: 0 }),
  deleteMany: async (_args?: { where?: Record<string, unknown> }) => ({ count: 0 }),
  groupBy: async (_args: Record<string, unknown>) => [] as Record<string, unknown>[],
}

export const db = {
  backgroundJob,
  $queryRawUnsafe: async (_query: string, ..._values: unknown[]): Promise<unknown> => [],
  $executeRawUnsafe: async (_query: string, ..._values: unknown[]): Promise<number> => 0,
}
`,
  'vitest.config.mjs': `import { fileURLToPath } from 'node:url'
export default { cacheDir: 'vite-cache', resolve: { alias: { '@/': fileURLToPath(new URL('./src/', import.meta.url)) } }, test: { include: ['src/**/*.test.ts'] } }
`,
}

const JS_CJS_APP: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'cjs-app', dependencies: { '@prisma/client': '^7.0.0' }, devDependencies: { prisma: '^7.0.0', vitest: '^4.0.0' } }, null, 2)}\n`,
  'prisma/schema.prisma': 'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "sqlite"\n}\n',
  'lib/db.js': `// Stands in for the app's PrismaClient.
const db = { backgroundJob: {}, $queryRawUnsafe: async () => [], $executeRawUnsafe: async () => 0 }
module.exports = { db }
`,
  'vitest.config.mjs': "export default { cacheDir: 'vite-cache', test: { include: ['jobs/**/*.test.js'] } }\n",
}

const JS_ESM_APP: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'esm-app', type: 'module', dependencies: { '@prisma/client': '^7.0.0' }, devDependencies: { prisma: '^7.0.0', vitest: '^4.0.0' } }, null, 2)}\n`,
  'prisma/schema.prisma': 'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "sqlite"\n}\n',
  'src/lib/db.js': `// Stands in for the app's PrismaClient.
export const db = { backgroundJob: {}, $queryRawUnsafe: async () => [], $executeRawUnsafe: async () => 0 }
`,
  'vitest.config.mjs': "export default { cacheDir: 'vite-cache', test: { include: ['src/jobs/**/*.test.js'] } }\n",
}

/**
 * A TypeScript app with no test runner at all (no Vitest, no Jest): only
 * what setup leaves it (tsx) and TypeScript with @types/node. The generated
 * test must type-check and run with Node's own test runner.
 */
const NO_RUNNER_TS_APP: Record<string, string> = {
  ...Object.fromEntries(Object.entries(TS_APP).filter(([path]) => path !== 'vitest.config.mjs')),
  'package.json': `${JSON.stringify({ name: 'plain-app', type: 'module', dependencies: { '@prisma/client': '^7.0.0' }, devDependencies: { '@types/node': '^20.19.0', prisma: '^7.0.0', tsx: '^4.20.0', typescript: '^5.9.0' } }, null, 2)}\n`,
}

/** The same in plain JavaScript, CommonJS: `node --test` runs it as it is. */
const NO_RUNNER_JS_CJS_APP: Record<string, string> = {
  ...Object.fromEntries(Object.entries(JS_CJS_APP).filter(([path]) => path !== 'vitest.config.mjs')),
  'package.json': `${JSON.stringify({ name: 'plain-cjs-app', dependencies: { '@prisma/client': '^7.0.0' }, devDependencies: { prisma: '^7.0.0' } }, null, 2)}\n`,
}

/**
 * The api side of a RedwoodJS app: TypeScript on node10 resolution with the
 * `src/` alias and extensionless imports, tested with Jest's globals (here
 * Vitest's `globals`, which stand in for them: @types/jest is not installed).
 */
const REDWOOD_APP: Record<string, string> = {
  'redwood.toml': '[web]\n  port = 8910\n[api]\n  port = 8911\n',
  'package.json': '{\n  "private": true,\n  "workspaces": { "packages": ["api", "web"] },\n  "devDependencies": { "@redwoodjs/core": "8.4.0" }\n}\n',
  'api/package.json': '{ "name": "api", "dependencies": { "@redwoodjs/api": "8.4.0" } }\n',
  'api/tsconfig.json': `${JSON.stringify({
    compilerOptions: {
      noEmit: true,
      strict: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'node',
      skipLibCheck: true,
      types: ['node', 'vitest/globals'],
      baseUrl: './',
      paths: { 'src/*': ['./src/*'] },
    },
    include: ['src'],
  }, null, 2)}\n`,
  'api/db/schema.prisma': 'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n',
  'api/src/lib/db.ts': `/** Stands in for the app's PrismaClient. */
export const db = {
  $queryRawUnsafe: async (_query: string, ..._values: unknown[]): Promise<unknown> => [],
  $executeRawUnsafe: async (_query: string, ..._values: unknown[]): Promise<number> => 0,
}
`,
  'vitest.config.mjs': `import { fileURLToPath } from 'node:url'
export default { cacheDir: 'vite-cache', resolve: { alias: { 'src/': fileURLToPath(new URL('./api/src/', import.meta.url)) } }, test: { globals: true, include: ['api/src/**/*.test.ts'] } }
`,
}

/**
 * Writes `files` to a new temporary folder, runs setup and `g job` on it for
 * real, and returns the folder (and what `g job` returned). `packages`: link
 * only these of the repo's packages into the app's node_modules (an app that
 * has not installed Vitest must not find it); all of them by default.
 */
async function makeAppWithJob(
  files: Record<string, string>,
  db: string,
  jobs: GenerateJobOptions | GenerateJobOptions[],
  packages?: string[],
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-generated-job-'))
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  if (packages) {
    for (const name of packages) {
      mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true })
      symlinkSync(join(REPO, 'node_modules', name), join(dir, 'node_modules', name), 'dir')
    }
  } else {
    // The repo's packages (TypeScript, Vitest, @types/node); each app's Vitest keeps its cache in the app (`cacheDir`), not in there.
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir')
  }
  const setup = createStagedTree({ root: dir })
  await planSetup(setup, { db })
  commitTree(setup)
  for (const job of [jobs].flat()) {
    const tree = createStagedTree({ root: dir })
    generated = await generateJob(tree, job)
    commitTree(tree)
  }
  return dir
}

let generated: JobGeneratorResult

let app: string

async function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [command, ...args], { cwd: app, env: { ...process.env, CI: '1', NO_COLOR: '1' } })
    return { code: 0, output: stripAnsi(stdout + stderr) }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: stripAnsi(`${failed.stdout ?? ''}${failed.stderr ?? ''}`) }
  }
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}

const tsc = (project = 'tsconfig.json') => run(TSC, ['-p', project])

/** Runs the command `g job` printed to run the job's test, in the app, as a user would paste it. */
async function printedTestCommand(): Promise<{ code: number; output: string }> {
  expect(generated.testCommand).toBeDefined()
  try {
    const { stdout, stderr } = await promisify(execFile)('/bin/sh', ['-c', generated.testCommand!], { cwd: app, env: { ...process.env, CI: '1', NO_COLOR: '1' } })
    return { code: 0, output: stripAnsi(stdout + stderr) }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: stripAnsi(`${failed.stdout ?? ''}${failed.stderr ?? ''}`) }
  }
}
const vitest = () => run(VITEST, ['run', '--config', 'vitest.config.mjs'])

describe('a job generated into a set-up TypeScript app (ESM, @/ alias, NodeNext)', () => {
  beforeAll(async () => {
    app = await makeAppWithJob(TS_APP, 'src/lib/db.ts', { name: 'send-welcome-email', queue: 'email', priority: 10 })
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  it('typechecks with the vendored runtime, its test and its scenarios', async () => {
    expect(readFileSync(join(app, 'src/jobs/index.ts'), 'utf8')).toContain("export { SendWelcomeEmailJob } from './SendWelcomeEmailJob/SendWelcomeEmailJob.js'")
    const result = await tsc()
    expect(result.output).toBe('')
    expect(result.code).toBe(0)
  })

  it('passes its own generated test', async () => {
    const result = await vitest()
    expect(result.output).toMatch(/Tests\s+1 passed/)
    expect(result.code).toBe(0)
  })

  it('has a test that fails when the job stops doing its work, and scenarios checked against perform', async () => {
    const jobPath = join(app, `${JOB}.ts`)
    const scenariosPath = join(app, `${JOB}.scenarios.ts`)
    const job = readFileSync(jobPath, 'utf8')
    const scenarios = readFileSync(scenariosPath, 'utf8')
    try {
      writeFileSync(jobPath, job.replace(/jobs\.logger\.info\(.*\)\n/, '\n'))
      const broken = await vitest()
      expect(broken.code).not.toBe(0)
      expect(broken.output).toMatch(/Tests\s+1 failed/)

      writeFileSync(jobPath, job)
      writeFileSync(scenariosPath, scenarios.replace('standard: [42]', "standard: ['42']"))
      const mistyped = await tsc()
      expect(mistyped.code).not.toBe(0)
      expect(mistyped.output).toContain('SendWelcomeEmailJob.scenarios.ts')
      expect(mistyped.output).toContain("Type 'string' is not assignable to type 'number'")
    } finally {
      writeFileSync(jobPath, job)
      writeFileSync(scenariosPath, scenarios)
    }
  })
})

describe('a job generated into a set-up RedwoodJS app (api/src, src/ alias, extensionless, Jest globals)', () => {
  beforeAll(async () => {
    app = await makeAppWithJob(REDWOOD_APP, 'api/src/lib/db.ts', { name: 'send-welcome-email', queue: 'email' })
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  it('typechecks with the vendored runtime, its test and its scenarios', async () => {
    const test = readFileSync(join(app, 'api/src/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob.test.ts'), 'utf8')
    expect(test).not.toContain("from 'vitest'")
    expect(test).toContain("import { jobs } from 'src/lib/jobs'\n")
    const result = await tsc('api/tsconfig.json')
    expect(result.output).toBe('')
    expect(result.code).toBe(0)
  })

  it('passes its own generated test with describe/it/expect as globals', async () => {
    const result = await vitest()
    expect(result.output).toMatch(/Tests\s+1 passed/)
    expect(result.code).toBe(0)
  })
})

describe('a job generated into a set-up JavaScript ES module app', () => {
  beforeAll(async () => {
    app = await makeAppWithJob(JS_ESM_APP, 'src/lib/db.js', { name: 'sync-crm', queue: 'default', priority: 1 })
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  it('passes its own generated test', async () => {
    expect(readFileSync(join(app, 'src/jobs/SyncCrmJob/SyncCrmJob.js'), 'utf8')).toContain("import { jobs } from '../../lib/jobs.js'")
    const result = await vitest()
    expect(result.output).toMatch(/Tests\s+1 passed/)
    expect(result.code).toBe(0)
  })
})

describe('a job generated into a set-up JavaScript CommonJS app', () => {
  beforeAll(async () => {
    app = await makeAppWithJob(JS_CJS_APP, 'lib/db.js', { name: 'cleanup', queue: 'low' })
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  it('passes its own generated test (ES module test file, CommonJS job, scenarios and vendored runtime)', async () => {
    expect(readFileSync(join(app, 'jobs/CleanupJob/CleanupJob.js'), 'utf8')).toContain("const { jobs } = require('../../lib/jobs.js')")
    const result = await vitest()
    expect(result.output).toMatch(/Tests\s+1 passed/)
    expect(result.code).toBe(0)
  })

  it('has a test that fails when the job stops doing its work', async () => {
    const jobPath = join(app, 'jobs/CleanupJob/CleanupJob.js')
    const job = readFileSync(jobPath, 'utf8')
    writeFileSync(jobPath, job.replace(/jobs\.logger\.info\(.*\)\n/, '\n'))
    const broken = await vitest()
    expect(broken.code).not.toBe(0)
    expect(broken.output).toContain("expected [] to include 'CleanupJob: performing for user 42'")
  })
})

describe('a job generated into a TypeScript app with no test runner (no Vitest, no Jest)', () => {
  beforeAll(async () => {
    app = await makeAppWithJob(NO_RUNNER_TS_APP, 'src/lib/db.ts', { name: 'send-welcome-email', queue: 'email' }, ['typescript', '@types/node', 'tsx'])
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  it('writes a test on node:test and node:assert, and the app still typechecks', async () => {
    const test = readFileSync(join(app, `${JOB}.test.ts`), 'utf8')
    expect(test).not.toContain('vitest')
    expect(test).toContain("from 'node:test'")
    const result = await tsc()
    expect(result.output).toBe('')
    expect(result.code).toBe(0)
  })

  it('prints a test command that runs with what the app has (tsx), and the test passes', async () => {
    expect(generated.testCommand).toBe(`node --import tsx --test ${JOB}.test.ts`)
    const result = await printedTestCommand()
    expect(result.output).toMatch(/# pass 1\b/)
    expect(result.output).toMatch(/# fail 0\b/)
    expect(result.code).toBe(0)
  })

  it('has a test that fails when the job stops doing its work', async () => {
    const jobPath = join(app, `${JOB}.ts`)
    const job = readFileSync(jobPath, 'utf8')
    try {
      writeFileSync(jobPath, job.replace(/jobs\.logger\.info\(.*\)\n/, '\n'))
      const broken = await printedTestCommand()
      expect(broken.code).not.toBe(0)
      expect(broken.output).toMatch(/# fail 1\b/)
      expect(broken.output).toContain('SendWelcomeEmailJob: performing for user 42')
    } finally {
      writeFileSync(jobPath, job)
    }
  })
})

describe('a job generated into a JavaScript CommonJS app with no test runner', () => {
  beforeAll(async () => {
    app = await makeAppWithJob(NO_RUNNER_JS_CJS_APP, 'lib/db.js', { name: 'cleanup', queue: 'low' }, [])
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  it('writes a CommonJS node:test test, and the printed command (plain node) passes it', async () => {
    const test = readFileSync(join(app, 'jobs/CleanupJob/CleanupJob.test.js'), 'utf8')
    expect(test).not.toContain('vitest')
    expect(test).toContain("require('node:test')")
    expect(generated.testCommand).toBe('node --test jobs/CleanupJob/CleanupJob.test.js')
    const result = await printedTestCommand()
    expect(result.output).toMatch(/# pass 1\b/)
    expect(result.code).toBe(0)
  })
})

describe('a class-style job generated into a set-up TypeScript app (ESM, @/ alias, NodeNext)', () => {
  beforeAll(async () => {
    app = await makeAppWithJob(TS_APP, 'src/lib/db.ts', [
      { name: 'send-welcome-email', queue: 'email', priority: 10, classStyle: true },
      { name: 'receipt', classStyle: true },
    ])
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  it('typechecks with RedwoodJob.config added to the config once, its tests and its scenarios', async () => {
    const config = readFileSync(join(app, 'src/lib/jobs.ts'), 'utf8')
    expect(config.match(/RedwoodJob\.config\(/g)).toHaveLength(1)
    const result = await tsc()
    expect(result.output).toBe('')
    expect(result.code).toBe(0)
  })

  it('passes its own generated tests', async () => {
    const result = await vitest()
    expect(result.output).toMatch(/Tests\s+2 passed/)
    expect(result.code).toBe(0)
  })

  it('has scenarios checked against perform: a mistyped one fails the typecheck', async () => {
    const scenariosPath = join(app, `${JOB}.scenarios.ts`)
    const scenarios = readFileSync(scenariosPath, 'utf8')
    try {
      writeFileSync(scenariosPath, scenarios.replace('standard: [42]', "standard: ['42']"))
      const mistyped = await tsc()
      expect(mistyped.code).not.toBe(0)
      expect(mistyped.output).toContain("Type 'string' is not assignable to type 'number'")
    } finally {
      writeFileSync(scenariosPath, scenarios)
    }
  })
})

describe('class-style and recurring jobs generated into a set-up JavaScript CommonJS app', () => {
  beforeAll(async () => {
    app = await makeAppWithJob(JS_CJS_APP, 'lib/db.js', [
      { name: 'cleanup', queue: 'low', classStyle: true },
      { name: 'nightly-report', cron: '0 3 * * *', timezone: 'Europe/Berlin' },
    ])
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  it('pass their own generated tests', async () => {
    expect(readFileSync(join(app, 'jobs/CleanupJob/CleanupJob.js'), 'utf8')).toContain("const { RedwoodJob } = require('../../lib/jobs-kit/index.js')")
    const result = await vitest()
    expect(result.output).toMatch(/Tests\s+2 passed/)
    expect(result.code).toBe(0)
  })

  it('has a class job test that fails when the job stops doing its work', async () => {
    const jobPath = join(app, 'jobs/CleanupJob/CleanupJob.js')
    const job = readFileSync(jobPath, 'utf8')
    try {
      writeFileSync(jobPath, job.replace(/this\.logger\.info\(.*\)\n/, '\n'))
      const broken = await vitest()
      expect(broken.code).not.toBe(0)
      expect(broken.output).toContain("expected [] to include 'CleanupJob: performing for user 42'")
    } finally {
      writeFileSync(jobPath, job)
    }
  })
})

describe('class-style and recurring jobs generated into a set-up JavaScript ES module app', () => {
  beforeAll(async () => {
    app = await makeAppWithJob(JS_ESM_APP, 'src/lib/db.js', [
      { name: 'sync-crm', classStyle: true },
      { name: 'hourly-digest', cron: '0 * * * *', classStyle: true },
    ])
  })
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  it('pass their own generated tests', async () => {
    expect(readFileSync(join(app, 'src/lib/jobs.js'), 'utf8')).toContain("recurring: [\n    { job: 'HourlyDigestJob', cron: '0 * * * *' },\n  ],")
    const result = await vitest()
    expect(result.output).toMatch(/Tests\s+2 passed/)
    expect(result.code).toBe(0)
  })
})
