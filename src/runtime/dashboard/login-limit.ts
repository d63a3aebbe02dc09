import { isIP } from 'node:net'
import { DASHBOARD_LOGIN_FAILURES_PER_WINDOW, DASHBOARD_LOGIN_MAX_ADDRESSES, DASHBOARD_LOGIN_WINDOW_SECONDS } from '../defaults.js'

/**
 * A limit on wrong dashboard tokens, per client address, in memory: after
 * `DASHBOARD_LOGIN_FAILURES_PER_WINDOW` wrong tokens within
 * `DASHBOARD_LOGIN_WINDOW_SECONDS` of the first, the address gets 429 (right
 * token or not, so guessing cannot go on) until the window ends. A right
 * token does not clear the count (see handle-request.ts).
 *
 * An IPv6 client is counted by its /64 (one host usually holds a whole /64,
 * and could otherwise take a fresh address per guess). Memory is bounded:
 * past `DASHBOARD_LOGIN_MAX_ADDRESSES`, expired entries go first, then the
 * oldest. Requests whose address is unknown (a Fetch handler without
 * `clientAddress`) share one count.
 */
export class LoginLimit {
  private readonly failures = new Map<string, { count: number; windowEndsMs: number }>()

  constructor(
    private readonly limit = DASHBOARD_LOGIN_FAILURES_PER_WINDOW,
    private readonly windowMs = DASHBOARD_LOGIN_WINDOW_SECONDS * 1000,
    private readonly maxAddresses = DASHBOARD_LOGIN_MAX_ADDRESSES,
  ) {}

  /** Seconds this address must wait before trying again, or 0 when it may try now. */
  retryAfterSeconds(address: string | undefined, nowMs = Date.now()): number {
    const entry = this.failures.get(keyOf(address))
    if (!entry) return 0
    if (entry.windowEndsMs <= nowMs) {
      this.failures.delete(keyOf(address))
      return 0
    }
    return entry.count >= this.limit ? Math.ceil((entry.windowEndsMs - nowMs) / 1000) : 0
  }

  recordFailure(address: string | undefined, nowMs = Date.now()): void {
    const key = keyOf(address)
    const entry = this.failures.get(key)
    if (entry && entry.windowEndsMs > nowMs) {
      entry.count += 1
      return
    }
    this.failures.delete(key)
    if (this.failures.size >= this.maxAddresses) this.makeRoom(nowMs)
    this.failures.set(key, { count: 1, windowEndsMs: nowMs + this.windowMs })
  }

  /** How many addresses it remembers (tests: memory stays bounded). */
  get size(): number {
    return this.failures.size
  }

  private makeRoom(nowMs: number): void {
    for (const [key, entry] of this.failures) if (entry.windowEndsMs <= nowMs) this.failures.delete(key)
    // Map keeps insertion order: the first key is the oldest window.
    while (this.failures.size >= this.maxAddresses) this.failures.delete(this.failures.keys().next().value!)
  }
}

/** The count an address falls under: the IPv4 address, the /64 of an IPv6 one, or one shared key when unknown. */
function keyOf(given: string | undefined): string {
  const address = withoutPort(given)
  if (!address) return 'unknown'
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return mapped[1]!
  if (isIP(address) !== 6) return address
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::')
  const headGroups = head ? head.split(':') : []
  const tailGroups = address.includes('::') && tail ? tail.split(':') : []
  const groups = address.includes('::') ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`
}

/**
 * The address alone, as proxies may write it with a port or in brackets
 * (Azure App Service's `X-Forwarded-For: 203.0.113.1:52413`, `Forwarded:
 * for="[2001:db8::1]:4711"`): counted with its port, a client would be a new
 * one at every connection (a new source port), and could guess without limit.
 */
function withoutPort(address: string | undefined): string | undefined {
  const text = address?.trim().replace(/^"(.*)"$/, '$1')
  if (!text) return undefined
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text)
  if (bracketed) return bracketed[1]
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(text)
  return v4WithPort ? v4WithPort[1] : text
}
