import { describe, expect, it } from 'vitest'
import { ConflictError } from '../../../tree/errors.js'
import { commitTree } from '../../../tree/commit-tree.js'
import { generateJob } from '../generate-job.js'
import { NotSetUpError } from '../../../app-record/errors.js'
import { InvalidJobNameError, InvalidJobOptionError, JobLanguageConflictError, UneditableFileError } from '../errors.js'
import { destroyJob } from '../destroy-job.js'
import { createStagedTree } from '../../../tree/staged-tree.js'
import type { TreeFs } from '../../../tree/tree-fs.js'
import { APPS, ROOT, commit, filesOf, makeApp, type AppName } from './apps.js'

const appNames = Object.keys(APPS) as AppName[]

/** Every planned file, as the snapshot records it. */
function planned(tree: ReturnType<typeof makeApp>['tree']) {
  return tree.changes().map((change) => `${change.kind} ${change.path}\n${'-'.repeat(60)}\n${change.after ?? ''}`).join('\n')
}

describe('generateJob: planned files', () => {
  describe.each(appNames)('%s', (app) => {
    it('plans the job, its test, its scenarios and its index line on the default queue', async () => {
      const { tree } = makeApp(APPS[app])
      const result = await generateJob(tree, { name: 'send-welcome-email' })
      expect(result.jobName).toBe('SendWelcomeEmailJob')
      expect(result.files).toEqual(tree.changes().map((change) => change.path))
      expect(tree.changes().map((change) => change.kind)).toEqual(['create', 'create', 'create', 'update'])
      expect(planned(tree)).toMatchSnapshot()
    })

    it('adds a new --queue to the config, records it in the job, and writes --priority', async () => {
      const { tree } = makeApp(APPS[app])
      await generateJob(tree, { name: 'SendWelcomeEmail', queue: 'email', priority: 10 })
      const config = tree.changes().find((change) => change.path.endsWith(`lib/jobs.${app.startsWith('js') ? 'js' : 'ts'}`))
      expect(config?.after).toContain("queues: ['default', 'email']")
      expect(planned(tree)).toMatchSnapshot()
    })

    it('leaves the config alone for a --queue it already has', async () => {
      const { tree } = makeApp(APPS[app])
      await generateJob(tree, { name: 'SendWelcomeEmailJob', queue: 'default' })
      expect(tree.changes().some((change) => change.path.includes('/lib/') || change.path.startsWith('lib/'))).toBe(false)
      expect(planned(tree)).toMatchSnapshot()
    })
  })

  it('writes a JavaScript job into a TypeScript app with language: js', async () => {
    const { tree } = makeApp(APPS['ts-esm-src-alias'])
    const result = await generateJob(tree, { name: 'cleanup', language: 'js' })
    expect(result.files).toEqual([
      'src/jobs/CleanupJob/CleanupJob.js',
      'src/jobs/CleanupJob/CleanupJob.scenarios.js',
      'src/jobs/CleanupJob/CleanupJob.test.js',
      'src/jobs/index.ts',
    ])
    expect(tree.read('src/jobs/CleanupJob/CleanupJob.js')).toContain("import { jobs } from '@/lib/jobs.js'\n")
    expect(tree.read('src/jobs/index.ts')).toContain("export { CleanupJob } from './CleanupJob/CleanupJob.js'\n")
  })

  it('honours an importExtension recorded in jobs-kit.json', async () => {
    const json = JSON.parse(APPS['ts-esm-src-alias']['jobs-kit.json'])
    const { tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'jobs-kit.json': JSON.stringify({ ...json, importExtension: '' }) })
    await generateJob(tree, { name: 'cleanup' })
    expect(tree.read('src/jobs/CleanupJob/CleanupJob.ts')).toContain("from '@/lib/jobs'\n")
    expect(tree.read('src/jobs/index.ts')).toContain("export { CleanupJob } from './CleanupJob/CleanupJob'\n")
  })

  it.each([
    ['ts-esm-src-alias', "from '@/lib/jobs.js'\n"],
    ['js-cjs-root', "require('../../lib/jobs.js')\n"],
    ['js-esm-src', "from '../../lib/jobs.js'\n"],
    ['redwood', "from 'src/lib/jobs'\n"],
  ] as const)('%s: without importExtension in jobs-kit.json, imports end in .js except for TypeScript on CommonJS', async (app, expected) => {
    const files: Record<string, string> = { ...APPS[app] }
    const { importExtension: _dropped, ...json } = JSON.parse(files['jobs-kit.json'])
    files['jobs-kit.json'] = JSON.stringify(json)
    const { tree } = makeApp(files)
    const { files: written } = await generateJob(tree, { name: 'cleanup' })
    const job = written.find((path) => /CleanupJob\.(ts|js)$/.test(path))!
    expect(tree.read(job)).toContain(expected)
  })

  it('sends a job to the first configured queue when the config has no "default"', async () => {
    const files = { ...APPS['ts-esm-src-alias'] }
    files['src/lib/jobs.ts'] = files['src/lib/jobs.ts'].replace("['default']", "['critical', 'low']")
    const { tree } = makeApp(files)
    await generateJob(tree, { name: 'cleanup' })
    expect(tree.read('src/jobs/CleanupJob/CleanupJob.ts')).toContain("queue: 'critical',")
    expect(tree.read('src/lib/jobs.ts')).toBe(files['src/lib/jobs.ts'])
  })
})

