import { html, type SafeHtml } from '../html.js'
import type { WorkersSeen } from '../queries/read-overview.js'
import type { StoredJob } from '../../types.js'
import { readHandler } from '../redact.js'
import { formatTime } from './format.js'
import { renderLayout } from './layout.js'
import { link, type PageContext } from './page-context.js'

/**
 * Workers of every host, from the worker registry (each writes its row at
 * start and every heartbeat): alive, and dead ones (killed, their heartbeat
 * stopped) until the registry forgets them after an hour. A worker seen only
 * by its locks (an older runtime) is listed too. Without the registry, a note
 * says idle workers are missing and what to run.
 */
export function renderWorkersTable(context: PageContext, seen: WorkersSeen): SafeHtml {
  const note = seen.note ? html`<p class="muted" id="workers-note">${seen.note}</p>` : ''
  // Without the registry (the note says so) an idle worker is not seen: none holding a job does not mean none running.
  if (seen.workers.length === 0) {
    return html`${note}<p class="muted" id="workers">${seen.note ? 'No worker holds a job.' : 'No worker is running (none registered, none holds a job).'}</p>`
  }
  return html`${note}<table id="workers"><thead><tr><th>host</th><th>worker</th><th>state</th><th>queues</th><th>current jobs</th><th>last heartbeat</th><th class="num">done / failed</th></tr></thead><tbody>
${seen.workers.map((worker) => html`<tr data-worker="${worker.lockedBy}" data-alive="${worker.alive ? 'yes' : 'no'}"><td>${worker.host}</td><td>${worker.name}${worker.registered ? html` <span class="muted">pid ${worker.registered.pid}</span>` : ''}</td>
<td>${worker.alive ? 'alive' : html`<strong>dead</strong>`}</td><td>${worker.registered?.queues ?? html`<span class="muted">—</span>`}</td>
<td>${worker.jobIds.length ? worker.jobIds.map((id, index) => html`${index ? ', ' : ''}<a href="${link(context, `/jobs/${id}`)}">#${id}</a>`) : html`<span class="muted">idle</span>`}</td>
<td>${formatTime(worker.lastHeartbeat, context.clock.now)}</td>
<td class="num" title="since it started">${worker.registered ? `${worker.registered.done} / ${worker.registered.failed}` : html`<span class="muted">—</span>`}</td></tr>`)}</tbody></table>`
}

/** `/workers`: every worker, then for each one holding jobs, those jobs (queue, job, since). */
export function renderWorkersPage(context: PageContext, seen: WorkersSeen, running: StoredJob[]): SafeHtml {
  const jobsOf = (lockedBy: string) => running.filter((job) => job.lockedBy === lockedBy)
  const body = html`<h1>Workers</h1>${renderWorkersTable(context, seen)}
${seen.workers.filter((worker) => worker.jobIds.length > 0).map((worker) => {
  const jobs = jobsOf(worker.lockedBy)
  // Ids a heartbeat named that no lock here shows: jobs of another adapter, or finished since.
  const others = worker.jobIds.filter((id) => !jobs.some((job) => job.id === id))
  return html`<h2>${worker.lockedBy}</h2><table><thead><tr><th>job</th><th>queue</th><th>locked since</th></tr></thead><tbody>
${jobs.map((job) => html`<tr><td><a href="${link(context, `/jobs/${job.id}`)}">#${job.id} ${readHandler(job.handler, context.redact).name}</a></td><td>${job.queue}</td><td>${formatTime(job.lockedAt, context.clock.now)}</td></tr>`)}
${others.map((id) => html`<tr><td><a href="${link(context, `/jobs/${id}`)}">#${id}</a></td><td class="muted" colspan="2">named by its last heartbeat</td></tr>`)}
</tbody></table>`
})}`
  return renderLayout(context, { title: 'Workers', section: 'workers', body })
}
