import { html, type SafeHtml } from '../html.js'
import type { JobFilter } from '../queries/job-filter.js'
import { JOB_STATES, stateOf } from '../queries/job-state.js'
import { JOB_ORDERS, type JobOrder, type JobPage } from '../queries/list-jobs.js'
import { readHandler, redactError } from '../redact.js'
import { firstLine, formatTime, previewJson } from './format.js'
import { actionForm, renderLayout } from './layout.js'
import { link, type PageContext } from './page-context.js'

/** The filter as query parameters (links) and as hidden form fields (bulk actions). */
export function filterParams(filter: JobFilter): Record<string, string | undefined> {
  return { queue: filter.queue, state: filter.state, name: filter.name, text: filter.text }
}

/** `/jobs`: the filter form, one keyset page of jobs, the link to the next page, and the bulk actions for failed jobs. */
export function renderJobsPage(context: PageContext, input: { filter: JobFilter; order: JobOrder; page: JobPage; queues: readonly string[] }): SafeHtml {
  const { filter, order, page } = input
  const now = context.clock.now
  const option = (value: string, selected: string | undefined, label = value) =>
    html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`
  const form = html`<form class="filters" method="get" action="${link(context, '/jobs')}">
<label>queue<select name="queue">${option('', filter.queue, 'any')}${input.queues.map((queue) => option(queue, filter.queue))}</select></label>
<label>state<select name="state">${option('', filter.state, 'any')}${JOB_STATES.map((state) => option(state, filter.state))}</select></label>
<label>job name<input name="name" value="${filter.name ?? ''}" placeholder="SendWelcomeEmailJob"></label>
<label>text in arguments or error<input name="text" value="${filter.text ?? ''}" size="28"></label>
<label>order<select name="order">${JOB_ORDERS.map((each) => option(each, order))}</select></label>
<button type="submit">Filter</button></form>`
  const rows = page.jobs.map((job) => {
    const state = stateOf(job, context.clock)
    const handler = readHandler(job.handler, context.redact)
    return html`<tr data-job-id="${job.id}"><td><a href="${link(context, `/jobs/${job.id}`)}">#${job.id}</a></td>
<td>${handler.name}</td><td>${job.queue}</td><td><span class="state state-${state}">${state}</span></td>
<td class="num">${job.attempts}</td><td>${formatTime(job.runAt, now)}</td>
<td><code>${previewJson(handler.args)}</code>${job.lastError ? html`<div class="muted">${firstLine(redactError(job.lastError, handler))}</div>` : ''}</td></tr>`
  })
  const bulk =
    !context.readOnly && (filter.state === undefined || filter.state === 'failed')
      ? html`<div class="actions">${actionForm(context, '/jobs/retry-failed', 'Retry all failed (this filter)', filterParams(filter))}
${actionForm(context, '/jobs/delete-failed', 'Delete all failed (this filter)', filterParams(filter), true)}</div>`
      : ''
  const next = page.next
    ? html`<a id="next-page" href="${link(context, '/jobs', { ...filterParams(filter), order, after: page.next.id, afterRunAt: page.next.runAt?.toISOString() })}">Next page →</a>`
    : html`<span class="muted">Last page.</span>`
  const body = html`<h1>Jobs</h1>${form}${bulk}
<table id="jobs"><thead><tr><th>id</th><th>job</th><th>queue</th><th>state</th><th class="num">attempts</th><th>run at</th><th>arguments / last error</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="7" class="muted">No jobs match.</td></tr>`}</tbody></table>
<p><a href="${link(context, '/jobs', { ...filterParams(filter), order })}">First page</a> · ${next}</p>`
  return renderLayout(context, { title: 'Jobs', section: 'jobs', body })
}
