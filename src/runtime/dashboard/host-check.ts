import { isIP } from 'node:net'
import { DASHBOARD_TOKEN_ENV } from './authorize.js'
import { textResponse, type DashboardResponse } from './respond.js'

/**
 * DNS rebinding: an attacker's page on `evil.example` re-points that name at
 * 127.0.0.1, and the browser then treats the dashboard as same-origin with
 * the attacker's page, which could read every job and post the forms with
 * their CSRF token. Only a dashboard without access control is exposed (the
 * browser sends no session cookie or password to the attacker's name), so an
 * open dashboard answers only requests addressed to this machine directly
 * (`localhost`, a `*.localhost` name, which browsers resolve to loopback
 * themselves, or an IP address, which cannot be rebound) or to a name the
 * app lists in `allowedHosts`. When `allowedHosts` is given, the same rule
 * holds on every request, with access control or not.
 */

/** `allowedHosts` as the check takes it: host names in lower case, without port. */
export function toAllowedHosts(hosts: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (hosts === undefined) return undefined
  return new Set(hosts.map((host) => host.trim().toLowerCase().replace(/\.$/, '')))
}

/** The host name of a `Host` header or of an `Origin` URL (`evil.example`, `::1`), or undefined when malformed. */
function hostnameOf(hostOrOrigin: string, isOrigin: boolean): string | undefined {
  try {
    const url = new URL(isOrigin ? hostOrOrigin : `http://${hostOrOrigin}`)
    return url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')
  } catch {
    return undefined
  }
}

/** Whether a host name names this machine directly: localhost, `*.localhost`, or an IP address. */
export function isDirectHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || isIP(hostname) !== 0
}

/** Whether a `Host` header names this machine directly (see above). */
export function isDirectHost(hostHeader: string | undefined | null): boolean {
  const hostname = hostHeader ? hostnameOf(hostHeader, false) : undefined
  return hostname !== undefined && isDirectHostname(hostname)
}

/**
 * The 403 for a request addressed to a name the dashboard does not answer
 * (its `Host`, or the `Origin` of the page that sent it), or undefined when
 * the request may go on. `open`: the dashboard has no access control.
 */
export function refuseUnknownHost(
  input: { host: string | null; origin: string | null; open: boolean; allowedHosts: ReadonlySet<string> | undefined },
): DashboardResponse | undefined {
  if (!input.open && input.allowedHosts === undefined) return undefined
  const allowed = (hostname: string) => isDirectHostname(hostname) || input.allowedHosts?.has(hostname) === true
  const host = input.host ? hostnameOf(input.host, false) : undefined
  if (host === undefined || !allowed(host)) return refusal('Host', input.host ?? '', host, input)
  // `Origin: null` (a sandboxed frame, a file: page) names no host; the POST check refuses it, and a GET from it reads nothing cross-origin.
  if (input.origin && input.origin !== 'null') {
    const origin = hostnameOf(input.origin, true)
    if (origin === undefined || !allowed(origin)) return refusal('Origin', input.origin, origin, input)
  }
  return undefined
}

function refusal(header: string, value: string, hostname: string | undefined, input: { open: boolean; allowedHosts: ReadonlySet<string> | undefined }): DashboardResponse {
  const name = hostname ?? value
  const why = input.open
    ? `This dashboard has no access control, so it answers only requests addressed to localhost, an IP address, or a name in allowedHosts` +
      ` (a page of another site could reach it through any other name by DNS rebinding).`
    : `This dashboard answers only localhost, IP addresses and the names in its allowedHosts (${[...(input.allowedHosts ?? [])].join(', ') || 'none'}).`
  const fix = input.open
    ? ` To open it as "${name}", pass createDashboard({ allowedHosts: ['${name}'] }), or give it access control (authorize, or ${DASHBOARD_TOKEN_ENV}); ` +
      `standalone (npm run jobs -- dashboard), set ${DASHBOARD_TOKEN_ENV}, or open it by address (http://127.0.0.1:<port>/).`
    : ` To open it as "${name}", add that name to allowedHosts.`
  return textResponse(403, `Refused: the request's ${header} is "${value}". ${why}${fix}`)
}
