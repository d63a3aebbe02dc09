import type { StateClock } from '../queries/job-state.js'

/** What every page needs besides its data. */
export interface PageContext {
  /** The mount path without a trailing slash (`''` standalone, `/admin/jobs` mounted). */
  basePath: string
  csrfToken: string
  readOnly: boolean
  clock: StateClock
  redact: ReadonlySet<string>
  /** A one-line result of the last action (from the redirect after a POST). */
  notice?: string
  /** The nonce of this response's inline style and script (Content-Security-Policy). */
  nonce: string
  /** The config has recurring entries: the nav links the Schedules page. */
  hasSchedules?: boolean
}

/** A link inside the dashboard: every `href` and form `action` goes through here, so `basePath` is never forgotten. */
export function link(context: Pick<PageContext, 'basePath'>, path: string, query: Record<string, string | number | undefined> = {}): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(key, String(value))
  const text = search.toString()
  return `${context.basePath}${path}${text ? `?${text}` : ''}`
}
