import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatJobsKitJson } from '../../app-record/jobs-kit-json.js'
import { appTree } from '../../project/__tests__/app-tree.js'
import { commitTree } from '../../tree/commit-tree.js'
import { CommitError, ConflictError } from '../../tree/errors.js'
import type { TreeFs } from '../../tree/tree-fs.js'
import { runtimeSources } from '../../vendoring/__fixtures__/runtime-sources.js'
import { planSetup, type SetupOptions } from './plan-setup.js'
import { jsCjsApp, jsEsmApp, redwoodApp, tsEsmApp } from './__fixtures__/apps.js'

/** Stable inputs: a small stand-in runtime, a fixed version and migration time. */
const stable: SetupOptions = { runtimeSources, version: '0.0.0-test', now: new Date('2026-01-02T03:04:05Z'), migration: true }

async function plan(files: Record<string, string>, options: SetupOptions = {}) {
  const { tree, vol } = appTree(files)
  const result = await planSetup(tree, { ...stable, ...options })
  return { tree, vol, result }
}

/**
 * Every planned file's content, except the schema and migration, which the
 * schema module owns and tests (here: only that they change).
 */
function plannedFiles(tree: Awaited<ReturnType<typeof plan>>['tree']) {
  const files: Record<string, string> = {}
  for (const change of tree.changes()) {
    if (/\.prisma$|migration/.test(change.path)) continue
    files[`${change.kind} ${change.path}`] = change.after ?? '(deleted)'
  }
  return files
}

