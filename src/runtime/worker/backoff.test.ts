import { describe, expect, it } from 'vitest'
import { backoffSeconds, retryAt } from './backoff.js'

describe('backoff', () => {
  it('waits attempts⁴ seconds, without jitter', () => {
    expect([1, 2, 3, 4, 5, 10, 24].map(backoffSeconds)).toEqual([1, 16, 81, 256, 625, 10_000, 331_776])
  })

  it('treats 0 attempts as 1 (never a zero wait)', () => {
    expect(backoffSeconds(0)).toBe(1)
  })

  it('gives the retry time from a given now, in milliseconds of the Date', () => {
    const now = new Date('2026-01-01T00:00:00.000Z')
    expect(retryAt(2, now).toISOString()).toBe('2026-01-01T00:00:16.000Z')
    expect(retryAt(3, now).toISOString()).toBe('2026-01-01T00:01:21.000Z')
  })
})
