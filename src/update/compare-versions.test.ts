import { describe, expect, it } from 'vitest'
import { compareVersions } from './compare-versions.js'

describe('compareVersions', () => {
  it.each([
    ['0.1.0', '0.2.0', -1],
    ['0.10.0', '0.9.9', 1],
    ['1.0.0', '1.0.0', 0],
    ['1.0.0-beta.2', '1.0.0', -1],
    ['1.0.0-beta.2', '1.0.0-beta.10', -1],
    ['1.0.0-beta', '1.0.0-alpha', 1],
    ['1.0.0-rc.1', '1.0.0-rc.1.1', -1],
    ['v2.0.0+build.5', '2.0.0', 0],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected)
  })
})
