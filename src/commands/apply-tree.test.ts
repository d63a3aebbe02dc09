import { afterEach, describe, expect, it, vi } from 'vitest'
import { appTree } from '../project/__tests__/app-tree.js'
import { planSetup } from '../generators/setup/plan-setup.js'
import { jsEsmApp } from '../generators/setup/__fixtures__/apps.js'
import { runtimeSources } from '../vendoring/__fixtures__/runtime-sources.js'
import { ConflictError } from '../tree/errors.js'
import { applyTree } from './apply-tree.js'

const options = { cwd: '/app', dryRun: false, force: false, yes: true }

afterEach(() => {
  vi.restoreAllMocks()
})

function captureLog(): string[] {
  const lines: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '))
  })
  return lines
}

describe('applyTree', () => {
  it('in a dry run writes zero bytes (the whole volume is unchanged) and prints every change with its diff', async () => {
    const { tree, vol } = appTree(jsEsmApp)
    await planSetup(tree, { runtimeSources, migration: true, version: '0.0.0-test' })
    const before = JSON.stringify(vol.toJSON())
    const log = captureLog()
    expect(await applyTree(tree, { ...options, dryRun: true })).toBe('dry-run')
    expect(JSON.stringify(vol.toJSON())).toBe(before)
    const output = log.join('\n')
    expect(output).toMatch(/^create +src\/lib\/jobs\.js$/m)
    expect(output).toMatch(/^create +src\/lib\/jobs-kit\/worker\/backoff\.js$/m)
    expect(output).toContain('+++ b/src/lib/jobs.js')
    expect(output).toMatch(/Dry run: nothing was written/)
  })

  it('commits and lists the changes, summarising collapsed folders', async () => {
    const { tree, vol } = appTree(jsEsmApp)
    await planSetup(tree, { runtimeSources, version: '0.0.0-test' })
    const log = captureLog()
    expect(await applyTree(tree, { ...options, collapse: ['src/lib/jobs-kit'] })).toBe('written')
    expect(vol.readFileSync('/app/src/lib/jobs.js', 'utf8')).toMatch(/new JobManager/)
    expect(log.join('\n')).toMatch(/^create +src\/lib\/jobs-kit\/ \(8 files\)$/m)
  })

  it('says unchanged when there is nothing to write', async () => {
    const { tree } = appTree({ 'a.txt': 'a' })
    tree.write('a.txt', 'a')
    captureLog()
    expect(await applyTree(tree, options)).toBe('unchanged')
  })

  it('without a terminal, prints conflicts with their diffs and throws, writing nothing', async () => {
    const { tree, vol } = appTree({ 'a.txt': 'mine\n', 'b.txt': 'b' })
    tree.write('b.txt', 'B')
    tree.conflict('a.txt', 'theirs\n')
    const log = captureLog()
    await expect(applyTree(tree, { ...options, conflictAdvice: 'do this' }, async () => tree)).rejects.toThrow(ConflictError)
    await expect(applyTree(tree, { ...options, conflictAdvice: 'do this' })).rejects.toMatchObject({ advice: 'do this' })
    expect(log.join('\n')).toContain('-mine')
    expect(vol.toJSON()).toEqual({ '/app/a.txt': 'mine\n', '/app/b.txt': 'b' })
  })
})
