import { describe, expect, it } from 'vitest'
import { Volume } from 'memfs'
import { createStagedTree } from './staged-tree.js'
import { PathOutsideTreeError } from './errors.js'
import { writeOrConflict } from './write-or-conflict.js'
import type { TreeFs } from './tree-fs.js'

function makeTree(files: Record<string, string>) {
  const vol = Volume.fromJSON(files, '/app')
  return { vol, tree: createStagedTree({ root: '/app', fs: vol as unknown as TreeFs }) }
}

describe('createStagedTree', () => {
  it('reads files from the backing fs until they are staged', () => {
    const { tree } = makeTree({ 'src/a.ts': 'a' })
    expect(tree.read('src/a.ts')).toBe('a')
    expect(tree.read('./src//a.ts')).toBe('a')
    expect(tree.read('src/missing.ts')).toBeNull()
    tree.write('src/a.ts', 'b')
    expect(tree.read('src/a.ts')).toBe('b')
  })

  it('stages creates, updates and deletes without touching the disk', () => {
    const { tree, vol } = makeTree({ 'a.txt': 'a', 'b.txt': 'b' })
    const before = vol.toJSON()
    tree.write('new/c.txt', 'c')
    tree.write('a.txt', 'A')
    tree.delete('b.txt')
    expect(tree.changes()).toEqual([
      { path: 'a.txt', kind: 'update', before: 'a', after: 'A' },
      { path: 'b.txt', kind: 'delete', before: 'b', after: null },
      { path: 'new/c.txt', kind: 'create', before: null, after: 'c' },
    ])
    expect(vol.toJSON()).toEqual(before)
  })

  it('drops a change that puts the original content back and reports it as skipped', () => {
    const { tree } = makeTree({ 'a.txt': 'a' })
    tree.write('a.txt', 'changed')
    tree.write('a.txt', 'a')
    expect(tree.changes()).toEqual([])
    expect(tree.skipped()).toEqual(['a.txt'])
  })

  it('forgets a create that is deleted again', () => {
    const { tree } = makeTree({})
    tree.write('x.txt', 'x')
    tree.delete('x.txt')
    expect(tree.changes()).toEqual([])
    expect(tree.exists('x.txt')).toBe(false)
  })

  it('lists children with staged files and without deleted ones', () => {
    const { tree } = makeTree({ 'src/a.ts': '', 'src/lib/db.ts': '', 'src/old/x.ts': '' })
    tree.write('src/jobs/index.ts', '')
    tree.delete('src/old/x.ts')
    expect(tree.children('src')).toEqual(['a.ts', 'jobs', 'lib'])
    expect(tree.children('.')).toEqual(['src'])
    expect(tree.exists('src/old')).toBe(false)
    expect(tree.exists('src/jobs')).toBe(true)
    expect(tree.exists('src/lib')).toBe(true)
  })

  it('refuses paths outside the app', () => {
    const { tree } = makeTree({})
    expect(() => tree.write('../evil.ts', '')).toThrow(PathOutsideTreeError)
    expect(() => tree.read('/etc/passwd')).toThrow(PathOutsideTreeError)
  })

  it('records a conflict for different existing content and writes identical content as a skip', () => {
    const { tree } = makeTree({ 'a.ts': 'mine' })
    expect(writeOrConflict(tree, 'a.ts', 'theirs')).toBe('conflict')
    expect(tree.conflicts()).toEqual([{ path: 'a.ts', existing: 'mine', wanted: 'theirs' }])
    expect(tree.changes()).toEqual([])
    expect(writeOrConflict(tree, 'b.ts', 'new')).toBe('create')
    expect(writeOrConflict(tree, 'a.ts', 'mine')).toBe('skip')
    expect(tree.conflicts()).toEqual([])
    expect(writeOrConflict(tree, 'a.ts', 'theirs', { force: true })).toBe('update')
    expect(tree.changes().map((c) => `${c.kind} ${c.path}`)).toEqual(['update a.ts', 'create b.ts'])
  })
})
