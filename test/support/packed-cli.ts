/**
 * jobs-kit as a user gets it: the `npm pack` tarball of this repository,
 * installed with `npm install --omit=dev` into a folder of its own, outside
 * the repository. Its `node_modules` holds our `dependencies` and nothing
 * else, so a module that only resolves here thanks to a devDependency (the
 * way `typescript` once did) fails in the tests as it fails for `npx jobs-kit`.
 *
 * Packed and installed once per test run: the global setup provides a folder
 * for the run (`packedCliRoot`), the first test file to ask builds it under a
 * lock (a `mkdir`, atomic), the others wait for it, and the global teardown
 * deletes it. `npm install` uses the warm npm cache first (`--prefer-offline`)
 * and the registry only for what is missing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inject } from 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** An empty folder for this run's installed tarball (see packed-cli.ts). */
    packedCliRoot: string
  }
}

const REPO = resolve(fileURLToPath(new URL('../../', import.meta.url)))

/** Long enough for a cold `npm install` on a loaded machine. */
const INSTALL_TIMEOUT_MS = 300_000

let installed: string | undefined

/**
 * The `jobs-kit` binary of the installed tarball (`<folder>/node_modules/.bin/jobs-kit`).
 * Throws when `dist/` is missing or older than the sources (run `npm run build`).
 */
export async function packedCli(): Promise<string> {
  installed ??= await installOnce(runRoot())
  return installed
}

function runRoot(): string {
  let root: string | undefined
  try {
    root = inject('packedCliRoot')
  } catch {
    // Outside a vitest run (a script): a folder for this process.
  }
  return root ?? mkdtempSync(join(tmpdir(), 'jobs-kit-packed-'))
}

async function installOnce(root: string): Promise<string> {
  const bin = join(root, 'app/node_modules/.bin/jobs-kit')
  const done = join(root, 'done')
  const failed = join(root, 'failed')
  const lock = join(root, 'lock')
  const deadline = Date.now() + INSTALL_TIMEOUT_MS
  for (;;) {
    if (existsSync(done)) return bin
    if (existsSync(failed)) throw new Error(readFileSync(failed, 'utf8'))
    try {
      mkdirSync(lock)
    } catch {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another test file to install the packed jobs-kit in ${root}`)
      await new Promise((wake) => setTimeout(wake, 250))
      continue
    }
    try {
      install(root)
      writeFileSync(done, bin)
      return bin
    } catch (error) {
      writeFileSync(failed, (error as Error).message)
      throw error
    }
  }
}

function install(root: string): void {
  checkBuild()
  const env = npmEnvironment()
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', root], { cwd: REPO, env, encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS })
  if (pack.status !== 0) throw new Error(`npm pack failed in ${REPO}:\n${pack.stdout}\n${pack.stderr}`)
  const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }]
  const app = join(root, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'jobs-kit-packed', private: true }, null, 2)}\n`)
  const args = ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', join(root, filename)]
  const result = spawnSync('npm', args, { cwd: app, env, encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS })
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${app}:\n${result.stdout}\n${result.stderr}`)
  if (!existsSync(join(app, 'node_modules/.bin/jobs-kit'))) throw new Error(`npm install put no jobs-kit binary in ${app}/node_modules/.bin`)
}

/** The tarball packs dist/: refuse a missing or stale build rather than test old code. */
function checkBuild(): void {
  const cli = join(REPO, 'dist/cli.js')
  if (!existsSync(cli)) throw new Error(`${cli} does not exist: run \`npm run build\` first (\`npm test\` does).`)
  const built = statSync(cli).mtimeMs
  const newer = newestFile([join(REPO, 'src'), join(REPO, 'templates'), join(REPO, 'package.json')], (path) => statSync(path).mtimeMs > built)
  if (newer) throw new Error(`${newer} is newer than dist/cli.js: run \`npm run build\` first (\`npm test\` does).`)
}

function newestFile(paths: string[], isNewer: (path: string) => boolean): string | undefined {
  for (const path of paths) {
    if (!statSync(path).isDirectory()) {
      if (isNewer(path) && !/\.test\.ts$/.test(path)) return path
      continue
    }
    const found = newestFile(readdirSync(path).map((name) => join(path, name)), isNewer)
    if (found) return found
  }
  return undefined
}

/** npm's own variables from an enclosing `npm test` (package name, lifecycle, config) would leak into pack and install. */
function npmEnvironment(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'])
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (key.toLowerCase().startsWith('npm_') && !keep.has(key.toLowerCase())) continue
    if (key === 'NODE_OPTIONS' || key.startsWith('VITEST')) continue
    env[key] = value
  }
  return env
}
