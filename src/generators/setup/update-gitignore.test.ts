import { describe, expect, it } from 'vitest'
import { appTree } from '../../project/__tests__/app-tree.js'
import { updateGitignore } from './update-gitignore.js'

const run = (files: Record<string, string>) => {
  const { tree } = appTree(files)
  updateGitignore(tree)
  return { text: tree.read('.gitignore'), changed: tree.changes().length > 0 }
}

describe('updateGitignore', () => {
  it('creates .gitignore with the runner folders', () => {
    expect(run({}).text).toBe('# jobs-kit runner: pid files and worker logs\n.jobs-kit/pids/\n.jobs-kit/logs/\n')
  })

  it('appends after a blank line, in the file\'s line endings', () => {
    expect(run({ '.gitignore': 'node_modules' }).text).toBe('node_modules\n\n# jobs-kit runner: pid files and worker logs\n.jobs-kit/pids/\n.jobs-kit/logs/\n')
    expect(run({ '.gitignore': 'dist\r\n' }).text).toBe('dist\r\n\r\n# jobs-kit runner: pid files and worker logs\r\n.jobs-kit/pids/\r\n.jobs-kit/logs/\r\n')
  })

  it('adds only what is missing, and nothing when .jobs-kit is ignored as a whole', () => {
    expect(run({ '.gitignore': '/.jobs-kit/pids\n' }).text).toBe('/.jobs-kit/pids\n\n# jobs-kit runner: pid files and worker logs\n.jobs-kit/logs/\n')
    expect(run({ '.gitignore': '.jobs-kit/\n' })).toEqual({ text: '.jobs-kit/\n', changed: false })
  })
})
