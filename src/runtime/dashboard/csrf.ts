import { randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * CSRF protection by double submit: the browser gets a random token in a
 * cookie (`SameSite=Strict`, `HttpOnly`) and the same token in every form;
 * a POST is accepted only when both are present and equal. Another site can
 * make the browser send the cookie (not with SameSite=Strict, but older
 * browsers), yet cannot read it to put it in the form. A cross-origin
 * `Origin` header is refused as well.
 */
export const CSRF_COOKIE = 'jobs_dashboard_csrf'
export const CSRF_FIELD = '_csrf'

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url')
}

/** The token from the request's cookie header, if any. */
export function readCsrfCookie(cookieHeader: string | null): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === CSRF_COOKIE) return rest.join('=') || undefined
  }
  return undefined
}

/** `Secure` when the request came over HTTPS (behind a proxy that ends TLS the URL says http, and the cookie is sent anyway). */
export function csrfCookie(token: string, path: string, secure: boolean): string {
  return `${CSRF_COOKIE}=${token}; Path=${path}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`
}

/** Whether a POST's `Origin` (when the browser sent one) is this host: false for another site, and for `null`. */
export function isSameOrigin(origin: string | null, host: string): boolean {
  if (!origin) return true
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

/** Whether a POST carries the cookie's token in its form, and comes from this origin. */
export function isCsrfValid(input: { cookieToken: string | undefined; formToken: string | undefined; origin: string | null; host: string | null }): boolean {
  if (input.host && !isSameOrigin(input.origin, input.host)) return false
  if (!input.cookieToken || !input.formToken) return false
  const a = Buffer.from(input.cookieToken)
  const b = Buffer.from(input.formToken)
  return a.length === b.length && timingSafeEqual(a, b)
}
