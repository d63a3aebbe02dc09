import { randomBytes } from 'node:crypto'

/** A response of the dashboard, before it is turned into a Node or a Fetch response. */
export interface DashboardResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** A fresh nonce per page: the only inline style and script that run are the dashboard's own. */
export function newNonce(): string {
  return randomBytes(16).toString('base64')
}

/**
 * Headers of every HTML page. The Content-Security-Policy is a second wall
 * behind the escaping: even markup that slipped through could run no script
 * and load nothing. Pages are never cached (they show live data) and never framed.
 */
export function htmlResponse(status: number, markup: string, nonce: string, extraHeaders: Record<string, string> = {}): DashboardResponse {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      ...extraHeaders,
    },
    body: markup,
  }
}

export function textResponse(status: number, text: string, extraHeaders: Record<string, string> = {}): DashboardResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extraHeaders }, body: text }
}

export function jsonResponse(body: string): DashboardResponse {
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }, body }
}

/** After a POST: back to a page (303, so a reload does not post again). */
export function redirectResponse(location: string): DashboardResponse {
  return { status: 303, headers: { location, 'cache-control': 'no-store' }, body: '' }
}
