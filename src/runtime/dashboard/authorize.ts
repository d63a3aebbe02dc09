import { timingSafeEqual } from 'node:crypto'
import { InvalidConfigError } from '../errors.js'

/** The environment variable that holds the dashboard's token when `authorize` is not given. */
export const DASHBOARD_TOKEN_ENV = 'JOBS_DASHBOARD_TOKEN'

/** What `authorize` sees of a request. */
export interface DashboardRequestInfo {
  method: string
  url: URL
  headers: Headers
}

/** Return true to let the request in (check your session cookie, your auth header, …). */
export type Authorize = (request: DashboardRequestInfo) => boolean | Promise<boolean>

export interface DashboardAccess {
  check: Authorize
  /** With the token: answer 401 with a Basic challenge, so the browser asks for it. */
  askForPassword: boolean
}

/**
 * The access rule of one dashboard: the app's `authorize`, else a token from
 * `JOBS_DASHBOARD_TOKEN` (sent as `Authorization: Bearer <token>`, or as the
 * password of HTTP Basic auth so a browser can log in), else, outside
 * production only, open. In production a dashboard with neither refuses to
 * start: a jobs UI that can delete jobs must never be open by mistake.
 */
export function resolveAccess(authorize: Authorize | undefined, env: NodeJS.ProcessEnv): DashboardAccess | undefined {
  if (authorize !== undefined && typeof authorize !== 'function') {
    throw new InvalidConfigError('createDashboard `authorize` must be a function (request) => boolean | Promise<boolean>.')
  }
  if (authorize) return { check: authorize, askForPassword: false }
  const token = env[DASHBOARD_TOKEN_ENV]
  if (token) return { check: (request) => hasToken(request.headers.get('authorization'), token), askForPassword: true }
  if (env.NODE_ENV === 'production') {
    throw new InvalidConfigError(
      'The jobs dashboard refuses to run with NODE_ENV=production without access control. ' +
        'Pass `authorize: (request) => …` to createDashboard (check your own session there), ' +
        `or set ${DASHBOARD_TOKEN_ENV} to a long random secret and log in with it (HTTP Basic, any user name, the token as password).`,
    )
  }
  return undefined
}

function hasToken(header: string | null, token: string): boolean {
  if (!header) return false
  const [scheme, value = ''] = header.split(' ', 2)
  let given: string | undefined
  if (scheme?.toLowerCase() === 'bearer') given = value
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8')
    given = decoded.slice(decoded.indexOf(':') + 1)
  }
  if (given === undefined) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}
