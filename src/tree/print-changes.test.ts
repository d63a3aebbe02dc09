import { describe, expect, it } from 'vitest'
import { Volume } from 'memfs'
import { createStagedTree } from './staged-tree.js'
import { formatChanges } from './print-changes.js'
import type { TreeFs } from './tree-fs.js'

describe('formatChanges', () => {
  it('lists every kind of change in path order, with unified diffs', () => {
    const vol = Volume.fromJSON({ 'a.txt': 'one\ntwo\n', 'b.txt': 'same\n', 'c.txt': 'mine\n', 'd.txt': 'old\n' }, '/app')
    const tree = createStagedTree({ root: '/app', fs: vol as unknown as TreeFs })
    tree.write('a.txt', 'one\n2\n')
    tree.write('b.txt', 'same\n')
    tree.conflict('c.txt', 'theirs\n')
    tree.delete('d.txt')
    tree.write('e.txt', 'new\n')
    expect(formatChanges(tree, { diff: false })).toBe(
      ['update   a.txt', 'skip     b.txt', 'conflict c.txt', 'delete   d.txt', 'create   e.txt'].join('\n'),
    )
    expect(formatChanges(tree, { diff: true })).toMatchInlineSnapshot(`
      "update   a.txt
          --- a/a.txt
          +++ b/a.txt
          @@ -1,2 +1,2 @@
           one
          -two
          +2
      skip     b.txt
      conflict c.txt
          --- a/c.txt
          +++ b/c.txt
          @@ -1,1 +1,1 @@
          -mine
          +theirs
      delete   d.txt
          --- a/d.txt
          +++ /dev/null
          @@ -1,1 +0,0 @@
          -old
      create   e.txt
          --- /dev/null
          +++ b/e.txt
          @@ -0,0 +1,1 @@
          +new"
    `)
  })
})

describe('formatChanges with collapsed folders', () => {
  it('summarises each kind of change under a folder on one line, but lists conflicts', () => {
    const vol = Volume.fromJSON({ 'lib/kit/a.ts': 'a', 'lib/kit/b.ts': 'mine' }, '/app')
    const tree = createStagedTree({ root: '/app', fs: vol as unknown as TreeFs })
    tree.write('lib/kit/x/c.ts', 'c')
    tree.write('lib/kit/d.ts', 'd')
    tree.write('lib/kit/a.ts', 'a')
    tree.conflict('lib/kit/b.ts', 'theirs')
    tree.write('lib/jobs.ts', 'jobs')
    expect(formatChanges(tree, { diff: false, collapse: ['lib/kit'] })).toBe(
      ['create   lib/jobs.ts', 'skip     lib/kit/ (1 file)', 'conflict lib/kit/b.ts', 'create   lib/kit/ (2 files)'].join('\n'),
    )
  })
})
