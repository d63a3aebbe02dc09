import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { compileFixture, errorLines, formatDiagnostics, readExpectations } from '../../../test/support/compile-fixture.js'

// Type-level guarantees of class-style jobs and of the lifecycle hooks and
// per-job settings, checked by compiling test/support/type-fixtures/redwood-job-types.ts.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const fixture = join(repoRoot, 'test/support/type-fixtures/redwood-job-types.ts')

describe('class-style job and hook types', () => {
  const { expectedErrorLines, stripped } = readExpectations(fixture)

  it('compile the right calls and reject every wrong one (each @ts-expect-error is used)', () => {
    expect(expectedErrorLines.length).toBeGreaterThanOrEqual(12)
    expect(formatDiagnostics(compileFixture(fixture))).toEqual([])
  }, 60_000)

  it('report each wrong call on its own line once the directives are removed', () => {
    expect(errorLines(compileFixture(fixture, stripped))).toEqual(expectedErrorLines)
  }, 60_000)
})
