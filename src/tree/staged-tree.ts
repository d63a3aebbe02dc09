import { join } from 'node:path'
import type { FileChange, FileConflict, Tree } from './tree.js'
import { defaultTreeFs, type TreeFs } from './tree-fs.js'
import { normalizeTreePath } from './normalize-path.js'

/** Options of `createStagedTree`. */
export interface StagedTreeOptions {
  /** Absolute path of the app. */
  root: string
  /** Backing file system: `node:fs` by default, a memfs volume in tests. */
  fs?: TreeFs
}

/** A `Tree` that also exposes the file system it reads from, so `commitTree` writes to the same one. */
export interface StagedTree extends Tree {
  readonly fs: TreeFs
}

/**
 * Creates a tree over the app at `root`. Reads fall through to the disk until
 * a path is staged; writes and deletes are held in memory until `commitTree`.
 * A write that puts back a file's original content cancels its change and is
 * reported as skipped.
 */
export function createStagedTree(options: StagedTreeOptions): StagedTree {
  const fs = options.fs ?? defaultTreeFs
  const root = options.root
  /** path → staged content (null = deleted). */
  const staged = new Map<string, string | null>()
  /** path → content on disk when first looked at (null = no file). */
  const original = new Map<string, string | null>()
  const conflicts = new Map<string, FileConflict>()
  const skipped = new Set<string>()

  const absolute = (path: string) => (path === '.' ? root : join(root, path))
  const normalize = (path: string) => normalizeTreePath(path, root)

  function isDirectoryOnDisk(path: string): boolean {
    try {
      return fs.statSync(absolute(path)).isDirectory()
    } catch {
      return false
    }
  }

  function readOriginal(path: string): string | null {
    if (!original.has(path)) {
      let content: string | null = null
      try {
        if (fs.statSync(absolute(path)).isFile()) content = String(fs.readFileSync(absolute(path), 'utf8'))
      } catch {
        content = null
      }
      original.set(path, content)
    }
    return original.get(path) ?? null
  }

  function read(path: string): string | null {
    const key = normalize(path)
    if (staged.has(key)) return staged.get(key) ?? null
    return readOriginal(key)
  }

  function children(dir: string): string[] {
    const key = normalize(dir)
    const names = new Set<string>()
    if (isDirectoryOnDisk(key)) {
      for (const entry of fs.readdirSync(absolute(key))) names.add(String(entry))
    }
    const prefix = key === '.' ? '' : `${key}/`
    for (const [path, content] of staged) {
      if (!path.startsWith(prefix)) continue
      const name = path.slice(prefix.length).split('/')[0]!
      if (content !== null) names.add(name)
    }
    // A name whose every file is staged for deletion is gone.
    for (const name of [...names]) {
      const path = prefix + name
      if (staged.has(path) && staged.get(path) === null) names.delete(name)
      else if (!staged.has(path) && isDirectoryOnDisk(path) && !hasLiveFile(path)) names.delete(name)
    }
    return [...names].sort()
  }

  /** True when a directory still holds something once staged deletes apply. */
  function hasLiveFile(dir: string): boolean {
    const entries = fs.readdirSync(absolute(dir)).map(String)
    if (entries.length === 0) return true // an empty directory on disk still exists
    for (const [path, content] of staged) if (content !== null && path.startsWith(`${dir}/`)) return true
    return entries.some((name) => {
      const path = `${dir}/${name}`
      if (staged.has(path)) return staged.get(path) !== null
      return isDirectoryOnDisk(path) ? hasLiveFile(path) : true
    })
  }

  const tree: StagedTree = {
    root,
    fs,
    read,
    exists(path) {
      const key = normalize(path)
      if (read(key) !== null) return true
      if (staged.has(key)) return false
      if (isDirectoryOnDisk(key)) return hasLiveFile(key)
      const prefix = `${key}/`
      for (const [p, content] of staged) if (content !== null && p.startsWith(prefix)) return true
      return false
    },
    write(path, content) {
      const key = normalize(path)
      conflicts.delete(key)
      if (readOriginal(key) === content) {
        staged.delete(key)
        skipped.add(key)
      } else {
        staged.set(key, content)
        skipped.delete(key)
      }
    },
    delete(path) {
      const key = normalize(path)
      conflicts.delete(key)
      skipped.delete(key)
      if (readOriginal(key) === null) staged.delete(key)
      else staged.set(key, null)
    },
    children,
    changes() {
      const result: FileChange[] = []
      for (const path of [...staged.keys()].sort()) {
        const before = readOriginal(path)
        const after = staged.get(path) ?? null
        if (before === after) continue
        const kind = before === null ? 'create' : after === null ? 'delete' : 'update'
        result.push({ path, kind, before, after })
      }
      return result
    },
    conflict(path, wanted) {
      const key = normalize(path)
      const existing = read(key)
      if (existing === null || existing === wanted) {
        tree.write(key, wanted)
        return
      }
      conflicts.set(key, { path: key, existing, wanted })
    },
    conflicts() {
      return [...conflicts.values()].sort((a, b) => a.path.localeCompare(b.path))
    },
    skipped() {
      return [...skipped].filter((path) => !staged.has(path) && !conflicts.has(path)).sort()
    },
  }
  return tree
}
