import { describe, expect, it } from 'vitest'
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS, DEFAULT_STALE_LOCK_SECONDS } from '../defaults.js'
import { getLockTiming } from './stale-lock.js'

describe('getLockTiming', () => {
  it('calls a lock stale after four missed heartbeats when the adapter can renew locks', () => {
    expect(getLockTiming(14_400, true)).toEqual({
      staleAfterSeconds: DEFAULT_STALE_LOCK_SECONDS,
      heartbeatIntervalSeconds: DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
    })
    expect(DEFAULT_STALE_LOCK_SECONDS).toBe(4 * DEFAULT_HEARTBEAT_INTERVAL_SECONDS)
  })

  it('never waits longer than maxRuntime, and renews four times within a shorter threshold', () => {
    expect(getLockTiming(8, true)).toEqual({ staleAfterSeconds: 8, heartbeatIntervalSeconds: 2 })
  })

  it('falls back to maxRuntime when the adapter cannot renew locks', () => {
    expect(getLockTiming(14_400, false)).toEqual({ staleAfterSeconds: 14_400, heartbeatIntervalSeconds: undefined })
  })
})
