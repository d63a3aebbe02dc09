import { describe, expect, it } from 'vitest'
import { mergeText } from './merge-text.js'

const lines = (...items: string[]) => `${items.join('\n')}\n`
const label = 'jobs-kit 0.2.0'

describe('mergeText', () => {
  it('takes changes made on one side only, from both sides', () => {
    const base = lines('a', 'b', 'c', 'd', 'e')
    const result = mergeText({ base, local: lines('A', 'b', 'c', 'd', 'e'), upstream: lines('a', 'b', 'c', 'd', 'E'), upstreamLabel: label })
    expect(result).toEqual({ text: lines('A', 'b', 'c', 'd', 'E'), conflicts: 0 })
  })

  it('takes the same change made on both sides once', () => {
    const base = lines('a', 'b', 'c')
    const result = mergeText({ base, local: lines('a', 'B', 'c'), upstream: lines('a', 'B', 'c'), upstreamLabel: label })
    expect(result).toEqual({ text: lines('a', 'B', 'c'), conflicts: 0 })
  })

  it('writes git-style markers around different changes to the same lines, showing only the lines that differ', () => {
    const base = lines('head', 'one', 'two', 'three', 'tail')
    const local = lines('head', 'one', 'TWO (local)', 'three', 'tail')
    const upstream = lines('head', 'one', 'TWO (upstream)', 'three', 'tail')
    expect(mergeText({ base, local, upstream, upstreamLabel: label })).toEqual({
      text: lines('head', 'one', '<<<<<<< local', 'TWO (local)', '=======', 'TWO (upstream)', '>>>>>>> jobs-kit 0.2.0', 'three', 'tail'),
      conflicts: 1,
    })
  })

  it('narrows a conflict to the differing lines when both sides share some of the changed lines', () => {
    const base = lines('x', 'old 1', 'old 2', 'old 3', 'y')
    const local = lines('x', 'new 1', 'shared', 'mine', 'y')
    const upstream = lines('x', 'new 1', 'shared', 'theirs', 'y')
    expect(mergeText({ base, local, upstream, upstreamLabel: label }).text).toBe(
      lines('x', 'new 1', 'shared', '<<<<<<< local', 'mine', '=======', 'theirs', '>>>>>>> jobs-kit 0.2.0', 'y'),
    )
  })

  it('keeps conflicts separated only by braces or blank lines together', () => {
    const base = lines('if (a) {', '  one()', '}', '', '  two()', 'done')
    const local = lines('if (a) {', '  one(1)', '}', '', '  two(1)', 'done')
    const upstream = lines('if (a) {', '  one(2)', '}', '', '  two(2)', 'done')
    expect(mergeText({ base, local, upstream, upstreamLabel: label })).toEqual({
      text: lines('if (a) {', '<<<<<<< local', '  one(1)', '}', '', '  two(1)', '=======', '  one(2)', '}', '', '  two(2)', '>>>>>>> jobs-kit 0.2.0', 'done'),
      conflicts: 1,
    })
  })

  it('keeps conflicts apart when a line with code separates them', () => {
    const base = lines('f() {', '  a', '}', '', 'g() {', '  b', '}')
    const local = lines('f() {', '  a1', '}', '', 'g() {', '  b1', '}')
    const upstream = lines('f() {', '  a2', '}', '', 'g() {', '  b2', '}')
    expect(mergeText({ base, local, upstream, upstreamLabel: label })).toEqual({
      text: lines(
        'f() {',
        '<<<<<<< local', '  a1', '=======', '  a2', '>>>>>>> jobs-kit 0.2.0',
        '}', '', 'g() {',
        '<<<<<<< local', '  b1', '=======', '  b2', '>>>>>>> jobs-kit 0.2.0',
        '}',
      ),
      conflicts: 2,
    })
  })

  it('handles lines that name Object.prototype members (constructor, __proto__, toString)', () => {
    const base = lines('class A {', 'constructor', '__proto__', 'toString', '}')
    const local = lines('class A {', 'constructor', '__proto__', 'toString', '// local', '}')
    const upstream = lines('// upstream', 'class A {', 'constructor', '__proto__', 'toString', '}')
    expect(mergeText({ base, local, upstream, upstreamLabel: label })).toEqual({
      text: lines('// upstream', 'class A {', 'constructor', '__proto__', 'toString', '// local', '}'),
      conflicts: 0,
    })
  })

  it('merges CRLF text against LF versions and answers in CRLF', () => {
    const base = lines('a', 'b', 'c', 'd')
    const local = lines('A', 'b', 'c', 'd').replaceAll('\n', '\r\n')
    const upstream = lines('a', 'b', 'c', 'D')
    expect(mergeText({ base, local, upstream, upstreamLabel: label })).toEqual({ text: lines('A', 'b', 'c', 'D').replaceAll('\n', '\r\n'), conflicts: 0 })
  })

  it('keeps the final newline outside conflicts, and ends a side that lacks one before the next marker', () => {
    const base = 'a\nb\nc\n'
    expect(mergeText({ base, local: 'A\nb\nc\n', upstream: 'a\nb\n', upstreamLabel: label })).toEqual({ text: 'A\nb\n', conflicts: 0 })
    expect(mergeText({ base, local: 'a\nb\nc', upstream: 'a\nb\nC\n', upstreamLabel: label })).toEqual({
      text: 'a\nb\n<<<<<<< local\nc\n=======\nC\n>>>>>>> jobs-kit 0.2.0\n',
      conflicts: 1,
    })
  })

  it('without a base, keeps common lines and marks every difference as a conflict', () => {
    const result = mergeText({ base: null, local: lines('a', 'mine', 'c'), upstream: lines('a', 'theirs', 'c'), upstreamLabel: label })
    expect(result).toEqual({ text: lines('a', '<<<<<<< local', 'mine', '=======', 'theirs', '>>>>>>> jobs-kit 0.2.0', 'c'), conflicts: 1 })
  })
})
