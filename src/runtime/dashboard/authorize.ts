import { timingSafeEqual } from 'node:crypto'
import { DASHBOARD_TOKEN_MIN_DISTINCT_CHARACTERS, DASHBOARD_TOKEN_MIN_LENGTH } from '../defaults.js'
import { InvalidConfigError } from '../errors.js'
import { LoginLimit } from './login-limit.js'

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
  /** The token's check is synchronous (handle-request.ts relies on it: the limit is read, checked and counted in one tick). */
  check: Authorize
  /** With the token: answer 401 with a Basic challenge, so the browser asks for it. */
  askForPassword: boolean
  /** With the token: wrong tokens per client address are limited (429 past the limit). */
  loginLimit?: LoginLimit
}

/** How to make a token that passes, for the error messages. */
const HOW_TO_MAKE_A_TOKEN = `generate one with \`openssl rand -base64 32\` or \`node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"\``

/**
 * The access rule of one dashboard: the app's `authorize`, else a token from
 * `JOBS_DASHBOARD_TOKEN` (sent as `Authorization: Bearer <token>`, or as the
 * password of HTTP Basic auth so a browser can log in), else, outside
 * production only, open. In production a dashboard with neither refuses to
 * start: a jobs UI that can delete jobs must never be open by mistake; nor
 * does it start with a token that could be guessed (shorter than
 * `DASHBOARD_TOKEN_MIN_LENGTH`, or a few characters repeated).
 */
export function resolveAccess(authorize: Authorize | undefined, env: NodeJS.ProcessEnv): DashboardAccess | undefined {
  if (authorize !== undefined && typeof authorize !== 'function') {
    throw new InvalidConfigError('createDashboard `authorize` must be a function (request) => boolean | Promise<boolean>.')
  }
  if (authorize) return { check: authorize, askForPassword: false }
  const token = env[DASHBOARD_TOKEN_ENV]
  if (token) {
    if (env.NODE_ENV === 'production') checkTokenStrength(token)
    return { check: (request) => hasToken(request.headers.get('authorization'), token), askForPassword: true, loginLimit: new LoginLimit() }
  }
  if (env.NODE_ENV === 'production') {
    throw new InvalidConfigError(
      'The jobs dashboard refuses to run with NODE_ENV=production without access control. ' +
        'Pass `authorize: (request) => …` to createDashboard (check your own session there), ' +
        `or set ${DASHBOARD_TOKEN_ENV} to a long random secret (${HOW_TO_MAKE_A_TOKEN}) and log in with it (HTTP Basic, any user name, the token as password).`,
    )
  }
  return undefined
}

/** Refuses, in production, a token short or repetitive enough to be guessed. Its value is never part of the message. */
function checkTokenStrength(token: string): void {
  const distinct = new Set(token).size
  if (token.length >= DASHBOARD_TOKEN_MIN_LENGTH && distinct >= DASHBOARD_TOKEN_MIN_DISTINCT_CHARACTERS) return
  const problem =
    token.length < DASHBOARD_TOKEN_MIN_LENGTH
      ? `is ${token.length} characters long; it needs at least ${DASHBOARD_TOKEN_MIN_LENGTH}`
      : `uses only ${distinct} different characters; it needs at least ${DASHBOARD_TOKEN_MIN_DISTINCT_CHARACTERS}`
  throw new InvalidConfigError(
    `${DASHBOARD_TOKEN_ENV} ${problem} with NODE_ENV=production, so it cannot be guessed: ${HOW_TO_MAKE_A_TOKEN}, and set ${DASHBOARD_TOKEN_ENV} to it.`,
  )
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
