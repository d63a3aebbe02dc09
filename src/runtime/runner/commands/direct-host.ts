import { isIP } from 'node:net'

/**
 * Whether a request's `Host` names this machine directly: `localhost` (or a
 * `*.localhost` name, which browsers resolve to loopback themselves) or an
 * IP address. An open dashboard answers only these: any other name may be an
 * attacker's domain re-pointed at 127.0.0.1 (DNS rebinding), which makes the
 * attacker's page same-origin with the dashboard, so it could read every job
 * and post the forms with their CSRF token. An IP address cannot be rebound.
 */
export function isDirectHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false
  let hostname: string
  try {
    hostname = new URL(`http://${hostHeader}`).hostname.toLowerCase()
  } catch {
    return false
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true
  return isIP(hostname.replace(/^\[|\]$/g, '')) !== 0
}
