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
