import { html, type SafeHtml } from '../html.js'
import { JOB_STATES } from '../queries/job-state.js'
import type { Overview } from '../queries/read-overview.js'
import { formatRelative, formatTime } from './format.js'
import { renderLayout } from './layout.js'
import { link, type PageContext } from './page-context.js'
import { renderWorkersTable } from './workers-page.js'

/** `/`: per queue and state, the counts (each a link to those jobs), the oldest waiting job, the last hour, and the workers seen. */
export function renderOverviewPage(context: PageContext, overview: Overview): SafeHtml {
  const now = context.clock.now
  const rows = overview.queues.map(
    (queue) => html`<tr><th scope="row"><a href="${link(context, '/jobs', { queue: queue.queue })}">${queue.queue}</a></th>
${JOB_STATES.map((state) => html`<td class="num" data-state="${state}"><a href="${link(context, '/jobs', { queue: queue.queue, state })}">${queue.counts[state]}</a></td>`)}
<td>${queue.oldestWaitingRunAt ? html`<span title="${queue.oldestWaitingRunAt.toISOString()}">${formatRelative(queue.oldestWaitingRunAt, now).replace(' ago', '')}</span>` : html`<span class="muted">—</span>`}</td>
<td class="num">${queue.succeededLastHour}</td><td class="num">${queue.failedLastHour}</td></tr>`,
  )
  const body = html`<h1>Overview</h1>
<table id="queues"><thead><tr><th>queue</th>${JOB_STATES.map((state) => html`<th class="num">${state}</th>`)}
<th>oldest waiting</th><th class="num">done, last hour</th><th class="num">failed, last hour</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="9" class="muted">No jobs.</td></tr>`}</tbody></table>
<h2>Workers seen</h2>${renderWorkersTable(context, overview.workers)}
<p class="muted">Updated ${formatTime(now, now)}; refreshes itself while open.</p>`
  return renderLayout(context, { title: 'Overview', section: 'overview', body })
}
