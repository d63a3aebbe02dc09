/**
 * `jobs-kit diff` and `jobs-kit update` through the real command line (tsx on
 * src/cli.ts, a child process, a real folder): an app set up by `jobs-kit
 * setup`, then made to look vendored by an older release, whose
 * `worker/backoff.ts` had an extra export the installed version dropped.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tsEsmApp } from '../generators/setup/__fixtures__/apps.js'
import { runCli, snapshotDir, writeApp } from '../../test/cli/run-cli.js'
import { basePath } from '../app-record/base-store.js'
import { hashContent } from '../app-record/hash-content.js'
import type { JobsKitJson } from '../app-record/jobs-kit-json.js'

const BACKOFF = 'src/lib/jobs-kit/worker/backoff.ts'
const LEGACY = '\n/** Kept for 0.0.x apps. */\nexport const LEGACY_BACKOFF = true\n'
const NOTE = '// Our team: see docs/retries.md before changing the backoff.\n'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A set-up app whose backoff.ts came from "0.0.9"; returns its folder and the installed backoff.ts. */
async function appFromOlderRelease(): Promise<{ dir: string; installed: string }> {
  const dir = writeApp(tsEsmApp)
  dirs.push(dir)
  const setup = await runCli(['setup', '--cwd', dir, '--yes'])
  expect(setup.code, setup.stderr).toBe(0)
  const installed = read(dir, BACKOFF)
  const old = `${installed}${LEGACY}`
  write(dir, BACKOFF, old)
  write(dir, basePath(BACKOFF), old)
  const project = JSON.parse(read(dir, 'jobs-kit.json')) as JobsKitJson
  project.version = '0.0.9'
  project.files[BACKOFF] = { version: '0.0.9', hash: hashContent(old) }
  write(dir, 'jobs-kit.json', `${JSON.stringify(project, null, 2)}\n`)
  return { dir, installed }
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8')
function write(dir: string, path: string, content: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true })
  writeFileSync(join(dir, path), content)
}

describe('jobs-kit diff / update (command line)', () => {
  it('diff and update --dry-run exit 0 and write nothing; update merges the edit and exits 0', async () => {
    const { dir, installed } = await appFromOlderRelease()
    write(dir, BACKOFF, `${NOTE}${read(dir, BACKOFF)}`)
    const before = snapshotDir(dir)

    const diff = await runCli(['diff', '--cwd', dir])
    expect(diff.code, diff.stderr).toBe(0)
    expect(diff.stdout).toContain(`locally edited and changed upstream  ${BACKOFF}`)
    expect(diff.stdout).toContain('-export const LEGACY_BACKOFF = true')

    const dryRun = await runCli(['update', '--cwd', dir, '--dry-run'])
    expect(dryRun.code, dryRun.stderr).toBe(0)
    expect(dryRun.stdout).toContain(`merge    ${BACKOFF}`)
    expect(snapshotDir(dir)).toEqual(before)

    const update = await runCli(['update', '--cwd', dir])
    expect(update.code, update.stderr).toBe(0)
    expect(read(dir, BACKOFF)).toBe(`${NOTE}${installed}`)
    expect((JSON.parse(read(dir, 'jobs-kit.json')) as JobsKitJson).files[BACKOFF]!.hash).toBe(hashContent(installed))
  })

  it('update exits 1 while conflict markers remain, and 0 once they are resolved', async () => {
    const { dir, installed } = await appFromOlderRelease()
    write(dir, BACKOFF, read(dir, BACKOFF).replace('LEGACY_BACKOFF = true', 'LEGACY_BACKOFF = false'))

    const first = await runCli(['update', '--cwd', dir])
    expect(first.code).toBe(1)
    expect(first.stderr).toMatch(new RegExp(`^error: 1 vendored file holds conflict markers: ${BACKOFF}$`, 'm'))
    expect(first.stderr).toMatch(/^→ Edit each conflict/m)
    expect(first.stdout).toContain(`conflict ${BACKOFF} (1 conflict)`)
    expect(read(dir, BACKOFF)).toContain('<<<<<<< local')

    const again = await runCli(['update', '--cwd', dir])
    expect(again.code).toBe(1)

    // The team decides jobs-kit is right: they take its side.
    write(dir, BACKOFF, installed)
    const resolved = await runCli(['update', '--cwd', dir])
    expect(resolved.code, resolved.stderr).toBe(0)
    expect(existsSync(join(dir, '.jobs-kit/merging.json'))).toBe(false)
    const project = JSON.parse(read(dir, 'jobs-kit.json')) as JobsKitJson
    expect(project.files[BACKOFF]).toEqual({ version: project.version, hash: hashContent(installed) })
    expect(project.version).not.toBe('0.0.9')
  })
})
