import { DEFAULT_STALE_LOCK_SECONDS } from '../defaults.js'
import type { DashboardAccess } from './authorize.js'
import { refuseUnknownHost } from './host-check.js'
import { csrfCookie, CSRF_FIELD, isCsrfValid, isSameOrigin, newCsrfToken, readCsrfCookie } from './csrf.js'
import { renderJobPage, jobToJson } from './pages/job-page.js'
import { filterParams, renderJobsPage } from './pages/jobs-page.js'
import { renderOverviewPage } from './pages/overview-page.js'
import { link, type PageContext } from './pages/page-context.js'
import { renderWorkersPage } from './pages/workers-page.js'
import { renderSchedulesPage } from './pages/schedules-page.js'
import type { SchedulesSource } from './queries/schedules.js'
import { loadCronDescriber } from '../recurring/describe-cron.js'
import { listSchedules, pauseSchedule, resumeSchedule, runScheduleNow } from '../recurring/manage-schedules.js'
import { UnknownScheduleError } from '../recurring/errors.js'
import { changeFailedJobs, deleteJob, retryJob } from './queries/change-jobs.js'
import type { JobFilter } from './queries/job-filter.js'
import type { JobSource } from './queries/job-source.js'
import { isJobState, type StateClock } from './queries/job-state.js'
import { getJob, JOB_ORDERS, listJobs, type JobOrder, type PageCursor } from './queries/list-jobs.js'
import { readOverview, readWorkersSeen } from './queries/read-overview.js'
import { htmlResponse, jsonResponse, newNonce, redirectResponse, textResponse, type DashboardResponse } from './respond.js'

/** Largest form body a POST may send (the forms send a token and a filter). */
const MAX_BODY_BYTES = 16_384

/**
 * The largest id the jobs model can hold (`id Int`: Prisma's Int is 32-bit).
 * A larger id typed in a URL (a job, a page cursor) names no job; passed to
 * Prisma it would fail the query on PostgreSQL ("out of range") with a 500.
 */
const MAX_JOB_ID = 2_147_483_647

/** One dashboard, resolved from `createDashboard`'s options. */
export interface DashboardSetup {
  source: JobSource
  /** The recurring entries' scheduler; undefined without `recurring` entries (no Schedules page). */
  schedules: SchedulesSource | undefined
  queues: readonly string[]
  basePath: string
  access: DashboardAccess | undefined
  /** Host names answered besides localhost and IP addresses (see host-check.ts); undefined: only those, and only when open. */
  allowedHosts: ReadonlySet<string> | undefined
  readOnly: boolean
  redact: ReadonlySet<string>
  pageSize: number
}

/** A request, whichever server it came through. */
export interface IncomingDashboardRequest {
  method: string
  url: URL
  headers: Headers
  /** The body as text; rejects past `limit` bytes. */
  readBody(limit: number): Promise<string>
  /** The client's IP address when known (the socket's, or `clientAddress`): wrong tokens are limited per address. */
  clientAddress?: string
}

/** What a POST did, shown after the redirect (a fixed sentence per action: nothing from the URL is shown as is). */
const NOTICES = new Map<string, (count: number) => string>(Object.entries({
  retried: (count) => (count === 1 ? 'The job will run now.' : `${count} job(s) will run now.`),
  deleted: (count) => (count === 1 ? 'The job was deleted.' : `${count} job(s) deleted.`),
  'retried-failed': (count) => `${count} failed job(s) will run again.`,
  'deleted-failed': (count) => `${count} failed job(s) deleted.`,
  unchanged: () => 'Nothing changed: the job is running, or gone.',
  paused: () => 'The schedule is paused: no run is enqueued until it is resumed.',
  resumed: () => 'The schedule is resumed from its next slot (slots that passed while it was paused are not run).',
  'not-paused': () => 'Nothing changed: the schedule is not paused.',
  'ran-schedule': (count) => `One run of the schedule was enqueued now (job ${count}).`,
}))

