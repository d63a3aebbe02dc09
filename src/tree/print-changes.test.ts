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

describe('formatChanges for review', () => {
  it('lists `first` in its order, then the rest in path order, then summarised folders in their order, with the hint', () => {
    const vol = Volume.fromJSON({ 'package.json': '{}', 'prisma/schema.prisma': 'model A {}\n' }, '/app')
    const tree = createStagedTree({ root: '/app', fs: vol as unknown as TreeFs })
    tree.write('.jobs-kit/base/src/kit/a.ts.base', 'a')
    tree.write('src/kit/a.ts', 'a')
    tree.write('src/lib/jobs.ts', 'jobs')
    tree.write('package.json', '{ "scripts": {} }')
    tree.write('jobs-kit.json', '{}')
    tree.write('prisma/migrations/1_jobs/migration.sql', 'CREATE TABLE x ();')
    tree.write('prisma/schema.prisma', 'model A {}\nmodel Job {}\n')
    const listing = formatChanges(tree, {
      diff: false,
      first: ['prisma/schema.prisma', 'prisma/migrations', 'src/lib/jobs.ts'],
      collapse: ['src/kit', '.jobs-kit/base'],
      collapseHint: '--full-diff shows them',
    })
    expect(listing).toBe([
      'update   prisma/schema.prisma',
      'create   prisma/migrations/1_jobs/migration.sql',
      'create   src/lib/jobs.ts',
      'create   jobs-kit.json',
      'update   package.json',
      'create   src/kit/ (1 file; --full-diff shows them)',
      'create   .jobs-kit/base/ (1 file; --full-diff shows them)',
    ].join('\n'))
  })
})
