import { describe, expect, it } from 'vitest'
import type { StoredJob } from './types.js'

// Placeholder until the runtime suites land: proves the test runner and the
// TypeScript setup work from a clean clone.
describe('runtime types', () => {
  it('describe a stored job with a JSON handler', () => {
    const handler = JSON.stringify({ name: 'SendWelcomeEmailJob', path: 'SendWelcomeEmailJob/SendWelcomeEmailJob', args: [1] })
    const row: Pick<StoredJob, 'handler' | 'priority'> = { handler, priority: 50 }
    expect(JSON.parse(row.handler).args).toEqual([1])
  })
})