export async function handleDashboardRequest(setup: DashboardSetup, request: IncomingDashboardRequest): Promise<DashboardResponse> {
  const path = pathInside(setup.basePath, request.url.pathname)
  if (path === undefined) return textResponse(404, `Not found: the dashboard is mounted at ${setup.basePath || '/'}.`)

  // The Host header, and the URL's host when it differs (a Fetch Request's URL may come from elsewhere than Host).
  const open = setup.access === undefined
  for (const host of new Set([request.headers.get('host') ?? request.url.host, request.url.host])) {
    const wrongHost = refuseUnknownHost({ host, origin: request.headers.get('origin'), open, allowedHosts: setup.allowedHosts })
    if (wrongHost) return wrongHost
  }

  if (setup.access) {
    const refused = await checkAccess(setup.access, request)
    if (refused) return refused
  }

  const cookieToken = readCsrfCookie(request.headers.get('cookie'))
  const csrfToken = cookieToken ?? newCsrfToken()
  const setCookie: Record<string, string> = cookieToken ? {} : { 'set-cookie': csrfCookie(csrfToken, setup.basePath || '/', request.url.protocol === 'https:') }
  const now = new Date()
  const clock: StateClock = { now, staleBefore: new Date(now.getTime() - DEFAULT_STALE_LOCK_SECONDS * 1000) }
  const context: PageContext = {
    basePath: setup.basePath,
    csrfToken,
    readOnly: setup.readOnly,
    clock,
    redact: setup.redact,
    nonce: newNonce(),
    notice: noticeOf(request.url.searchParams),
    hasSchedules: setup.schedules !== undefined,
  }

  if (request.method === 'POST') {
    if (setup.readOnly) return textResponse(403, 'This dashboard is read-only (readOnly: true): it changes no jobs.')
    let form: URLSearchParams
    try {
      form = new URLSearchParams(await request.readBody(MAX_BODY_BYTES))
    } catch {
      return textResponse(413, 'The form is too large.')
    }
    const origin = request.headers.get('origin')
    if (!isSameOrigin(origin, request.url.host)) {
      return textResponse(
        403,
        `Refused: this form was sent from ${origin}, not from ${request.url.protocol}//${request.url.host} where the dashboard is. ` +
          'Behind a proxy, pass the browser\'s Host header on (nginx: proxy_set_header Host $host).',
      )
    }
    const valid = isCsrfValid({ cookieToken, formToken: form.get(CSRF_FIELD) ?? undefined, origin: request.headers.get('origin'), host: request.url.host })
    if (!valid) return textResponse(403, 'Refused: the form\'s CSRF token is missing or does not match. Reload the dashboard and try again.')
    return handlePost(setup, context, path, form)
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Use GET to read and POST (from the dashboard\'s forms) to change jobs.', { allow: 'GET, HEAD, POST' })

  const page = await handleGet(setup, context, path, request.url.searchParams)
  if (page.status === 200) Object.assign(page.headers, setCookie)
  return page
}

/** The 401/403/429 of a request the access rule refuses, or undefined when it may go on. */
async function checkAccess(access: DashboardAccess, request: IncomingDashboardRequest): Promise<DashboardResponse | undefined> {
  const limit = access.loginLimit
  const wait = limit?.retryAfterSeconds(request.clientAddress) ?? 0
  if (wait > 0) {
    return textResponse(429, `Too many wrong dashboard tokens from your address: try again in ${wait} s, with the token in JOBS_DASHBOARD_TOKEN.`, { 'retry-after': String(wait) })
  }
  // The token's check is synchronous, and is not awaited: reading the limit, checking and counting happen in one
  // tick. Guesses sent at once (side by side, or pipelined on one connection, which node:http parses in one go)
  // would otherwise all read the count before any of them raised it, and all be let through to the check.
  const verdict = access.check({ method: request.method, url: request.url, headers: request.headers })
  // A right token does not clear the count: the admin's open page sends it every 5 s (refresh), and behind one
  // NAT or proxy (or a Fetch handler without clientAddress) the admin and an attacker share a count, which the
  // refresh would reset before it ever reached the limit.
  if (typeof verdict === 'boolean' ? verdict : await verdict) return undefined
  const sentToken = Boolean(request.headers.get('authorization'))
  // A browser's first request carries no token at all: that is the login prompt, not a wrong guess.
  if (sentToken) limit?.recordFailure(request.clientAddress)
  if (!access.askForPassword) return textResponse(403, 'Not allowed: the dashboard\'s authorize() refused this request.')
  return textResponse(401, 'Log in with the dashboard token (JOBS_DASHBOARD_TOKEN) as the password.', { 'www-authenticate': 'Basic realm="jobs dashboard", charset="UTF-8"' })
}

async function handleGet(setup: DashboardSetup, context: PageContext, path: string, query: URLSearchParams): Promise<DashboardResponse> {
  const { delegate, provider } = setup.source
  if (path === '/') {
    const overview = await readOverview(setup.source, context.clock, setup.queues)
    return htmlResponse(200, renderOverviewPage(context, overview).markup, context.nonce)
  }
  if (path === '/jobs') {
    const filter = readFilter(query)
    const order: JobOrder = (JOB_ORDERS as readonly string[]).includes(query.get('order') ?? '') ? (query.get('order') as JobOrder) : 'newest'
    const page = await listJobs(delegate, { filter, order, after: readCursor(query), pageSize: setup.pageSize, clock: context.clock, provider })
    return htmlResponse(200, renderJobsPage(context, { filter, order, page, queues: setup.queues }).markup, context.nonce)
  }
  if (path === '/workers') {
    const workers = await readWorkersSeen(setup.source, context.clock)
    const running = await listJobs(delegate, { filter: { state: 'running' }, order: 'oldest', pageSize: 500, clock: context.clock, provider })
    return htmlResponse(200, renderWorkersPage(context, workers, running.jobs).markup, context.nonce)
  }
  if (path === '/schedules' && setup.schedules) {
    const scheduler = await setup.schedules()
    const schedules = scheduler ? await listSchedules(scheduler, context.clock.now) : []
    return htmlResponse(200, renderSchedulesPage(context, schedules, await loadCronDescriber()).markup, context.nonce)
  }
  const match = /^\/jobs\/(\d{1,15})(\.json)?$/.exec(path)
  if (match) {
    const job = Number(match[1]) <= MAX_JOB_ID ? await getJob(delegate, Number(match[1])) : null
    if (!job) return textResponse(404, `Job ${match[1]} does not exist (it may have run and been deleted).`)
    if (match[2]) return jsonResponse(jobToJson(context, job))
    return htmlResponse(200, renderJobPage(context, job).markup, context.nonce)
  }
  return textResponse(404, `Not found: ${path}. The dashboard has /, /jobs, /jobs/<id>, /workers${setup.schedules ? ' and /schedules' : ''}.`)
}

async function handlePost(setup: DashboardSetup, context: PageContext, path: string, form: URLSearchParams): Promise<DashboardResponse> {
  const { delegate, provider } = setup.source
  const one = /^\/jobs\/(\d{1,15})\/(retry|delete)$/.exec(path)
  if (one) {
    const id = Number(one[1])
    const count = id > MAX_JOB_ID ? 0 : one[2] === 'retry' ? await retryJob(delegate, id, context.clock) : await deleteJob(delegate, id, context.clock)
    const done = count === 0 ? 'unchanged' : one[2] === 'retry' ? 'retried' : 'deleted'
    return redirectResponse(link(context, one[2] === 'delete' && count > 0 ? '/jobs' : `/jobs/${id}`, { done, count }))
  }
  if (path === '/jobs/retry-failed' || path === '/jobs/delete-failed') {
    const filter = readFilter(form)
    if (filter.state && filter.state !== 'failed') return textResponse(400, 'Bulk actions change failed jobs only: use them with state "failed" or no state.')
    const action = path === '/jobs/retry-failed' ? 'retry' : 'delete'
    const count = await changeFailedJobs(delegate, { action, filter, clock: context.clock, provider })
    return redirectResponse(link(context, '/jobs', { ...filterParams(filter), done: `${action === 'retry' ? 'retried' : 'deleted'}-failed`, count }))
  }
  const schedule = /^\/schedules\/(pause|resume|run)$/.exec(path)
  if (schedule && setup.schedules) return changeSchedule(setup.schedules, context, schedule[1] as 'pause' | 'resume' | 'run', form.get('schedule') ?? '')
  return textResponse(404, `No action at ${path}.`)
}

/** Pause, resume or run now, as the runner's `schedules` command does; an unknown name is a 404 naming the schedules there are. */
async function changeSchedule(schedules: SchedulesSource, context: PageContext, action: 'pause' | 'resume' | 'run', name: string): Promise<DashboardResponse> {
  const scheduler = await schedules()
  if (!scheduler) return textResponse(404, new UnknownScheduleError(name, []).message)
  try {
    if (action === 'pause') {
      await pauseSchedule(scheduler, name, context.clock.now)
      return redirectResponse(link(context, '/schedules', { done: 'paused' }))
    }
    if (action === 'resume') {
      const resumed = await resumeSchedule(scheduler, name, context.clock.now)
      return redirectResponse(link(context, '/schedules', { done: resumed ? 'resumed' : 'not-paused' }))
    }
    const id = await runScheduleNow(scheduler, name, context.clock.now)
    return redirectResponse(link(context, '/schedules', { done: 'ran-schedule', count: id }))
  } catch (error) {
    if (error instanceof UnknownScheduleError) return textResponse(404, error.message)
    throw error
  }
}

function readFilter(params: URLSearchParams): JobFilter {
  const state = params.get('state')
  // NUL characters dropped: PostgreSQL fails a query holding one in any text (a 500), and stored handlers never hold one (JSON escapes it).
  const text = (key: string) => params.get(key)?.replace(/\0/g, '').trim() || undefined
  return { queue: text('queue'), state: isJobState(state) ? state : undefined, name: text('name'), text: text('text') }
}

function readCursor(params: URLSearchParams): PageCursor | undefined {
  const id = Number(params.get('after'))
  if (!Number.isSafeInteger(id) || id <= 0 || id > MAX_JOB_ID) return undefined
  const runAt = params.get('afterRunAt') ? new Date(params.get('afterRunAt')!) : undefined
  // Years 1 to 9999, which every database stores; PostgreSQL fails the query on year 0 or earlier (a 500).
  const year = runAt?.getUTCFullYear() ?? Number.NaN
  return { id, runAt: runAt && year >= 1 && year <= 9999 ? runAt : undefined }
}

function noticeOf(params: URLSearchParams): string | undefined {
  return NOTICES.get(params.get('done') ?? '')?.(Math.max(0, Math.floor(Number(params.get('count')) || 0)))
}

/** The path under `basePath` (`/` for the mount point itself), or undefined outside it. */
function pathInside(basePath: string, pathname: string): string | undefined {
  if (!basePath) return pathname || '/'
  if (pathname === basePath) return '/'
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined
}

