/**
 * Apps as `jobs-kit setup` leaves them, for the job generator's memfs tests:
 * `jobs-kit.json`, the jobs config and an empty jobs index, in the four
 * layouts the generator must handle.
 */
import { Volume } from 'memfs'
import { commitTree } from '../../../tree/commit-tree.js'
import { createStagedTree, type StagedTree } from '../../../tree/staged-tree.js'
import type { TreeFs } from '../../../tree/tree-fs.js'

export const ROOT = '/app'

const TS_CONFIG = `import { JobManager, PrismaAdapter } from './jobs-kit/index.js'
import { db } from './db.js'

// Background jobs: see https://github.com/jobs-kit/jobs-kit
export const jobs = new JobManager({
  adapters: { prisma: new PrismaAdapter({ db }) },
  queues: ['default'] as const,
  logger: console,
  workers: [{ adapter: 'prisma', queue: '*', count: 1, maxAttempts: 24, maxRuntime: 14_400, sleepDelay: 5, deleteFailedJobs: false }],
  jobs: () => import('../jobs/index.js'),
})

export const later = jobs.createScheduler({ adapter: 'prisma' })
`

const JS_CJS_CONFIG = `const { JobManager, PrismaAdapter } = require('./jobs-kit/index.js')
const { db } = require('./db.js')

const jobs = new JobManager({
  adapters: { prisma: new PrismaAdapter({ db }) },
  queues: ['default'],
  logger: console,
  workers: [{ adapter: 'prisma', queue: '*', count: 1 }],
  jobs: () => require('../jobs/index.js'),
})

const later = jobs.createScheduler({ adapter: 'prisma' })

module.exports = { jobs, later }
`

/** What setup writes for an ES module index (templates/config/jobs-index.ts.hbs). */
const ESM_INDEX = `/**
 * The jobs registry: the worker finds a job by its export name here.
 */
export {}
`
/** What setup writes for a CommonJS index. */
const CJS_INDEX = "// The jobs registry: `jobs-kit g job` adds a line per job. Workers find jobs by these export names.\n"

function jobsKitJson(fields: {
  language: 'ts' | 'js'
  moduleType: 'esm' | 'cjs'
  importExtension: '.js' | ''
  srcRoot: string
  importAlias: string | null
}): string {
  const { srcRoot, language } = fields
  const under = (path: string) => (srcRoot === '.' ? path : `${srcRoot}/${path}`)
  return `${JSON.stringify(
    {
      version: '0.1.0',
      language,
      moduleType: fields.moduleType,
      importExtension: fields.importExtension,
      provider: 'sqlite',
      paths: {
        srcRoot,
        config: under(`lib/jobs.${language}`),
        runtime: under('lib/jobs-kit'),
        jobs: under('jobs'),
        jobsIndex: under(`jobs/index.${language}`),
        schema: 'prisma/schema.prisma',
        db: under(`lib/db.${language}`),
      },
      dbExport: 'db',
      importAlias: fields.importAlias,
      files: {},
    },
    null,
    2,
  )}\n`
}

/** Every app layout the generator supports, by name: files relative to the app root. */
export const APPS = {
  /** A TypeScript ES module app with `src/` and the `@/` alias, NodeNext resolution (so `.js` on imports). */
  'ts-esm-src-alias': {
    'package.json': '{ "name": "next-app", "type": "module", "devDependencies": { "vitest": "^4.0.0" } }\n',
    'jobs-kit.json': jobsKitJson({ language: 'ts', moduleType: 'esm', importExtension: '.js', srcRoot: 'src', importAlias: '@/' }),
    'src/lib/jobs.ts': TS_CONFIG,
    'src/jobs/index.ts': ESM_INDEX,
  },
  /** A JavaScript CommonJS app without `src/` (Express style). */
  'js-cjs-root': {
    'package.json': '{ "name": "express-app", "devDependencies": { "vitest": "^4.0.0" } }\n',
    'jobs-kit.json': jobsKitJson({ language: 'js', moduleType: 'cjs', importExtension: '.js', srcRoot: '.', importAlias: null }),
    'lib/jobs.js': JS_CJS_CONFIG,
    'jobs/index.js': CJS_INDEX,
  },
  /** The api side of a RedwoodJS app: TypeScript compiled by Babel to CommonJS, `src/` alias, extensionless imports, Jest. */
  'redwood': {
    'package.json': '{ "private": true, "workspaces": ["api", "web"], "devDependencies": { "@redwoodjs/core": "8.4.0" } }\n',
    'api/package.json': '{ "name": "api", "dependencies": { "@redwoodjs/api": "8.4.0" } }\n',
    'jobs-kit.json': jobsKitJson({ language: 'ts', moduleType: 'cjs', importExtension: '', srcRoot: 'api/src', importAlias: 'src/' }),
    'api/src/lib/jobs.ts': TS_CONFIG.replaceAll('.js\'', '\''),
    'api/src/jobs/index.ts': ESM_INDEX,
  },
  /** A JavaScript ES module app with `src/`, no alias, no test framework yet (so Vitest). */
  'js-esm-src': {
    'jobs-kit.json': jobsKitJson({ language: 'js', moduleType: 'esm', importExtension: '.js', srcRoot: 'src', importAlias: null }),
    'src/lib/jobs.js': TS_CONFIG.replace(' as const', ''),
    'src/jobs/index.js': ESM_INDEX,
  },
} satisfies Record<string, Record<string, string>>

export type AppName = keyof typeof APPS

/** A memfs volume holding `files` at `/app`, and a staged tree over it. */
export function makeApp(files: Record<string, string>): { vol: InstanceType<typeof Volume>; tree: StagedTree } {
  const vol = Volume.fromJSON(files, ROOT)
  return { vol, tree: createStagedTree({ root: ROOT, fs: vol as unknown as TreeFs }) }
}

/** The volume's files, relative to the app root. */
export function filesOf(vol: InstanceType<typeof Volume>): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [path, content] of Object.entries(vol.toJSON(ROOT))) {
    if (content !== null) result[path.slice(ROOT.length + 1)] = content
  }
  return result
}

/** Commits the tree to its volume and returns a fresh tree over the result, as a second CLI run would see it. */
export function commit(vol: InstanceType<typeof Volume>, tree: StagedTree): StagedTree {
  commitTree(tree)
  return createStagedTree({ root: ROOT, fs: vol as unknown as TreeFs })
}
