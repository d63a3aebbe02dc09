import { describe, expect, it } from 'vitest'
import { createStagedTree } from '../tree/staged-tree.js'
import { diffVendoredFiles } from './diff-vendored-files.js'
import { NotVendoredFileError } from './errors.js'
import { runDiff } from './run-diff.js'
import { runUpdate } from './run-update.js'
import { RUNTIME_V1, RUNTIME_V2 } from './__tests__/runtime-versions.js'
import { ROOT, RUNTIME, createFixtureApp, renderOf, writeApp } from './__tests__/fixture-app.js'

const WORKER = `${RUNTIME}/worker/worker.ts`
const BACKOFF = `${RUNTIME}/worker/backoff.ts`
const INDEX = `${RUNTIME}/index.ts`
const STATUS = `${RUNTIME}/runner/status.ts`
const PID_FILES = `${RUNTIME}/runner/pid-files.ts`

function editedWorker() {
  return RUNTIME_V1.get('worker/worker.ts')!.replace('    this.stopping = true', "    console.info('worker stopping')\n    this.stopping = true")
}

describe('jobs-kit diff', () => {
  it('states, per vendored file, whether it was edited locally, changed upstream, both, added or removed', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    writeApp(volume, WORKER, editedWorker())
    const before = volume.toJSON()

    const { diffs, output } = await runDiff({ root: ROOT, fs, render: renderOf(RUNTIME_V2), version: '0.2.0' })

    expect(diffs.map((diff) => [diff.path, diff.state])).toEqual([
      [INDEX, 'unchanged'],
      [PID_FILES, 'added'],
      [STATUS, 'removed'],
      [BACKOFF, 'upstream'],
      [WORKER, 'both'],
    ])
    expect(volume.toJSON()).toEqual(before)
    expect(output).toMatchSnapshot()
  })

  it('shows the user\'s edits (base → local) and upstream\'s changes (base → new) as unified diffs', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    writeApp(volume, WORKER, editedWorker())
    const tree = createStagedTree({ root: ROOT, fs })

    const [worker] = await diffVendoredFiles(tree, { render: renderOf(RUNTIME_V2), version: '0.2.0', file: WORKER })

    expect(worker!.localDiff).toBe([
      `--- ${WORKER} (jobs-kit 0.1.0)`,
      `+++ ${WORKER} (local)`,
      '@@ -15,6 +15,7 @@',
      ' ',
      '   /** Takes no new jobs; the one in hand finishes. */',
      '   stop(): void {',
      "+    console.info('worker stopping')",
      '     this.stopping = true',
      '   }',
    ].join('\n'))
    expect(worker!.upstreamDiff).toContain(`--- ${WORKER} (jobs-kit 0.1.0)\n+++ ${WORKER} (jobs-kit 0.2.0)`)
    expect(worker!.upstreamDiff).toContain('-    return this.options.sleepDelaySeconds * 1000\n+    return Math.max(this.options.sleepDelaySeconds * 1000, 100)')
    expect(worker!.upstreamDiff).not.toContain('console.info')
  })

  it('reports files edited only locally and files deleted locally', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    writeApp(volume, INDEX, `${RUNTIME_V1.get('index.ts')}export { sleep } from './worker/sleep.js'\n`)
    volume.unlinkSync(`${ROOT}/${WORKER}`)

    const { diffs } = await runDiff({ root: ROOT, fs, render: renderOf(RUNTIME_V1), version: '0.1.0' })

    const byPath = new Map(diffs.map((diff) => [diff.path, diff]))
    expect(byPath.get(INDEX)).toMatchObject({ state: 'edited', upstreamDiff: null })
    expect(byPath.get(INDEX)!.localDiff).toContain("+export { sleep } from './worker/sleep.js'")
    expect(byPath.get(WORKER)).toMatchObject({ state: 'deleted', upstreamDiff: null })
    expect(byPath.get(WORKER)!.localDiff).toContain(`+++ /dev/null`)
    expect(byPath.get(BACKOFF)).toMatchObject({ state: 'unchanged', localDiff: null, upstreamDiff: null })
  })

  it('takes one file by its app path or its path inside the runtime folder, and refuses other files', async () => {
    const { fs } = createFixtureApp(RUNTIME_V1)
    const tree = createStagedTree({ root: ROOT, fs })
    const options = { render: renderOf(RUNTIME_V2), version: '0.2.0' }

    expect((await diffVendoredFiles(tree, { ...options, file: BACKOFF })).map((diff) => diff.path)).toEqual([BACKOFF])
    expect((await diffVendoredFiles(tree, { ...options, file: 'worker/backoff.ts' })).map((diff) => diff.path)).toEqual([BACKOFF])
    await expect(diffVendoredFiles(tree, { ...options, file: 'src/lib/jobs.ts' })).rejects.toBeInstanceOf(NotVendoredFileError)
  })

  it('reports a file still holding conflict markers from an update, with its difference from the new version', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    writeApp(volume, BACKOFF, RUNTIME_V1.get('worker/backoff.ts')!.replace('** 4', '** 3'))
    await runUpdate({ root: ROOT, fs, render: renderOf(RUNTIME_V2), version: '0.2.0' })

    const { diffs, output } = await runDiff({ root: ROOT, fs, render: renderOf(RUNTIME_V2), version: '0.2.0', file: BACKOFF })

    expect(diffs).toHaveLength(1)
    expect(diffs[0]).toMatchObject({ path: BACKOFF, state: 'unresolved', localDiff: null })
    expect(diffs[0]!.upstreamDiff).toContain('-<<<<<<< local')
    expect(output).toContain(`conflict markers from an earlier update  ${BACKOFF}`)
  })
})
