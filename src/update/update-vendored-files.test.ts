import { describe, expect, it } from 'vitest'
import { commitTree } from '../tree/commit-tree.js'
import { createStagedTree } from '../tree/staged-tree.js'
import { basePath, writeBaseSnapshot } from '../app-record/base-store.js'
import { OlderJobsKitError } from './errors.js'
import { hashContent } from '../app-record/hash-content.js'
import { MERGE_STATE_PATH } from './merge-state.js'
import { runUpdate } from './run-update.js'
import { BACKOFF_V1, BACKOFF_V2, RUNTIME_V1, RUNTIME_V2 } from './__tests__/runtime-versions.js'
import { ROOT, RUNTIME, createFixtureApp, readApp, readProject, renderOf, writeApp } from './__tests__/fixture-app.js'

const WORKER = `${RUNTIME}/worker/worker.ts`
const BACKOFF = `${RUNTIME}/worker/backoff.ts`
const INDEX = `${RUNTIME}/index.ts`
const STATUS = `${RUNTIME}/runner/status.ts`
const PID_FILES = `${RUNTIME}/runner/pid-files.ts`

function update(fs: ReturnType<typeof createFixtureApp>['fs'], options: { dryRun?: boolean; restore?: boolean; force?: boolean } = {}) {
  return runUpdate({ root: ROOT, fs, render: renderOf(RUNTIME_V2), version: '0.2.0', ...options })
}

