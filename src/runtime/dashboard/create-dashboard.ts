import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { InvalidConfigError, JobsKitError } from '../errors.js'
import type { Logger } from '../types.js'
import { resolveAccess, type Authorize, type DashboardRequestInfo } from './authorize.js'
import { DEFAULT_DASHBOARD_PAGE_SIZE } from '../defaults.js'
import { toAllowedHosts } from './host-check.js'
import { handleDashboardRequest, type DashboardSetup, type IncomingDashboardRequest } from './handle-request.js'
import { loadEscaper } from './html.js'
import { readNodeBody, readNodeRequest } from './node-request.js'
import { resolveJobSource, type DashboardJobs } from './queries/job-source.js'
import { resolveSchedulesSource } from './queries/schedules.js'
import { toRedactSet } from './redact.js'
import { textResponse, type DashboardResponse } from './respond.js'

export interface DashboardOptions {
  /** The app's `jobs` (the JobManager lib/jobs.ts exports); the dashboard reads its Prisma adapter. */
  jobs: DashboardJobs
  /** Where the app mounts the dashboard, e.g. `/admin/jobs`; every link and form starts with it. Default `''` (the root). */
  basePath?: string
  /**
   * Who may see and use the dashboard. Required with NODE_ENV=production
   * unless JOBS_DASHBOARD_TOKEN is set (see authorize.ts).
   */
  authorize?: Authorize
  /**
   * Host names the dashboard answers besides `localhost` and IP addresses,
   * e.g. `['jobs.myapp.test']`. Without access control (no `authorize`, no
   * JOBS_DASHBOARD_TOKEN: development) any other name is refused with 403,
   * against DNS rebinding; when given, the same rule holds with access
   * control too. Pass it when `authorize` trusts the network (an IP
   * allowlist, a VPN) rather than a cookie or header the browser holds: a
   * rebound page's requests come from the admin's own browser. See host-check.ts.
   */
  allowedHosts?: readonly string[]
  /**
   * The client's IP address, for the limit on wrong tokens (per address).
   * The Node handler reads the socket's; the Fetch handler knows none
   * unless this says (behind your proxy: the last entry of its `x-forwarded-for`,
   * the one the proxy wrote; the first is the client's to forge), and then
   * counts every client together.
   */
  clientAddress?: (request: DashboardRequestInfo) => string | undefined
  /** Refuse every change (403) and show no action buttons. */
  readOnly?: boolean
  /** Argument keys whose values are never shown, at any depth, in pages and JSON: `['password', 'token']`. */
  redact?: readonly string[]
  /** Which adapter of `jobs.adapters` to read, when there are several Prisma adapters. Default: the first. */
  adapter?: string
  /** Jobs per page of the jobs list. Default 50. */
  pageSize?: number
  /** Read instead of `process.env` (tests). */
  env?: NodeJS.ProcessEnv
}

export interface Dashboard {
  /** For node:http, Express and Fastify (`app.use('/admin/jobs', dashboard.node)`, or pass it to http.createServer). */
  node(request: IncomingMessage, response: ServerResponse): Promise<void>
  /** For Next route handlers, Hono, Bun and Deno: `(request: Request) => Promise<Response>`. */
  fetch(request: Request): Promise<Response>
}

