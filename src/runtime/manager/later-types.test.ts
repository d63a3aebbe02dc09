import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { compileFixture, errorLines, formatDiagnostics, readExpectations } from '../../../test/support/compile-fixture.js'

// Type-level guarantees of the scheduling API, checked by compiling
// test/support/type-fixtures/later-types.ts with the TypeScript compiler.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const fixture = join(repoRoot, 'test/support/type-fixtures/later-types.ts')

describe('scheduling types', () => {
  const { expectedErrorLines, stripped } = readExpectations(fixture)

  it('compile the right calls and reject every wrong one (each @ts-expect-error is used)', () => {
    expect(expectedErrorLines.length).toBeGreaterThanOrEqual(15)
    expect(formatDiagnostics(compileFixture(fixture))).toEqual([])
  }, 60_000)

  it('report each wrong call on its own line once the directives are removed', () => {
    expect(errorLines(compileFixture(fixture, stripped))).toEqual(expectedErrorLines)
  }, 60_000)
})
