import { describe, expect, it } from 'vitest'
import { describeLoader } from './job-registry.js'

describe('describeLoader', () => {
  it('reads the imported path from a loader, for error messages', () => {
    expect(describeLoader(new Function("return import('../jobs/index.js')") as () => unknown)).toBe('../jobs/index.js')
    expect(describeLoader(new Function('return require("../jobs")') as () => unknown)).toBe('../jobs')
    expect(describeLoader(() => ({}))).toBe("the module your config's `jobs` loader returns")
  })
})