/**
 * A jobs dashboard the app mounts: overview, jobs list and detail, workers,
 * schedules (with recurring entries), and the actions (retry, delete, bulk on
 * failed jobs; pause, resume and run now on schedules). Server-rendered HTML,
 * no client build; see docs/dashboard.md in jobs-kit.
 *
 * Throws at once, not on the first request, when access control is missing
 * in production or the jobs config has no Prisma adapter.
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  if (typeof options !== 'object' || options === null) throw new InvalidConfigError('createDashboard needs options: createDashboard({ jobs }).')
  const env = options.env ?? process.env
  if (options.redact !== undefined && (!Array.isArray(options.redact) || !options.redact.every((key) => typeof key === 'string'))) {
    throw new InvalidConfigError(`createDashboard redact must be a list of argument keys, e.g. redact: ['password', 'token'], not ${JSON.stringify(options.redact)}.`)
  }
  if (options.allowedHosts !== undefined && (!Array.isArray(options.allowedHosts) || !options.allowedHosts.every((host) => typeof host === 'string' && host.trim() !== '' && !/[/:]/.test(host.replace(/^\[.*\]$/, ''))))) {
    throw new InvalidConfigError(`createDashboard allowedHosts must be a list of host names without scheme or port, e.g. allowedHosts: ['jobs.myapp.test'], not ${JSON.stringify(options.allowedHosts)}.`)
  }
  if (options.clientAddress !== undefined && typeof options.clientAddress !== 'function') {
    throw new InvalidConfigError('createDashboard clientAddress must be a function (request) => string | undefined, e.g. behind one proxy (request) => request.headers.get(\'x-forwarded-for\')?.split(\',\').at(-1)?.trim() (the last entry: the one your proxy wrote; the first is written by the client).')
  }
  const access = resolveAccess(options.authorize, env)
  const source = resolveJobSource(options.jobs, options.adapter)
  const setup: DashboardSetup = {
    source,
    schedules: resolveSchedulesSource(options.jobs, source.adapterName),
    queues: options.jobs.queues ?? [],
    basePath: normalizeBasePath(options.basePath),
    access,
    allowedHosts: toAllowedHosts(options.allowedHosts),
    readOnly: options.readOnly === true,
    redact: toRedactSet(options.redact),
    pageSize: options.pageSize ?? DEFAULT_DASHBOARD_PAGE_SIZE,
  }
  if (!Number.isSafeInteger(setup.pageSize) || setup.pageSize < 1 || setup.pageSize > 1000) {
    throw new InvalidConfigError(`createDashboard pageSize must be a whole number from 1 to 1000, not ${options.pageSize}.`)
  }
  // Loaded once; a missing escape-html fails every request with the message that says to install it.
  const ready = loadEscaper()
  ready.catch(() => {})

  const logger: Logger = options.jobs.logger ?? console
  const handle = async (request: IncomingDashboardRequest): Promise<DashboardResponse> => {
    try {
      if (options.clientAddress) request.clientAddress = options.clientAddress({ method: request.method, url: request.url, headers: request.headers }) ?? undefined
      await ready
      return await handleDashboardRequest(setup, request)
    } catch (error) {
      // Our own errors say what to do (e.g. install escape-html). Anything else
      // (a database error) may hold server paths and SQL: it goes to the app's
      // log, and the page shows only a reference to find it there.
      if (error instanceof JobsKitError) return textResponse(500, `The jobs dashboard failed: ${error.message}`)
      const reference = randomUUID().slice(0, 8)
      logger.error(`[jobs-kit] dashboard request failed (reference ${reference}):`, error)
      return textResponse(500, `The jobs dashboard failed (reference ${reference}); the details are in the server's log.`)
    }
  }

  return {
    async node(request, response) {
      const incoming = readNodeRequest(request, setup.basePath)
      const result = 'status' in incoming ? incoming : await handle({ method: request.method ?? 'GET', ...incoming, readBody: (limit) => readNodeBody(request, limit), clientAddress: request.socket?.remoteAddress })
      response.writeHead(result.status, result.headers)
      response.end(request.method === 'HEAD' ? undefined : result.body)
    },
    async fetch(request) {
      const result = await handle({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        readBody: (limit) => readFetchBody(request, limit),
      })
      return new Response(request.method === 'HEAD' || result.status === 303 ? null : result.body, { status: result.status, headers: result.headers })
    },
  }
}

/** `/admin/jobs/` → `/admin/jobs`; `/` and `''` → `''`. */
function normalizeBasePath(basePath: string | undefined): string {
  const trimmed = (basePath ?? '').replace(/\/+$/, '')
  if (trimmed && (!trimmed.startsWith('/') || trimmed.startsWith('//'))) throw new InvalidConfigError(`createDashboard basePath "${basePath}" must be a path starting with one "/", e.g. basePath: '/admin/jobs'.`)
  // As a URL's path reads it (`/admin/tâches` → `/admin/t%C3%A2ches`): requests are matched against the encoded path.
  return trimmed && new URL(trimmed, 'http://localhost').pathname
}

/** The body as text, read chunk by chunk: past `limit` bytes it stops and rejects, without buffering the rest. */
async function readFetchBody(request: Request, limit: number): Promise<string> {
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks).toString('utf8')
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw new Error('body too large')
    }
    chunks.push(value)
  }
}