describe('jobs-kit update', () => {
  it('replaces unedited files with the new version and records it', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    const result = await update(fs)

    expect(result.exitCode).toBe(0)
    expect(readApp(volume, BACKOFF)).toBe(BACKOFF_V2)
    expect(readApp(volume, WORKER)).toBe(RUNTIME_V2.get('worker/worker.ts'))
    expect(readApp(volume, basePath(BACKOFF))).toBe(BACKOFF_V2)
    const project = readProject(volume)
    expect(project.version).toBe('0.2.0')
    expect(project.files[BACKOFF]).toEqual({ version: '0.2.0', hash: hashContent(BACKOFF_V2) })
    expect(project.files[INDEX]).toEqual({ version: '0.2.0', hash: hashContent(RUNTIME_V1.get('index.ts')!) })
    expect(result.report.files.find((file) => file.path === BACKOFF)).toMatchObject({ state: 'upstream', action: 'updated' })
    expect(result.report.files.find((file) => file.path === INDEX)).toMatchObject({ state: 'unchanged', action: 'kept' })
  })

  it('keeps a local edit and an upstream change to different parts of the same file', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    const edited = RUNTIME_V1.get('worker/worker.ts')!.replace(
      '  stop(): void {\n    this.stopping = true\n  }',
      "  stop(): void {\n    console.info('worker stopping')\n    this.stopping = true\n  }",
    )
    writeApp(volume, WORKER, edited)

    const result = await update(fs)

    expect(result.exitCode).toBe(0)
    const merged = readApp(volume, WORKER)!
    expect(merged).toContain("console.info('worker stopping')")
    expect(merged).toContain('Math.max(this.options.sleepDelaySeconds * 1000, 100)')
    expect(merged).not.toContain('<<<<<<<')
    expect(merged).toBe(RUNTIME_V2.get('worker/worker.ts')!.replace('  stop(): void {\n', "  stop(): void {\n    console.info('worker stopping')\n"))
    expect(readProject(volume).files[WORKER]).toEqual({ version: '0.2.0', hash: hashContent(RUNTIME_V2.get('worker/worker.ts')!) })
    expect(readApp(volume, basePath(WORKER))).toBe(RUNTIME_V2.get('worker/worker.ts'))
    expect(result.report.files.find((file) => file.path === WORKER)).toMatchObject({ state: 'both', action: 'merged' })
  })

  it('writes conflict markers for overlapping changes, exits 1, and leaves that file\'s record alone', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    const edited = BACKOFF_V1.replace('return Math.max(attempts, 1) ** 4', 'return Math.max(attempts, 1) ** 3')
    writeApp(volume, BACKOFF, edited)
    const before = volume.toJSON()

    const result = await update(fs)

    expect(result.exitCode).toBe(1)
    expect(result.report.conflicts).toEqual([BACKOFF])
    const conflicted = readApp(volume, BACKOFF)!
    expect(conflicted).toContain([
      '<<<<<<< local',
      '  return Math.max(attempts, 1) ** 3',
      '=======',
      '  const capped: number = Math.min(Math.max(attempts, 1), MAX_BACKOFF_ATTEMPTS)',
      '  return capped ** 4',
      '>>>>>>> jobs-kit 0.2.0',
    ].join('\n'))
    // Only the conflict lines differ: the rest of the file is upstream's and the user's common text.
    expect(conflicted).toContain('/** Past this many attempts the wait stops growing (about 6 days). */')
    const project = readProject(volume)
    expect(project.files[BACKOFF]).toEqual({ version: '0.1.0', hash: hashContent(BACKOFF_V1) })
    expect(project.version).toBe('0.1.0')
    expect(readApp(volume, basePath(BACKOFF))).toBe(BACKOFF_V1)
    expect(JSON.parse(readApp(volume, MERGE_STATE_PATH)!)).toEqual({ [BACKOFF]: { version: '0.2.0', content: BACKOFF_V2 } })
    // Nothing outside the update's own files changed (the app's config included).
    const after = volume.toJSON()
    const changed = Object.keys({ ...before, ...after }).filter((path) => before[path] !== after[path]).map((path) => path.slice(ROOT.length + 1)).sort()
    expect(changed).toEqual([
      basePath(PID_FILES),
      basePath(STATUS),
      basePath(WORKER),
      MERGE_STATE_PATH,
      'jobs-kit.json',
      PID_FILES,
      STATUS,
      BACKOFF,
      WORKER,
    ].sort())
    expect(result.output).toContain(`conflict ${BACKOFF} (1 conflict)`)
    expect(result.output).toContain(`These files hold conflict markers (<<<<<<< local … ======= … >>>>>>> jobs-kit 0.2.0):\n  ${BACKOFF}`)
  })

  it('exits 1 and changes nothing while conflict markers remain, then records the resolution', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    writeApp(volume, BACKOFF, BACKOFF_V1.replace('** 4', '** 3'))
    await update(fs)
    const afterFirst = volume.toJSON()

    const second = await update(fs)
    expect(second.exitCode).toBe(1)
    expect(second.report.files.find((file) => file.path === BACKOFF)).toMatchObject({ state: 'unresolved', action: 'unresolved' })
    expect(volume.toJSON()).toEqual(afterFirst)

    // The user keeps their exponent inside upstream's new cap.
    const resolution = BACKOFF_V2.replace('return capped ** 4', 'return capped ** 3')
    writeApp(volume, BACKOFF, resolution)
    const third = await update(fs)

    expect(third.exitCode).toBe(0)
    expect(readApp(volume, BACKOFF)).toBe(resolution)
    expect(readProject(volume).files[BACKOFF]).toEqual({ version: '0.2.0', hash: hashContent(BACKOFF_V2) })
    expect(readProject(volume).version).toBe('0.2.0')
    expect(readApp(volume, basePath(BACKOFF))).toBe(BACKOFF_V2)
    expect(readApp(volume, MERGE_STATE_PATH)).toBeNull()

    // Resolved means resolved: updating again finds only a local edit.
    const fourth = await update(fs)
    expect(fourth.exitCode).toBe(0)
    expect(fourth.report.files.find((file) => file.path === BACKOFF)).toMatchObject({ state: 'edited', action: 'kept' })
    expect(readApp(volume, BACKOFF)).toBe(resolution)
  })

  it('treats markers left in a file as unresolved even when the merge state is gone', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    writeApp(volume, BACKOFF, BACKOFF_V1.replace('** 4', '** 3'))
    await update(fs)
    volume.unlinkSync(`${ROOT}/${MERGE_STATE_PATH}`)

    const result = await update(fs)
    expect(result.exitCode).toBe(1)
    expect(result.report.conflicts).toEqual([BACKOFF])
    expect(readApp(volume, BACKOFF)).toContain('<<<<<<< local')
  })

  it('changes nothing when run again on an updated app', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    writeApp(volume, WORKER, RUNTIME_V1.get('worker/worker.ts')!.replace('    this.stopping = true', '    this.stopping = true // graceful'))
    volume.unlinkSync(`${ROOT}/${INDEX}`)
    await update(fs)
    const updated = volume.toJSON()

    const again = await update(fs)

    expect(again.exitCode).toBe(0)
    expect(volume.toJSON()).toEqual(updated)
    expect(again.report.files.map((file) => [file.path, file.action])).toEqual([
      [INDEX, 'kept-deleted'],
      [PID_FILES, 'kept'],
      [BACKOFF, 'kept'],
      [WORKER, 'kept'],
    ])
  })

  it('writes nothing at all on a dry run, and says what it would do', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    writeApp(volume, BACKOFF, BACKOFF_V1.replace('** 4', '** 3'))
    volume.unlinkSync(`${ROOT}/${INDEX}`)
    const before = volume.toJSON()

    const result = await update(fs, { dryRun: true })

    expect(volume.toJSON()).toEqual(before)
    expect(result.exitCode).toBe(1)
    expect(result.output).toContain('Dry run: nothing was written.')
    expect(result.output).toContain(`update   ${WORKER}`)
    expect(result.output).toContain(`create   ${PID_FILES}`)
    expect(result.output).toContain(`delete   ${STATUS}`)
    expect(result.output).toContain(`conflict ${BACKOFF} (1 conflict)`)
    expect(result.output).toContain('+    return Math.max(this.options.sleepDelaySeconds * 1000, 100)')
  })

  it('leaves a file the user deleted deleted, and brings it back with --restore', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    volume.unlinkSync(`${ROOT}/${WORKER}`)

    const result = await update(fs)
    expect(result.exitCode).toBe(0)
    expect(readApp(volume, WORKER)).toBeNull()
    expect(result.report.files.find((file) => file.path === WORKER)).toMatchObject({ state: 'deleted', action: 'kept-deleted' })
    expect(result.output).toContain('--restore')

    const restored = await update(fs, { restore: true })
    expect(restored.exitCode).toBe(0)
    expect(readApp(volume, WORKER)).toBe(RUNTIME_V2.get('worker/worker.ts'))
    expect(readProject(volume).files[WORKER]).toEqual({ version: '0.2.0', hash: hashContent(RUNTIME_V2.get('worker/worker.ts')!) })
  })

  it('adds files new upstream and removes files removed upstream unless edited', async () => {
    const unedited = createFixtureApp(RUNTIME_V1)
    await update(unedited.fs)
    expect(readApp(unedited.volume, PID_FILES)).toBe(RUNTIME_V2.get('runner/pid-files.ts'))
    expect(readProject(unedited.volume).files[PID_FILES]).toEqual({ version: '0.2.0', hash: hashContent(RUNTIME_V2.get('runner/pid-files.ts')!) })
    expect(readApp(unedited.volume, STATUS)).toBeNull()
    expect(readApp(unedited.volume, basePath(STATUS))).toBeNull()
    expect(readProject(unedited.volume).files[STATUS]).toBeUndefined()

    const edited = createFixtureApp(RUNTIME_V1)
    const mine = `${RUNTIME_V1.get('runner/status.ts')}// used by our dashboard\n`
    writeApp(edited.volume, STATUS, mine)
    const result = await update(edited.fs)
    expect(result.exitCode).toBe(0)
    expect(readApp(edited.volume, STATUS)).toBe(mine)
    expect(result.report.files.find((file) => file.path === STATUS)).toMatchObject({ state: 'removed', action: 'kept-removed-upstream' })
    expect(readProject(edited.volume).files[STATUS]).toBeUndefined()
  })

  it('recovers a missing base from the unedited file or the unchanged upstream file, and conflicts on every difference when neither matches', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    volume.unlinkSync(`${ROOT}/${basePath(BACKOFF)}`)
    volume.unlinkSync(`${ROOT}/${basePath(WORKER)}`)
    volume.unlinkSync(`${ROOT}/${basePath(INDEX)}`)
    const editedIndex = `${RUNTIME_V1.get('index.ts')}export { sleep } from './worker/sleep.js'\n`
    writeApp(volume, INDEX, editedIndex)
    const edited = RUNTIME_V1.get('worker/worker.ts')!.replace('  private stopping = false', '  private stopping = false // set by stop()')
    writeApp(volume, WORKER, edited)

    const result = await update(fs)

    expect(readApp(volume, BACKOFF)).toBe(BACKOFF_V2)
    expect(readApp(volume, basePath(BACKOFF))).toBe(BACKOFF_V2)
    // index.ts did not change upstream, so the installed version is its base: the edit is simply kept.
    expect(result.report.files.find((file) => file.path === INDEX)).toMatchObject({ state: 'edited', action: 'kept' })
    expect(readApp(volume, INDEX)).toBe(editedIndex)
    expect(readApp(volume, basePath(INDEX))).toBe(RUNTIME_V2.get('index.ts'))
    expect(result.report.files.find((file) => file.path === WORKER)).toMatchObject({ state: 'no-base', action: 'conflict', conflicts: 3 })
    const conflicted = readApp(volume, WORKER)!
    expect(conflicted).toContain('<<<<<<< local\n  private stopping = false // set by stop()\n=======\n  private stopping = false\n>>>>>>> jobs-kit 0.2.0')
    expect(result.exitCode).toBe(1)
  })

  it('merges a CRLF checkout without rewriting its line endings', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    const crlf = (text: string) => text.replaceAll('\n', '\r\n')
    writeApp(volume, BACKOFF, crlf(BACKOFF_V1))
    writeApp(volume, WORKER, crlf(RUNTIME_V1.get('worker/worker.ts')!.replace('    this.stopping = true', '    this.stopping = true // graceful')))

    const result = await update(fs)

    expect(result.exitCode).toBe(0)
    expect(readApp(volume, BACKOFF)).toBe(crlf(BACKOFF_V2))
    expect(result.report.files.find((file) => file.path === BACKOFF)).toMatchObject({ state: 'upstream', action: 'updated' })
    const merged = readApp(volume, WORKER)!
    expect(merged).toBe(crlf(RUNTIME_V2.get('worker/worker.ts')!.replace('    this.stopping = true', '    this.stopping = true // graceful')))
  })

  it('leaves the jobs config alone unless its base is recorded', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    const render = (project: Parameters<ReturnType<typeof renderOf>>[0]) => {
      const files = new Map(renderOf(RUNTIME_V2)(project) as Map<string, string>)
      files.set(project.paths.config, "export const jobs = 'the new template'\n")
      return files
    }
    const result = await runUpdate({ root: ROOT, fs, render, version: '0.2.0' })
    expect(result.report.files.map((file) => file.path)).not.toContain('src/lib/jobs.ts')
    expect(readApp(volume, 'src/lib/jobs.ts')).toBe("export const jobs = 'the app config'\n")
  })

  it('merges the jobs config when its base is recorded, and never deletes a recorded file outside the runtime folder', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    const template = (queues: string) => `export const jobs = new JobManager({\n  queues: [${queues}],\n  logger: console,\n})\n`
    // As if setup had recorded the config (base: the template it rendered), then the team added a queue.
    const tree = createStagedTree({ root: ROOT, fs })
    const project = readProject(volume)
    Object.assign(project.files, writeBaseSnapshot(tree, new Map([['src/lib/jobs.ts', template("'default'")]]), '0.1.0'))
    project.files['src/jobs/index.ts'] = { version: '0.1.0', hash: hashContent('export {}\n') }
    tree.write('jobs-kit.json', JSON.stringify(project))
    tree.write('src/lib/jobs.ts', template("'default', 'email'"))
    tree.write('src/jobs/index.ts', 'export {}\n')
    commitTree(tree)

    const render = (app: Parameters<ReturnType<typeof renderOf>>[0]) => {
      const files = new Map(renderOf(RUNTIME_V2)(app) as Map<string, string>)
      files.set(app.paths.config, template("'default'").replace('  logger: console,\n', '  logger: console,\n  workers: [],\n'))
      return files
    }
    const result = await runUpdate({ root: ROOT, fs, render, version: '0.2.0' })

    expect(result.exitCode).toBe(0)
    expect(readApp(volume, 'src/lib/jobs.ts')).toBe("export const jobs = new JobManager({\n  queues: ['default', 'email'],\n  logger: console,\n  workers: [],\n})\n")
    expect(result.report.files.map((file) => file.path)).not.toContain('src/jobs/index.ts')
    expect(readApp(volume, 'src/jobs/index.ts')).toBe('export {}\n')
    expect(readProject(volume).files['src/jobs/index.ts']).toEqual({ version: '0.1.0', hash: hashContent('export {}\n') })
  })

  it('refuses to update to a jobs-kit older than the one that vendored the files, and writes nothing', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V2, { version: '0.3.0' })
    const before = volume.toJSON()

    await expect(update(fs)).rejects.toBeInstanceOf(OlderJobsKitError)
    await expect(update(fs)).rejects.toThrow('jobs-kit 0.2.0 is installed, but this app\'s vendored files come from jobs-kit 0.3.0')
    expect(volume.toJSON()).toEqual(before)
  })

  it('with --force replaces edited and conflicted files by the new version and finishes the update', async () => {
    const { volume, fs } = createFixtureApp(RUNTIME_V1)
    writeApp(volume, BACKOFF, BACKOFF_V1.replace('** 4', '** 3'))
    await update(fs)
    writeApp(volume, INDEX, `${RUNTIME_V1.get('index.ts')}// ours\n`)

    const result = await update(fs, { force: true })

    expect(result.exitCode).toBe(0)
    expect(readApp(volume, BACKOFF)).toBe(BACKOFF_V2)
    expect(readApp(volume, INDEX)).toBe(RUNTIME_V2.get('index.ts'))
    expect(result.report.files.filter((file) => file.action === 'overwritten').map((file) => file.path)).toEqual([INDEX, BACKOFF])
    expect(readProject(volume).files[BACKOFF]).toEqual({ version: '0.2.0', hash: hashContent(BACKOFF_V2) })
    expect(readApp(volume, MERGE_STATE_PATH)).toBeNull()
    expect(result.output).toContain(`overwrite ${INDEX} (your edits replaced: --force)`)
  })
})
