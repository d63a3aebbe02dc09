import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync, mkdirSync } from 'node:fs'
import * as nodeFs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Volume } from 'memfs'
import { createStagedTree } from './staged-tree.js'
import { commitTree } from './commit-tree.js'
import { ChangedOnDiskError, CommitError, ConflictError } from './errors.js'
import type { TreeFs } from './tree-fs.js'

/** An fs that lets the first `okCalls` calls of `method` through, then fails every one (a full disk). */
function failingOn(fs: TreeFs, okCalls: number, method: 'writeFileSync' | 'renameSync' = 'writeFileSync'): TreeFs {
  let calls = 0
  return new Proxy(fs, {
    get(target, key) {
      const value = Reflect.get(target, key)
      if (key === method) {
        return (...args: unknown[]) => {
          calls += 1
          if (calls > okCalls) throw Object.assign(new Error(`ENOSPC: no space left on device, ${method} '${String(args[0])}'`), { code: 'ENOSPC' })
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
const failingOnWrite = (fs: TreeFs, okWrites: number) => failingOn(fs, okWrites)

describe('commitTree on memfs', () => {
  it('writes creates (with their folders), updates and deletes', () => {
    const vol = Volume.fromJSON({ 'a.txt': 'a', 'gone/b.txt': 'b' }, '/app')
    const tree = createStagedTree({ root: '/app', fs: vol as unknown as TreeFs })
    tree.write('a.txt', 'A')
    tree.write('deep/er/c.txt', 'c')
    tree.delete('gone/b.txt')
    commitTree(tree)
    expect(vol.toJSON()).toEqual({ '/app/a.txt': 'A', '/app/deep/er/c.txt': 'c' })
    expect(vol.existsSync('/app/gone')).toBe(false)
  })

  it('refuses a tree with conflicts and writes nothing', () => {
    const vol = Volume.fromJSON({ 'a.txt': 'a' }, '/app')
    const tree = createStagedTree({ root: '/app', fs: vol as unknown as TreeFs })
    tree.write('b.txt', 'b')
    tree.conflict('a.txt', 'other')
    expect(() => commitTree(tree)).toThrow(ConflictError)
    expect(vol.toJSON()).toEqual({ '/app/a.txt': 'a' })
  })

  it('refuses to overwrite a file that changed since it was read', () => {
    const vol = Volume.fromJSON({ 'a.txt': 'a' }, '/app')
    const tree = createStagedTree({ root: '/app', fs: vol as unknown as TreeFs })
    tree.write('a.txt', 'A')
    vol.writeFileSync('/app/a.txt', 'edited meanwhile')
    expect(() => commitTree(tree)).toThrow(ChangedOnDiskError)
    expect(vol.readFileSync('/app/a.txt', 'utf8')).toBe('edited meanwhile')
  })

  for (const okWrites of [0, 1, 2, 3]) {
    it(`restores every file when write number ${okWrites + 1} fails`, () => {
      const files = { 'a.txt': 'a', 'b.txt': 'b', 'del/d.txt': 'd', 'keep/k.txt': 'k' }
      const vol = Volume.fromJSON(files, '/app')
      const before = vol.toJSON()
      const tree = createStagedTree({ root: '/app', fs: vol as unknown as TreeFs })
      tree.write('a.txt', 'A')
      tree.write('b.txt', 'B')
      tree.delete('del/d.txt')
      tree.write('new/deep/c.txt', 'c')
      tree.write('z.txt', 'z')
      const error = (() => {
        try {
          commitTree(tree, { fs: failingOnWrite(vol as unknown as TreeFs, okWrites) })
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(CommitError)
      expect((error as CommitError).rollbackFailures).toEqual([])
      expect((error as CommitError).message).toMatch(/ENOSPC/)
      expect(vol.toJSON()).toEqual(before)
      expect(vol.existsSync('/app/new')).toBe(false)
    })
  }
})

describe('commitTree rollback when a rename fails', () => {
  for (const okRenames of [0, 1, 2, 3]) {
    it(`restores every file when rename number ${okRenames + 1} fails`, () => {
      const vol = Volume.fromJSON({ 'a.txt': 'a', 'b.txt': 'b', 'del/d.txt': 'd' }, '/app')
      const before = vol.toJSON()
      const tree = createStagedTree({ root: '/app', fs: vol as unknown as TreeFs })
      tree.write('a.txt', 'A')
      tree.write('b.txt', 'B')
      tree.delete('del/d.txt')
      tree.write('new/c.txt', 'c')
      // The commit renames: a aside, a's new file in, b aside, b's new file in, d aside.
      // Exactly one of them fails; the rollback's own renames go through.
      let commitRenames = 0
      const fs = new Proxy(vol as unknown as TreeFs, {
        get(target, key) {
          const value = Reflect.get(target, key)
          if (key === 'renameSync') {
            return (from: string, to: string) => {
              commitRenames += 1
              if (commitRenames === okRenames + 1) throw new Error('EBUSY: resource busy or locked')
              return target.renameSync(from, to)
            }
          }
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
      expect(() => commitTree(tree, { fs })).toThrow(CommitError)
      expect(vol.toJSON()).toEqual(before)
    })
  }
})

describe('commitTree on the real file system', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('writes through a symlinked file, keeping the link, and restores it on rollback', () => {
    dir = mkdtempSync(join(tmpdir(), 'jobs-kit-commit-'))
    writeFileSync(join(dir, 'real.json'), 'old')
    nodeFs.symlinkSync('real.json', join(dir, 'link.json'))
    const tree = createStagedTree({ root: dir })
    tree.write('link.json', 'new')
    commitTree(tree)
    expect(nodeFs.lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('new')

    const again = createStagedTree({ root: dir })
    again.write('link.json', 'newer')
    again.write('zz.txt', 'z')
    // The second write fails (zz.txt); the rollback's write back through the link goes through.
    let writes = 0
    const failingOnce = { ...(nodeFs as unknown as TreeFs), writeFileSync: (path: string, content: string) => {
      writes += 1
      if (writes === 2) throw new Error('EIO: i/o error')
      nodeFs.writeFileSync(path, content)
    } } as TreeFs
    expect(() => commitTree(again, { fs: failingOnce })).toThrow(CommitError)
    expect(nodeFs.lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('new')
    expect(existsSync(join(dir, 'zz.txt'))).toBe(false)
  })

  it('rolls back real files, keeping the mode of a deleted file', () => {
    dir = mkdtempSync(join(tmpdir(), 'jobs-kit-commit-'))
    writeFileSync(join(dir, 'a.txt'), 'a')
    mkdirSync(join(dir, 'bin'))
    writeFileSync(join(dir, 'bin/run.sh'), '#!/bin/sh', { mode: 0o755 })
    const tree = createStagedTree({ root: dir })
    tree.write('a.txt', 'A')
    tree.delete('bin/run.sh')
    tree.write('new/c.txt', 'c')
    tree.write('zz.txt', 'z')
    expect(() => commitTree(tree, { fs: failingOnWrite(nodeFs as unknown as TreeFs, 2) })).toThrow(CommitError)
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('a')
    expect(readFileSync(join(dir, 'bin/run.sh'), 'utf8')).toBe('#!/bin/sh')
    expect(nodeFs.statSync(join(dir, 'bin/run.sh')).mode & 0o777).toBe(0o755)
    expect(existsSync(join(dir, 'new'))).toBe(false)
    expect(existsSync(join(dir, 'zz.txt'))).toBe(false)
  })
})
