import { html, type SafeHtml } from '../html.js'
import { stateOf } from '../queries/job-state.js'
import type { StoredJob } from '../../types.js'
import { readHandler, redactError } from '../redact.js'
import { formatTime } from './format.js'
import { actionForm, renderLayout } from './layout.js'
import { link, type PageContext } from './page-context.js'

/** `/jobs/:id`: the arguments as formatted JSON, attempts, timing, lock, the last error with its stack, and the actions. */
export function renderJobPage(context: PageContext, job: StoredJob): SafeHtml {
  const now = context.clock.now
  const state = stateOf(job, context.clock)
  const handler = readHandler(job.handler, context.redact)
  const args = handler.parsed ? JSON.stringify(handler.args, null, 2) : String(handler.args)
  const canRetry = state === 'failed' || state === 'scheduled' || state === 'waiting'
  const body = html`<h1>#${job.id} ${handler.name} <span class="state state-${state}">${state}</span></h1>
<div class="actions">${canRetry ? actionForm(context, `/jobs/${job.id}/retry`, 'Retry now') : ''}
${state !== 'running' ? actionForm(context, `/jobs/${job.id}/delete`, 'Delete', {}, true) : ''}
<a href="${link(context, `/jobs/${job.id}.json`)}">JSON</a></div>
<dl><dt>queue</dt><dd>${job.queue}</dd><dt>priority</dt><dd>${job.priority}</dd><dt>attempts</dt><dd>${job.attempts}</dd>
<dt>run at</dt><dd>${formatTime(job.runAt, now)}</dd>
<dt>locked by</dt><dd>${job.lockedBy ?? html`<span class="muted">—</span>`}</dd><dt>locked since</dt><dd>${formatTime(job.lockedAt, now)}</dd>
<dt>failed at</dt><dd>${formatTime(job.failedAt, now)}</dd><dt>created</dt><dd>${formatTime(job.createdAt, now)}</dd><dt>updated</dt><dd>${formatTime(job.updatedAt, now)}</dd></dl>
<h2>Arguments</h2><pre id="arguments">${args}</pre>
<h2>Last error</h2>${job.lastError ? html`<pre id="last-error">${redactError(job.lastError, handler)}</pre>` : html`<p class="muted">None.</p>`}`
  return renderLayout(context, { title: `#${job.id} ${handler.name}`, section: 'jobs', body })
}

/** `/jobs/:id.json`: the job as JSON, arguments redacted like on the page. */
export function jobToJson(context: PageContext, job: StoredJob): string {
  const handler = readHandler(job.handler, context.redact)
  const { handler: _stored, ...fields } = job
  return JSON.stringify({ ...fields, lastError: redactError(job.lastError, handler), state: stateOf(job, context.clock), name: handler.name, args: handler.args }, null, 2)
}
