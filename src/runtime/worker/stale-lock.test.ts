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

  it('gives workers with different maxRuntime the same threshold, so none calls a healthy job of another stale', () => {
    // A worker started with --maxRuntime 10 used to call a default worker's
    // 25 s job stale after 10 s while its holder renewed every 15 s.
    for (const maxRuntime of [1, 8, 10, 59, 60, 3600, 14_400]) {
      expect(getLockTiming(maxRuntime, true)).toEqual(getLockTiming(14_400, true))
    }
    const { staleAfterSeconds, heartbeatIntervalSeconds } = getLockTiming(10, true)
    expect(heartbeatIntervalSeconds! * 4).toBeLessThanOrEqual(staleAfterSeconds)
  })

  it('falls back to maxRuntime when the adapter cannot renew locks', () => {
    expect(getLockTiming(14_400, false)).toEqual({ staleAfterSeconds: 14_400, heartbeatIntervalSeconds: undefined })
  })
})
