import { detectPackageManager, type PackageManager } from '../../project/detect-package-manager.js'
import type { PackageJson } from '../../project/read-package-json.js'
import type { Tree } from '../../tree/tree.js'
import type { TestRunner } from './detect-test-runner.js'
import type { JobFiles } from './job-files.js'
import type { JobSettings } from './read-job-settings.js'

/** How to run a generated job's test, for `g job`'s next steps. */
export interface TestCommand {
  /** Run from the app's root: it passes the generated test as generated. */
  command: string
  /** What to install first, when the command needs a package the app lacks (tsx). */
  install: string | null
}

/** A local bin of the app, per package manager. */
const EXEC: Record<PackageManager, string> = { npm: 'npx', pnpm: 'pnpm exec', yarn: 'yarn', bun: 'bunx' }
const ADD_DEV: Record<PackageManager, string> = { npm: 'npm install --save-dev', pnpm: 'pnpm add -D', yarn: 'yarn add -D', bun: 'bun add -d' }

/**
 * The command that runs the job's test with the app's test runner:
 * `vitest run <file>`, Jest (RedwoodJS: `rw test`), or Node's own runner —
 * `node --test <file>` for JavaScript, and for TypeScript (or an import
 * alias, which only tsx resolves) `node --import tsx --test <file>`: setup
 * adds tsx to a TypeScript app's devDependencies for the jobs script, and
 * when it is missing the install comes first.
 */
export function planTestCommand(tree: Tree, files: JobFiles, settings: JobSettings, runner: TestRunner, dependencies: Set<string>): TestCommand {
  const manager = detectPackageManager(tree, readPackageJsonOrEmpty(tree))
  if (runner === 'vitest') return { command: `${EXEC[manager]} vitest run ${files.test}`, install: null }
  if (runner === 'jest') {
    const redwood = dependencies.has('@redwoodjs/core')
    return redwood
      ? { command: `${manager === 'npm' ? 'npx' : manager} rw test ${files.jobName} --no-watch`, install: null }
      : { command: `${EXEC[manager]} jest ${files.test}`, install: null }
  }
  const needsTsx = files.language === 'ts' || settings.importAlias !== null
  if (!needsTsx) return { command: `node --test ${files.test}`, install: null }
  return {
    command: `node --import tsx --test ${files.test}`,
    install: dependencies.has('tsx') ? null : `${ADD_DEV[manager]} tsx`,
  }
}

/** The lines `g job` prints after writing the job. */
export function testNextSteps(test: TestCommand): string[] {
  const steps = test.install ? [`${test.install}   # the test runs TypeScript through tsx`] : []
  steps.push(`${test.command}   # run the job's test`)
  return steps
}

function readPackageJsonOrEmpty(tree: Tree): PackageJson {
  try {
    const parsed = JSON.parse(tree.read('package.json') ?? '{}') as unknown
    return typeof parsed === 'object' && parsed !== null ? (parsed as PackageJson) : {}
  } catch {
    return {}
  }
}

const INSTALL: Record<PackageManager, string> = { npm: 'npm install', pnpm: 'pnpm install', yarn: 'yarn install', bun: 'bun install' }

/** The app's install command (`npm install`, `pnpm install`, …), for dependencies `g job` added to package.json. */
export function installCommand(tree: Tree): string {
  return INSTALL[detectPackageManager(tree, readPackageJsonOrEmpty(tree))]
}
