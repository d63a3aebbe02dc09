/**
 * `jobs-kit diff` and `jobs-kit update` as command modules, on a real folder,
 * against the runtime of this (installed) jobs-kit. The app is made to look
 * vendored by an older release: `worker/backoff.ts` is recorded at 0.0.9 with
 * an extra export that the installed version no longer has.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yargs from 'yargs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { diffCommand } from '../commands/diff.js'
import { withGlobalOptions } from '../commands/global-options.js'
import { updateCommand } from '../commands/update.js'
import { readJobsKitPackage } from '../package-assets/package-files.js'
import { commitTree } from '../tree/commit-tree.js'
import { createStagedTree } from '../tree/staged-tree.js'
import { writeBaseSnapshot } from '../app-record/base-store.js'
import { UnresolvedConflictsError } from './errors.js'
import { hashContent } from '../app-record/hash-content.js'
import type { JobsKitJson } from '../app-record/jobs-kit-json.js'
import { renderInstalledRuntime } from './render-installed-runtime.js'

const BACKOFF = 'src/lib/jobs-kit/worker/backoff.ts'
const LEGACY = '\n/** Kept for 0.0.x apps. */\nexport const LEGACY_BACKOFF = true\n'
const NOTE = '// Our team: see docs/retries.md before changing the backoff.\n'

let root: string
let printed: string[]

/** The command line as cli.ts builds it, with only these two commands. */
async function run(...argv: string[]): Promise<void> {
  await withGlobalOptions(yargs(argv))
    .command(diffCommand as never)
    .command(updateCommand as never)
    .strict()
    .fail((message, error) => {
      throw error ?? new Error(message)
    })
    .parseAsync()
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'jobs-kit-update-'))
  printed = []
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')))

  const project: JobsKitJson = {
    version: '0.0.9',
    language: 'ts',
    moduleType: 'esm',
    importExtension: '.js',
    paths: { srcRoot: 'src', config: 'src/lib/jobs.ts', runtime: 'src/lib/jobs-kit' },
    files: {},
  }
  const installed = await renderInstalledRuntime(project)
  const vendored = new Map(installed)
  vendored.set(BACKOFF, `${installed.get(BACKOFF)!}${LEGACY}`)
  const tree = createStagedTree({ root })
  for (const [path, content] of vendored) tree.write(path, content)
  project.files = writeBaseSnapshot(tree, vendored, '0.0.9')
  tree.write('jobs-kit.json', `${JSON.stringify(project, null, 2)}\n`)
  commitTree(tree)
})

afterEach(() => {
  vi.restoreAllMocks()
  rmSync(root, { recursive: true, force: true })
})

const read = (path: string) => readFileSync(join(root, path), 'utf8')

describe('jobs-kit diff / update commands (real folder, installed runtime)', () => {
  it('diff shows the state of every vendored file and both diffs of an edited one', async () => {
    writeFileSync(join(root, BACKOFF), `${NOTE}${read(BACKOFF)}`)

    await run('diff', '--cwd', root)

    const output = printed.join('\n')
    expect(output).toContain(`locally edited and changed upstream  ${BACKOFF}`)
    expect(output).toMatch(/unchanged +src\/lib\/jobs-kit\/worker\/worker\.ts/)
    expect(output).toContain(`+${NOTE.trimEnd()}`)
    expect(output).toContain('-export const LEGACY_BACKOFF = true')
  })

  it('update merges the edited file, records the installed version, and a second update changes nothing', async () => {
    writeFileSync(join(root, BACKOFF), `${NOTE}${read(BACKOFF)}`)
    const installed = (await renderInstalledRuntime({ paths: { runtime: 'src/lib/jobs-kit' }, language: 'ts', moduleType: 'esm', importExtension: '.js' } as JobsKitJson)).get(BACKOFF)!

    await run('update', '--cwd', root)

    const version = readJobsKitPackage().version
    expect(read(BACKOFF)).toBe(`${NOTE}${installed}`)
    const project = JSON.parse(read('jobs-kit.json')) as JobsKitJson
    expect(project.version).toBe(version)
    expect(project.files[BACKOFF]).toEqual({ version, hash: hashContent(installed) })
    expect(read(`.jobs-kit/base/${BACKOFF}.base`)).toBe(installed)
    expect(printed.join('\n')).toContain(`merge    ${BACKOFF}`)

    const snapshot = read('jobs-kit.json')
    printed = []
    await run('update', '--cwd', root)
    expect(read('jobs-kit.json')).toBe(snapshot)
    expect(printed.join('\n')).toContain('0 updated, 0 merged, 0 added, 0 removed, 0 restored, 0 with conflicts')
  })

  it('update fails with the conflicted files listed while conflicts remain, and --dry-run writes nothing', async () => {
    const conflicting = read(BACKOFF).replace('export const LEGACY_BACKOFF = true', 'export const LEGACY_BACKOFF = false')
    writeFileSync(join(root, BACKOFF), conflicting)

    await expect(run('update', '--cwd', root, '--dry-run')).rejects.toBeInstanceOf(UnresolvedConflictsError)
    expect(read(BACKOFF)).toBe(conflicting)
    expect(printed.join('\n')).toContain('Dry run: nothing was written.')

    await expect(run('update', '--cwd', root)).rejects.toThrow(`1 vendored file holds conflict markers: ${BACKOFF}`)
    expect(read(BACKOFF)).toMatch(/\n<<<<<<< local\n\n\/\*\* Kept for 0.0.x apps. \*\/\nexport const LEGACY_BACKOFF = false\n=======\n>>>>>>> jobs-kit \S+\n$/)
    await expect(run('update', '--cwd', root)).rejects.toBeInstanceOf(UnresolvedConflictsError)
  })
})
