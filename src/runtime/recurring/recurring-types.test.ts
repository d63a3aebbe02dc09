import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { compileFixture, errorLines, formatDiagnostics, readExpectations } from '../../../test/support/compile-fixture.js'

// Type-level guarantees of `recurring`: test/support/type-fixtures/recurring/
// is an app whose jobs index imports its config, compiled with tsc.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const config = join(repoRoot, 'test/support/type-fixtures/recurring/jobs.ts')

describe('recurring entry types', () => {
  const { expectedErrorLines, stripped } = readExpectations(config)

  it('check job names and args against the jobs index without making the config reference itself (TS7022)', () => {
    expect(expectedErrorLines).toHaveLength(5)
    expect(formatDiagnostics(compileFixture(config))).toEqual([])
  }, 60_000)

  it('report each wrong entry on its own line once the directives are removed', () => {
    expect(errorLines(compileFixture(config, stripped))).toEqual(expectedErrorLines)
  }, 60_000)
})
