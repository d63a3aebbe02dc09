/**
 * The import that setup's next steps tell users to paste must compile in
 * their app. Each case is an app shaped like a real one (NodeNext with and
 * without an alias, a bundler app whose `@/` alias points at the root while
 * the code lives in src/, an alias for one folder only): set it up on disk
 * with `planSetup`, write the hint's import into a file where the hint says it
 * goes, and run the real `tsc` (this repo's devDependency) on it.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { commitTree } from '../../tree/commit-tree.js'
import { createStagedTree } from '../../tree/staged-tree.js'
import { planSetup } from './index.js'

const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const TSC = join(REPO, 'node_modules/typescript/bin/tsc')

const schema = 'generator client {\n  provider = "prisma-client"\n  output   = "../generated/prisma"\n}\n\ndatasource db {\n  provider = "sqlite"\n}\n'
/** Stands in for the app's PrismaClient (typed structurally; no generated client needed to typecheck). */
const dbModule = `// PrismaClient stand-in
export const db = {
  $queryRawUnsafe: async (_query: string, ..._values: unknown[]): Promise<unknown> => [],
  $executeRawUnsafe: async (_query: string, ..._values: unknown[]): Promise<number> => 0,
}
`
const tsconfig = (compilerOptions: Record<string, unknown>) =>
  `${JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], ...compilerOptions } }, null, 2)}\n`
const packageJson = (type?: 'module') =>
  `${JSON.stringify({ name: 'app', ...(type ? { type } : {}), dependencies: { '@prisma/client': '^7.0.0' }, devDependencies: { prisma: '^7.0.0', typescript: '^5.9.0' } }, null, 2)}\n`

interface HintCase {
  name: string
  files: Record<string, string>
  /** The specifier the hint should use. */
  expected: string
}

const nodeNext = { module: 'NodeNext', moduleResolution: 'NodeNext' }
const bundler = { module: 'ESNext', moduleResolution: 'bundler' }

const cases: HintCase[] = [
  {
    name: 'NodeNext with an @/ alias for src/',
    files: { 'package.json': packageJson('module'), 'tsconfig.json': tsconfig({ ...nodeNext, paths: { '@/*': ['./src/*'] } }), 'prisma/schema.prisma': schema, 'src/lib/db.ts': dbModule },
    expected: '@/lib/jobs.js',
  },
  {
    name: 'NodeNext without an alias',
    files: { 'package.json': packageJson('module'), 'tsconfig.json': tsconfig(nodeNext), 'prisma/schema.prisma': schema, 'src/lib/db.ts': dbModule },
    expected: './lib/jobs.js',
  },
  {
    name: 'NodeNext, CommonJS package, no src/ folder',
    files: { 'package.json': packageJson(), 'tsconfig.json': tsconfig(nodeNext), 'prisma/schema.prisma': schema, 'lib/db.ts': dbModule },
    expected: './lib/jobs.js',
  },
  {
    name: 'bundler resolution, code in src/, @/ alias pointing at the app root',
    files: { 'package.json': packageJson('module'), 'tsconfig.json': tsconfig({ ...bundler, paths: { '@/*': ['./*'] } }), 'prisma/schema.prisma': schema, 'src/lib/db.ts': dbModule },
    expected: '@/src/lib/jobs',
  },
  {
    name: 'bundler resolution, an alias for src/lib only, with baseUrl',
    files: { 'package.json': packageJson('module'), 'tsconfig.json': tsconfig({ ...bundler, baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } }), 'prisma/schema.prisma': schema, 'src/lib/db.ts': dbModule },
    expected: '@lib/jobs',
  },
]

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

async function tsc(cwd: string, project: string): Promise<{ code: number; output: string }> {
  try {
    await promisify(execFile)(process.execPath, [TSC, '-p', project], { cwd })
    return { code: 0, output: '' }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` }
  }
}

describe('the import hint in setup\'s next steps', () => {
  for (const hintCase of cases) {
    it(`compiles in the app: ${hintCase.name}`, { timeout: 60_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-hint-'))
      dirs.push(dir)
      for (const [path, content] of Object.entries(hintCase.files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true })
        writeFileSync(join(dir, path), content)
      }
      symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir')
      const tree = createStagedTree({ root: dir })
      const { nextSteps, project } = await planSetup(tree)
      commitTree(tree)

      const hint = nextSteps.find((line) => line.includes('import { later }'))!
      const specifier = /import \{ later \} from '([^']+)'/.exec(hint)![1]!
      // A relative hint says which folder it is relative to; the probe goes there.
      const folder = specifier.startsWith('.') ? project.srcRoot : 'some/where/deep'
      const probe = join(folder, 'schedule-probe.ts')
      mkdirSync(dirname(join(dir, probe)), { recursive: true })
      writeFileSync(join(dir, probe), `import { later } from '${specifier}'\nexport const schedule: typeof later = later\n`)
      writeFileSync(join(dir, 'tsconfig.probe.json'), JSON.stringify({ extends: './tsconfig.json', files: [probe] }))

      const result = await tsc(dir, 'tsconfig.probe.json')
      expect(result.output).toBe('')
      expect(result.code).toBe(0)
      expect(specifier).toBe(hintCase.expected)
      if (specifier.startsWith('.')) expect(hint).toContain(project.srcRoot === '.' ? 'a file at the app root' : `a file in ${project.srcRoot}/`)
    })
  }
})
