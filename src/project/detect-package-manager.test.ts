import { describe, expect, it } from 'vitest'
import { appTree } from './__tests__/app-tree.js'
import { detectPackageManager, runScriptCommand } from './detect-package-manager.js'

describe('detectPackageManager', () => {
  const cases: [Record<string, string>, string][] = [
    [{ 'package-lock.json': '{}' }, 'npm'],
    [{ 'pnpm-lock.yaml': '' }, 'pnpm'],
    [{ 'yarn.lock': '' }, 'yarn'],
    [{ 'bun.lockb': '' }, 'bun'],
    [{ 'bun.lock': '' }, 'bun'],
    [{ 'pnpm-lock.yaml': '', 'package-lock.json': '{}' }, 'pnpm'],
    [{}, 'npm'],
  ]
  for (const [files, expected] of cases) {
    it(`finds ${expected} from ${Object.keys(files).join(' + ') || 'no lock file'}`, () => {
      expect(detectPackageManager(appTree(files).tree, {})).toBe(expected)
    })
  }

  it('falls back to the packageManager field when there is no lock file', () => {
    expect(detectPackageManager(appTree({}).tree, { packageManager: 'yarn@4.6.0' })).toBe('yarn')
  })

  it('spells the run command the way each manager passes arguments', () => {
    expect(runScriptCommand('npm', 'jobs', 'work')).toBe('npm run jobs -- work')
    expect(runScriptCommand('pnpm', 'jobs', 'work')).toBe('pnpm jobs work')
    expect(runScriptCommand('yarn', 'jobs', 'work')).toBe('yarn jobs work')
    expect(runScriptCommand('bun', 'jobs', 'work')).toBe('bun run jobs work')
  })
})