describe('planSetup: what it plans for each layout', () => {
  const layouts = { 'TypeScript ESM app with src/ and @/': tsEsmApp, 'JavaScript CommonJS app at the root': jsCjsApp, 'RedwoodJS app': redwoodApp, 'JavaScript ESM app': jsEsmApp }
  for (const [name, files] of Object.entries(layouts)) {
    it(`plans every file for a ${name}`, async () => {
      const { tree, vol } = await plan(files)
      const before = vol.toJSON()
      expect(tree.conflicts()).toEqual([])
      expect(plannedFiles(tree)).toMatchSnapshot()
      const paths = tree.changes().map((change) => `${change.kind} ${change.path}`)
      expect(paths.filter((path) => /\.prisma$|migration/.test(path))).toEqual([
        expect.stringMatching(/^create .*migrations\/20260102030405_background_jobs\/migration\.sql$/),
        expect.stringMatching(/^create .*migrations\/migration_lock\.toml$/),
        expect.stringMatching(/^update .*schema\.prisma$/),
      ])
      expect(tree.changes().find((change) => change.path.endsWith('schema.prisma'))!.after).toMatch(/model BackgroundJob \{/)
      expect(tree.changes().find((change) => change.path.endsWith('schema.prisma'))!.after).toMatch(/model BackgroundJobSchedule \{/)
      expect(tree.changes().find((change) => change.path.endsWith('schema.prisma'))!.after).toMatch(/model BackgroundJobWorker \{[\s\S]*model BackgroundJobCount \{/)
      // One migration creates every table, as `prisma migrate dev` would.
      expect(tree.changes().find((change) => change.path.endsWith('_background_jobs/migration.sql'))!.after)
        .toMatch(/CREATE TABLE .BackgroundJob.[\s\S]*CREATE TABLE .BackgroundJobSchedule.[\s\S]*CREATE TABLE .BackgroundJobWorker.[\s\S]*CREATE TABLE .BackgroundJobCount./)
      // Planning wrote nothing.
      expect(vol.toJSON()).toEqual(before)
    })
  }

  it('writes no migration without --migration', async () => {
    const { tree, result } = await plan(tsEsmApp, { migration: false })
    expect(result.migrationPath).toBeNull()
    expect(tree.changes().some((change) => change.path.includes('migrations'))).toBe(false)
    expect(result.nextSteps.join('\n')).toMatch(/prisma migrate dev --name background_jobs/)
  })

  it('vendors TypeScript as JavaScript with --js, and config and index in JavaScript', async () => {
    const { tree } = await plan(tsEsmApp, { language: 'js' })
    const paths = tree.changes().map((change) => change.path)
    expect(paths).toContain('src/lib/jobs.js')
    expect(paths).toContain('src/jobs/index.js')
    expect(paths).toContain('src/lib/jobs-kit/manager/job-manager.js')
    expect(paths.some((path) => path.startsWith('src/lib/jobs-kit/') && path.endsWith('.ts'))).toBe(false)
    expect(JSON.parse(tree.read('package.json')!).scripts.jobs).toBe('node src/lib/jobs-kit/runner/cli.js --config src/lib/jobs.js')
  })

  it('records a sha256 of every vendored file as written', async () => {
    const { createHash } = await import('node:crypto')
    const { tree } = await plan(jsCjsApp)
    const json = JSON.parse(tree.read('jobs-kit.json')!) as { files: Record<string, { hash: string; version: string }> }
    const vendored = tree.changes().filter((change) => change.path.startsWith('lib/jobs-kit/'))
    expect(Object.keys(json.files).sort()).toEqual(vendored.map((change) => change.path).sort())
    for (const change of vendored) {
      expect(json.files[change.path]).toEqual({
        version: '0.0.0-test',
        hash: `sha256-${createHash('sha256').update(change.after!).digest('base64')}`,
      })
    }
  })

  it('passes a non-default jobs model name to the adapter', async () => {
    const files = {
      ...jsEsmApp,
      'prisma/schema.prisma': `${jsEsmApp['prisma/schema.prisma']}
model QueuedTask {
  id        Int       @id @default(autoincrement())
  attempts  Int       @default(0)
  handler   String    @db.Text
  queue     String
  priority  Int       @default(50)
  runAt     DateTime?
  lockedAt  DateTime?
  lockedBy  String?
  lastError String?   @db.Text
  failedAt  DateTime?
  createdAt DateTime  @default(now())
  updatedAt DateTime  @updatedAt
}
`,
    }
    const { tree, result } = await plan(files, { migration: false })
    expect(result.modelName).toBe('QueuedTask')
    // The existing jobs model is kept as it is; only the schedule model and the worker registry's are appended.
    const schema = tree.read('prisma/schema.prisma')!
    expect(schema.startsWith(files['prisma/schema.prisma'])).toBe(true)
    expect(schema.slice(files['prisma/schema.prisma'].length)).toMatch(
      /^\n(\/\/\/[^\n]*\n)+model BackgroundJobSchedule \{[^}]*lastSlotAt +DateTime\n[^}]*\}\n\n(\/\/\/[^\n]*\n)+model BackgroundJobWorker \{[^}]*\}\n\n(\/\/\/[^\n]*\n)+model BackgroundJobCount \{[^}]*\}\n$/,
    )
    expect(tree.read('src/lib/jobs.js')).toMatch(/new PrismaAdapter\(\{\s*db,\s*model: 'QueuedTask',/)
  })

  /** An app as setup left it, and the SQL each companion migration appended to its jobs migration. */
  async function setUpApp() {
    const first = await plan(jsEsmApp, { migration: true })
    const setUp: Record<string, string> = Object.fromEntries(first.tree.changes().flatMap((change) => (typeof change.after === 'string' ? [[change.path, change.after]] : [])))
    const jobsMigration = first.result.migrationPath!
    const provider = ['sqlite', 'postgresql', 'mysql'].find((candidate) => setUp[jobsMigration]!.includes(readFileSync(`templates/schema/migrations/recurring/${candidate}.sql`, 'utf8')))!
    const scheduleSql = readFileSync(`templates/schema/migrations/recurring/${provider}.sql`, 'utf8')
    const workerSql = readFileSync(`templates/schema/migrations/workers/${provider}.sql`, 'utf8')
    // A fresh setup creates every table in its one migration.
    expect(setUp[jobsMigration]!.endsWith(`\n${scheduleSql}\n${workerSql}`)).toBe(true)
    return { setUp, jobsMigration, scheduleSql, workerSql }
  }
  const withoutModel = (schema: string, name: string) => schema.replace(new RegExp(`\\n(///[^\\n]*\\n)+model ${name} \\{[^}]*\\}\\n`), '')

  it('leaves an app set up with the previous indexes (before `id` ended them) as it is, says how to update them, and migrates them as they are', async () => {
    const { setUp, jobsMigration } = await setUpApp()
    const provider = ['sqlite', 'postgresql', 'mysql'].find((candidate) => setUp[jobsMigration]!.startsWith(readFileSync(`templates/schema/migrations/${candidate}.sql`, 'utf8')))!
    const currentSql = readFileSync(`templates/schema/migrations/${provider}.sql`, 'utf8')
    const previousSql = readFileSync(`templates/schema/migrations/previous-indexes/${provider}.sql`, 'utf8')
    const schema = setUp['prisma/schema.prisma']!
      .replace('@@index([priority, runAt, id])', '@@index([priority, runAt])')
      .replace('@@index([queue, priority, runAt, id])', '@@index([queue, priority, runAt])')
    expect(schema).not.toBe(setUp['prisma/schema.prisma'])
    const before = { ...jsEsmApp, ...setUp, 'prisma/schema.prisma': schema, [jobsMigration]: setUp[jobsMigration]!.replace(currentSql, previousSql) }
    expect((await plan(jsEsmApp)).result.notes.join('\n')).not.toMatch(/earlier jobs-kit/)

    // setup again, with or without --migration: no change, and a note on the indexes.
    for (const migration of [true, false]) {
      const again = await plan(before, { migration })
      expect(again.tree.changes()).toEqual([])
      expect(again.result.notes.join('\n')).toMatch(/BackgroundJob has the indexes of an earlier jobs-kit[\s\S]*@@index\(\[priority, runAt, id\]\)[\s\S]*prisma migrate dev/)
    }

    // Not migrated yet: setup --migration writes the SQL of the app's own indexes, not refused.
    const unmigrated = Object.fromEntries(Object.entries(before).filter(([path]) => !path.includes('/migrations/')))
    const migrated = await plan(unmigrated, { migration: true })
    expect(migrated.tree.read(migrated.result.migrationPath!)!.startsWith(previousSql)).toBe(true)
    expect(migrated.tree.read('prisma/schema.prisma')).toBe(schema)
  })

  it('adds only the schedule and worker models and their migrations to an app set up before recurring jobs, and nothing more', async () => {
    const { setUp, jobsMigration, scheduleSql, workerSql } = await setUpApp()
    const before = {
      ...jsEsmApp,
      ...setUp,
      [jobsMigration]: setUp[jobsMigration]!.slice(0, -(scheduleSql.length + workerSql.length + 2)),
      'prisma/schema.prisma': ['BackgroundJobSchedule', 'BackgroundJobWorker', 'BackgroundJobCount'].reduce(withoutModel, setUp['prisma/schema.prisma']!),
    }
    const again = await plan(before, { migration: true })
    const changed = again.tree.changes().map((change) => change.path)
    expect(changed).toContain('prisma/schema.prisma')
    expect(changed.filter((path) => path.includes('/migrations/')).sort()).toEqual([
      expect.stringMatching(/_background_job_schedules\/migration\.sql$/),
      expect.stringMatching(/_background_job_workers\/migration\.sql$/),
    ])
    expect(again.tree.read(changed.find((path) => path.includes('_background_job_schedules'))!)).toBe(scheduleSql)
    expect(again.tree.read(changed.find((path) => path.includes('_background_job_workers'))!)).toBe(workerSql)
    expect(again.tree.read(jobsMigration)).toBe(before[jobsMigration])
    expect(again.tree.read('prisma/schema.prisma')).toBe(setUp['prisma/schema.prisma'])
  })

  it('adds only the worker registry (both models, one migration) to an app set up with recurring jobs but before the registry', async () => {
    const { setUp, jobsMigration, workerSql } = await setUpApp()
    const before = {
      ...jsEsmApp,
      ...setUp,
      [jobsMigration]: setUp[jobsMigration]!.slice(0, -(workerSql.length + 1)),
      'prisma/schema.prisma': ['BackgroundJobWorker', 'BackgroundJobCount'].reduce(withoutModel, setUp['prisma/schema.prisma']!),
    }
    const again = await plan(before, { migration: true })
    const changed = again.tree.changes().map((change) => change.path)
    expect(changed.filter((path) => path.includes('/migrations/'))).toEqual([expect.stringMatching(/_background_job_workers\/migration\.sql$/)])
    expect(again.tree.read(changed.find((path) => path.includes('_background_job_workers'))!)).toBe(workerSql)
    expect(again.tree.read('prisma/schema.prisma')).toBe(setUp['prisma/schema.prisma'])
    // And once more: nothing left to add.
    const third = await plan({ ...before, ...Object.fromEntries(again.tree.changes().flatMap((change) => (typeof change.after === 'string' ? [[change.path, change.after]] : []))) }, { migration: true })
    expect(third.tree.changes().filter((change) => /\.prisma$|migration/.test(change.path))).toEqual([])
  })

  it('refuses an app model named BackgroundJobWorker with other fields, changing nothing', async () => {
    const files = { ...jsEsmApp, 'prisma/schema.prisma': `${jsEsmApp['prisma/schema.prisma']}\nmodel BackgroundJobWorker {\n  id Int @id\n}\n` }
    await expect(plan(files, { migration: true })).rejects.toThrow(/already has a model or table named BackgroundJobWorker with other fields/)
  })
})

describe('planSetup: idempotency, conflicts and all-or-nothing writes', () => {
  it('plans zero changes the second time', async () => {
    for (const files of [tsEsmApp, jsCjsApp, redwoodApp, jsEsmApp]) {
      const first = await plan(files)
      commitTree(first.tree)
      const again = createTreeOver(first.vol)
      await planSetup(again, stable)
      expect(again.changes()).toEqual([])
      expect(again.conflicts()).toEqual([])
    }
  })

  it('keeps the queues g job recorded as added in jobs-kit.json (d job still needs them) when run again', async () => {
    const first = await plan(tsEsmApp)
    commitTree(first.tree)
    const json = JSON.parse(String(first.vol.readFileSync('/app/jobs-kit.json', 'utf8')))
    json.addedQueues = { SendEmailJob: { queue: 'email', config: 'src/lib/jobs.ts' } }
    first.vol.writeFileSync('/app/jobs-kit.json', formatJobsKitJson(json)) // as g job writes it
    const again = createTreeOver(first.vol)
    await planSetup(again, stable)
    expect(again.changes()).toEqual([])
    expect(again.conflicts()).toEqual([])
  })

  it('treats an existing, different config as a conflict without --force, and overwrites it with --force', async () => {
    // RedwoodJS's own `yarn rw setup jobs` writes api/src/lib/jobs.ts, for instance.
    const files = { ...tsEsmApp, 'src/lib/jobs.ts': '// my own jobs config\n' }
    const refused = await plan(files)
    expect(refused.tree.conflicts().map((conflict) => conflict.path)).toEqual(['src/lib/jobs.ts'])
    expect(() => commitTree(refused.tree)).toThrow(ConflictError)
    expect(refused.vol.readFileSync('/app/src/lib/jobs.ts', 'utf8')).toBe('// my own jobs config\n')

    const forced = await plan(files, { force: true })
    expect(forced.tree.conflicts()).toEqual([])
    commitTree(forced.tree)
    expect(forced.vol.readFileSync('/app/src/lib/jobs.ts', 'utf8')).toMatch(/new JobManager/)
  })

  it('leaves the config alone once set up (g job adds queues to it), but treats an edited vendored file as a conflict', async () => {
    const first = await plan(tsEsmApp)
    commitTree(first.tree)
    const edited = first.vol.readFileSync('/app/src/lib/jobs.ts', 'utf8').toString().replace("['default']", "['default', 'email']")
    first.vol.writeFileSync('/app/src/lib/jobs.ts', edited)
    first.vol.writeFileSync('/app/src/lib/jobs-kit/worker/backoff.ts', '// edited\n')

    const refused = createTreeOver(first.vol)
    const result = await planSetup(refused, stable)
    expect(result.alreadySetUp).toBe(true)
    expect(refused.conflicts().map((conflict) => conflict.path)).toEqual(['src/lib/jobs-kit/worker/backoff.ts'])
    expect(() => commitTree(refused)).toThrow(ConflictError)

    const forced = createTreeOver(first.vol)
    await planSetup(forced, { ...stable, force: true })
    expect(forced.changes().map((change) => `${change.kind} ${change.path}`)).toEqual(['update src/lib/jobs-kit/worker/backoff.ts'])
    commitTree(forced)
    expect(first.vol.readFileSync('/app/src/lib/jobs.ts', 'utf8')).toBe(edited)
  })

  it('keeps a jobs index that already has jobs', async () => {
    const first = await plan(tsEsmApp)
    commitTree(first.tree)
    const index = "export { AJob } from './AJob/AJob.js'\n"
    first.vol.writeFileSync('/app/src/jobs/index.ts', index)
    const again = createTreeOver(first.vol)
    await planSetup(again, stable)
    expect(again.changes()).toEqual([])
    expect(again.read('src/jobs/index.ts')).toBe(index)
  })

  it('treats a "jobs" script that runs something else as a conflict on package.json', async () => {
    const pkg = JSON.parse(jsCjsApp['package.json']!) as Record<string, unknown>
    const { tree } = await plan({ ...jsCjsApp, 'package.json': JSON.stringify({ ...pkg, scripts: { jobs: 'node my-jobs.js' } }, null, 2) })
    expect(tree.conflicts().map((conflict) => conflict.path)).toEqual(['package.json'])
    const forced = await plan({ ...jsCjsApp, 'package.json': JSON.stringify({ ...pkg, scripts: { jobs: 'node my-jobs.js' } }, null, 2) }, { force: true })
    expect(JSON.parse(forced.tree.read('package.json')!).scripts.jobs).toBe('node lib/jobs-kit/runner/cli.js --config lib/jobs.js')
  })

  it('does not add tsx when the app has it, nor ignore lines .gitignore already has', async () => {
    const pkg = JSON.parse(tsEsmApp['package.json']!) as { devDependencies: Record<string, string> }
    pkg.devDependencies.tsx = '^4.0.0'
    const { tree } = await plan({ ...tsEsmApp, 'package.json': JSON.stringify(pkg, null, 2), '.gitignore': 'node_modules\n/.jobs-kit\n' })
    expect(JSON.parse(tree.read('package.json')!).devDependencies.tsx).toBe('^4.0.0')
    expect(tree.changes().some((change) => change.path === '.gitignore')).toBe(false)
    expect(tree.skipped()).toContain('.gitignore')
  })

  for (const okWrites of [0, 5, 12]) {
    it(`leaves every file as it was when write number ${okWrites + 1} fails`, async () => {
      const { tree, vol } = await plan(tsEsmApp)
      const before = vol.toJSON()
      let writes = 0
      const failing = new Proxy(vol as unknown as TreeFs, {
        get(target, key) {
          const value = Reflect.get(target, key)
          if (key === 'writeFileSync') {
            return (path: string, content: string) => {
              writes += 1
              if (writes === okWrites + 1) throw new Error('EACCES: permission denied')
              return target.writeFileSync(path, content)
            }
          }
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
      expect(() => commitTree(tree, { fs: failing })).toThrow(CommitError)
      expect(vol.toJSON()).toEqual(before)
      expect(vol.existsSync('/app/src/lib/jobs-kit')).toBe(false)
      expect(vol.existsSync('/app/prisma/migrations')).toBe(false)
    })
  }
})

function createTreeOver(vol: ReturnType<typeof appTree>['vol']) {
  // A fresh tree over the same volume: what a second `jobs-kit setup` sees.
  return appTree.over(vol)
}
