import { describe, expect, it } from 'vitest'
import { appTree } from '../project/__tests__/app-tree.js'
import { InvalidJobsKitJsonError, NotSetUpError } from './errors.js'
import { formatJobsKitJson, readJobsKitJson, requiredPath, type JobsKitJson } from './jobs-kit-json.js'

const RECORD: JobsKitJson = {
  version: '0.1.0',
  language: 'ts',
  moduleType: 'esm',
  importExtension: '.js',
  provider: 'sqlite',
  model: { name: 'BackgroundJob', table: 'BackgroundJob', dbSchema: null },
  paths: {
    srcRoot: 'src',
    config: 'src/lib/jobs.ts',
    runtime: 'src/lib/jobs-kit',
    jobs: 'src/jobs',
    jobsIndex: 'src/jobs/index.ts',
    schema: 'prisma/schema.prisma',
    db: 'src/lib/db.ts',
  },
  dbExport: 'db',
  importAlias: '@/',
  addedQueues: { SendEmailJob: { queue: 'email', config: 'src/lib/jobs.ts' } },
  files: { 'src/lib/jobs-kit/z.ts': { version: '0.1.0', hash: 'sha256-z' }, 'src/lib/jobs-kit/a.ts': { version: '0.1.0', hash: 'sha256-a' } },
}

const read = (json: unknown) => readJobsKitJson(appTree({ 'jobs-kit.json': typeof json === 'string' ? json : JSON.stringify(json) }).tree)

describe('readJobsKitJson', () => {
  it('reads back what formatJobsKitJson writes', () => {
    expect(read(formatJobsKitJson(RECORD))).toEqual(RECORD)
  })

  it('asks for setup when the file is missing', () => {
    expect(() => readJobsKitJson(appTree({}).tree)).toThrow(NotSetUpError)
  })

  it.each([
    ['not JSON', '{ nope', /it is not valid JSON/],
    ['an array', [], /it is not a JSON object/],
    ['an unknown language', { ...RECORD, language: 'py' }, /"language" must be "ts" or "js" \(found "py"\)/],
    ['no moduleType', { ...RECORD, moduleType: undefined }, /"moduleType" must be "esm" or "cjs" \(it is missing\)/],
    ['an unknown import extension', { ...RECORD, importExtension: '.mjs' }, /"importExtension" must be ".js" or ""/],
    ['a model without its table', { ...RECORD, model: { name: 'Job' } }, /"model" must be/],
    ['no runtime path', { ...RECORD, paths: { config: 'src/lib/jobs.ts' } }, /"paths.runtime" is missing/],
    ['an empty path', { ...RECORD, paths: { ...RECORD.paths, jobs: '' } }, /"paths.jobs" must be a non-empty path/],
    ['an added queue without its config', { ...RECORD, addedQueues: { SendEmailJob: { queue: 'email' } } }, /"addedQueues" entry "SendEmailJob"/],
    ['a recurring record without createdArray', { ...RECORD, addedRecurring: { NightlyJob: { config: 'src/lib/jobs.ts', cron: '0 3 * * *' } } }, /"addedRecurring" entry "NightlyJob"/],
    ['a class job config that is not a path', { ...RECORD, addedClassJobConfig: true }, /"addedClassJobConfig" must be the path/],
    ['a file record without a hash', { ...RECORD, files: { 'a.ts': { version: '0.1.0' } } }, /"files" entry "a.ts"/],
  ])('refuses %s, naming the file and the field', (_what, json, message) => {
    const error = (() => {
      try {
        read(json)
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(InvalidJobsKitJsonError)
    expect((error as Error).message).toMatch(/^jobs-kit\.json is not usable: /)
    expect((error as Error).message).toMatch(message)
  })

  it('accepts a record from before the later fields, and requiredPath names the one a caller lacks', () => {
    const old = read({ version: '0.0.9', language: 'js', moduleType: 'cjs', paths: { config: 'lib/jobs.js', runtime: 'lib/jobs-kit' } })
    expect(old.importExtension).toBeUndefined()
    expect(old.files).toEqual({})
    expect(() => requiredPath(old, 'jobs')).toThrow(/"paths.jobs" is missing/)
  })
})

describe('formatJobsKitJson', () => {
  it('writes the documented order, files sorted, and keeps fields it does not know after them', () => {
    const text = formatJobsKitJson({ ...RECORD, files: RECORD.files, futureField: 1 } as JobsKitJson)
    expect(Object.keys(JSON.parse(text))).toEqual([
      'version', 'language', 'moduleType', 'importExtension', 'provider', 'model', 'paths', 'dbExport', 'importAlias', 'addedQueues', 'files', 'futureField',
    ])
    expect(Object.keys(JSON.parse(text).files)).toEqual(['src/lib/jobs-kit/a.ts', 'src/lib/jobs-kit/z.ts'])
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('leaves out addedQueues once d job has taken the last one out', () => {
    expect(JSON.parse(formatJobsKitJson({ ...RECORD, addedQueues: {} }))).not.toHaveProperty('addedQueues')
  })

  it('writes what g job --cron and --class recorded after addedQueues, and leaves out an empty addedRecurring', () => {
    const text = formatJobsKitJson({
      ...RECORD,
      addedRecurring: { NightlyJob: { config: 'src/lib/jobs.ts', cron: '0 3 * * *', createdArray: true } },
      addedClassJobConfig: 'src/lib/jobs.ts',
    })
    expect(Object.keys(JSON.parse(text))).toEqual([
      'version', 'language', 'moduleType', 'importExtension', 'provider', 'model', 'paths', 'dbExport', 'importAlias', 'addedQueues', 'addedRecurring', 'addedClassJobConfig', 'files',
    ])
    expect(JSON.parse(formatJobsKitJson({ ...RECORD, addedRecurring: {} }))).not.toHaveProperty('addedRecurring')
  })

  it('leaves out the fields an older record does not have', () => {
    const old = { version: '0.0.9', language: 'ts', moduleType: 'esm', paths: { config: 'c.ts', runtime: 'r' }, files: {} } as JobsKitJson
    expect(JSON.parse(formatJobsKitJson(old))).toEqual(old)
  })
})
