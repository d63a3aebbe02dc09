import { describe, expect, it } from 'vitest'
import { renderRuntimeFiles } from '../vendoring/render-runtime.js'
import { runUpdate } from './run-update.js'
import { REAL_BACKOFF_V1, REAL_BACKOFF_V2, REAL_STALE_LOCK_V1, REAL_STALE_LOCK_V2, replaceOnce } from './__tests__/real-runtime-files.js'
import { ROOT, RUNTIME, createFixtureApp, readApp, renderOf, writeApp } from './__tests__/fixture-app.js'

const BACKOFF = `${RUNTIME}/worker/backoff.js`
const STALE_LOCK = `${RUNTIME}/worker/stale-lock.js`

/** Two real runtime files, types stripped by the transform `setup` vendors JS apps with. */
function renderJs(backoff: string, staleLock: string, moduleType: 'esm' | 'cjs'): Map<string, string> {
  const sources = new Map([['worker/backoff.ts', backoff], ['worker/stale-lock.ts', staleLock]])
  return renderRuntimeFiles({ language: 'js', moduleType, importStyle: 'with-extension' }, sources)
}

/** The user's edits to their JavaScript copy. */
const editRetryAt = (js: string) => replaceOnce(js, 'backoffSeconds(attempts) * 1000)', 'backoffSeconds(attempts) * 1000 + Math.random() * 1000)')
const editNoHeartbeat = (js: string) => replaceOnce(js, '  if (!canHeartbeat)', '  // Our adapter never renews locks.\n  if (!canHeartbeat)')

describe.each(['esm', 'cjs'] as const)('jobs-kit update in a JavaScript (%s) app', (moduleType) => {
  const v1 = renderJs(REAL_BACKOFF_V1, REAL_STALE_LOCK_V1, moduleType)
  const v2 = renderJs(REAL_BACKOFF_V2, REAL_STALE_LOCK_V2, moduleType)

  it('strips the types of both versions (the fixture really is JavaScript that changed)', () => {
    expect([...v1.keys()]).toEqual(['worker/backoff.js', 'worker/stale-lock.js'])
    expect(v2.get('worker/backoff.js')).toContain('const counted = Math.min(Math.max(attempts, 1), MAX_BACKOFF_ATTEMPTS)')
    expect(v2.get('worker/backoff.js')).not.toContain(': number')
    expect(v1.get('worker/stale-lock.js')).not.toBe(v2.get('worker/stale-lock.js'))
  })

  it('keeps local edits and takes upstream changes made elsewhere in the same files', async () => {
    const { volume, fs } = createFixtureApp(v1, { language: 'js' })
    writeApp(volume, BACKOFF, editRetryAt(v1.get('worker/backoff.js')!))
    writeApp(volume, STALE_LOCK, editNoHeartbeat(v1.get('worker/stale-lock.js')!))

    const result = await runUpdate({ root: ROOT, fs, render: renderOf(v2), version: '0.2.0' })

    expect(result.exitCode).toBe(0)
    expect(result.report.files.map((file) => file.action)).toEqual(['merged', 'merged'])
    expect(readApp(volume, BACKOFF)).toBe(editRetryAt(v2.get('worker/backoff.js')!))
    expect(readApp(volume, STALE_LOCK)).toBe(editNoHeartbeat(v2.get('worker/stale-lock.js')!))
  })

  it('writes conflict markers when the user changed the lines upstream changed', async () => {
    const { volume, fs } = createFixtureApp(v1, { language: 'js' })
    const mine = replaceOnce(v1.get('worker/backoff.js')!, 'return Math.max(attempts, 1) ** 4;', 'return Math.max(attempts, 1) ** 3;')
    writeApp(volume, BACKOFF, mine)

    const result = await runUpdate({ root: ROOT, fs, render: renderOf(v2), version: '0.2.0' })

    expect(result.exitCode).toBe(1)
    expect(result.report.conflicts).toEqual([BACKOFF])
    expect(readApp(volume, BACKOFF)).toContain([
      '<<<<<<< local',
      '  return Math.max(attempts, 1) ** 3;',
      '=======',
      '  const counted = Math.min(Math.max(attempts, 1), MAX_BACKOFF_ATTEMPTS);',
      '  return counted ** 4;',
      '>>>>>>> jobs-kit 0.2.0',
    ].join('\n'))
    expect(readApp(volume, STALE_LOCK)).toBe(v2.get('worker/stale-lock.js'))
  })
})