describe('generateJob: running it again', () => {
  it.each(appNames)('%s: a second identical generate changes nothing', async (app) => {
    const { vol, tree } = makeApp(APPS[app])
    await generateJob(tree, { name: 'send-welcome-email', queue: 'email', priority: 5 })
    const again = commit(vol, tree)
    const after = filesOf(vol)
    await generateJob(again, { name: 'SendWelcomeEmailJob', queue: 'email', priority: 5 })
    expect(again.changes()).toEqual([])
    expect(again.conflicts()).toEqual([])
    commitTree(again)
    expect(filesOf(vol)).toEqual(after)
  })

  it('records a conflict for a job file the user changed, and overwrites it with force', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'cleanup' })
    const edited = commit(vol, tree)
    edited.write('src/jobs/CleanupJob/CleanupJob.ts', '// my own work\n')
    const again = commit(vol, edited)

    await generateJob(again, { name: 'cleanup' })
    expect(again.conflicts().map((conflict) => conflict.path)).toEqual(['src/jobs/CleanupJob/CleanupJob.ts'])
    expect(() => commitTree(again)).toThrow(ConflictError)
    expect(vol.readFileSync('/app/src/jobs/CleanupJob/CleanupJob.ts', 'utf8')).toBe('// my own work\n')

    const forced = createStagedTree({ root: ROOT, fs: vol as unknown as TreeFs })
    await generateJob(forced, { name: 'cleanup', force: true })
    expect(forced.conflicts()).toEqual([])
    expect(forced.changes().map((change) => [change.kind, change.path])).toEqual([['update', 'src/jobs/CleanupJob/CleanupJob.ts']])
  })
})

describe('generateJob: the same job in the other language', () => {
  it('is refused without force, and replaced with it; destroy still undoes everything', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    const original = filesOf(vol)
    await generateJob(tree, { name: 'cleanup', queue: 'email' })
    const generated = commit(vol, tree)

    const error = await generateJob(generated, { name: 'cleanup', queue: 'email', language: 'js' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JobLanguageConflictError)
    expect((error as JobLanguageConflictError).message).toBe(
      'CleanupJob already exists in TypeScript (src/jobs/CleanupJob/CleanupJob.ts, src/jobs/CleanupJob/CleanupJob.test.ts, src/jobs/CleanupJob/CleanupJob.scenarios.ts)',
    )

    const forced = commit(vol, generated) // nothing was planned
    const result = await generateJob(forced, { name: 'cleanup', queue: 'email', language: 'js', force: true })
    expect(result.files).toEqual([
      'src/jobs/CleanupJob/CleanupJob.js',
      'src/jobs/CleanupJob/CleanupJob.scenarios.js',
      'src/jobs/CleanupJob/CleanupJob.scenarios.ts',
      'src/jobs/CleanupJob/CleanupJob.test.js',
      'src/jobs/CleanupJob/CleanupJob.test.ts',
      'src/jobs/CleanupJob/CleanupJob.ts',
    ])
    // The record that g job added the "email" queue moves to the new job file.
    expect(forced.read('src/jobs/CleanupJob/CleanupJob.js')).toContain('The "email" queue was added to src/lib/jobs.ts for this job;')
    const replaced = commit(vol, forced)
    await destroyJob(replaced, { name: 'cleanup' })
    commitTree(replaced)
    expect(filesOf(vol)).toEqual(original)
  })
})

describe('generateJob: refusals', () => {
  it('refuses an invalid name before reading anything', async () => {
    const { tree } = makeApp({})
    await expect(generateJob(tree, { name: '../escape' })).rejects.toThrow(InvalidJobNameError)
  })

  it('asks for setup when jobs-kit.json is missing', async () => {
    const { tree } = makeApp({ 'src/lib/jobs.ts': '' })
    const error = await generateJob(tree, { name: 'cleanup' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotSetUpError)
    expect((error as NotSetUpError).message).toContain('jobs-kit.json was not found')
    expect((error as NotSetUpError).advice).toBe('Run `npx jobs-kit setup` first.')
  })

  it('refuses a jobs-kit.json that is not JSON, naming the file', async () => {
    const { tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'jobs-kit.json': '{ nope' })
    await expect(generateJob(tree, { name: 'cleanup' })).rejects.toThrow(/jobs-kit.json is not usable: it is not valid JSON/)
  })

  it('asks for setup when the config or the jobs index is missing', async () => {
    const { 'src/lib/jobs.ts': _config, ...noConfig } = APPS['ts-esm-src-alias']
    await expect(generateJob(makeApp(noConfig).tree, { name: 'cleanup' })).rejects.toThrow(
      /the jobs config \(src\/lib\/jobs.ts, from jobs-kit.json\) does not exist/,
    )
    const { 'src/jobs/index.ts': _index, ...noIndex } = APPS['ts-esm-src-alias']
    await expect(generateJob(makeApp(noIndex).tree, { name: 'cleanup' })).rejects.toThrow(NotSetUpError)
  })

  it.each([
    ['queue', { queue: '' }],
    ['queue', { queue: "it's" }],
    ['queue', { queue: 'two words' }],
    ['queue', { queue: '-flag' }],
    ['priority', { priority: 1.5 }],
    ['priority', { priority: -1 }],
    ['priority', { priority: Number.NaN }],
  ])('refuses --%s %j', async (option, options) => {
    const { tree } = makeApp(APPS['ts-esm-src-alias'])
    const error = await generateJob(tree, { name: 'cleanup', ...options }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidJobOptionError)
    expect((error as InvalidJobOptionError).option).toBe(option)
    expect(tree.changes()).toEqual([])
  })

  it('leaves the tree untouched when it refuses midway (an index it cannot edit)', async () => {
    const { tree } = makeApp({ ...APPS['js-cjs-root'], 'jobs/index.js': "module.exports = { AJob: require('./AJob/AJob.js').AJob }\n" })
    await expect(generateJob(tree, { name: 'cleanup', queue: 'email' })).rejects.toThrow(UneditableFileError)
    expect(tree.changes()).toEqual([])
    expect(tree.conflicts()).toEqual([])
  })

  it('refuses a new --queue when the config has no queues array it can edit, and tells the user what to do', async () => {
    const files = { ...APPS['ts-esm-src-alias'] }
    files['src/lib/jobs.ts'] = files['src/lib/jobs.ts'].replace("['default'] as const", 'QUEUES')
    const { tree } = makeApp(files)
    const error = await generateJob(tree, { name: 'cleanup', queue: 'email' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UneditableFileError)
    expect((error as UneditableFileError).advice).toContain('Add "email" to your configured queues yourself')
    // Without --queue the job goes to "default" and the config is left alone.
    const { tree: plain } = makeApp(files)
    await generateJob(plain, { name: 'cleanup' })
    expect(plain.read('src/lib/jobs.ts')).toBe(files['src/lib/jobs.ts'])
  })
})
