import { html, type SafeHtml } from '../html.js'
import type { WorkerSeen } from '../queries/read-overview.js'
import type { StoredJob } from '../../types.js'
import { readHandler } from '../redact.js'
import { formatTime } from './format.js'
import { renderLayout } from './layout.js'
import { link, type PageContext } from './page-context.js'

/**
 * Workers as the jobs table shows them: a worker is alive when it holds a
 * fresh lock (it renews it every heartbeat while a job runs). The runtime
 * keeps no worker registry, so an idle worker is not listed; `status` in the
 * runner lists the local ones from their pid files.
 */
export function renderWorkersTable(context: PageContext, workers: WorkerSeen[]): SafeHtml {
  if (workers.length === 0) return html`<p class="muted" id="workers">No worker holds a job right now (idle workers hold no lock, so they are not seen here).</p>`
  return html`<table id="workers"><thead><tr><th>host</th><th>worker</th><th class="num">running jobs</th><th>last heartbeat</th></tr></thead><tbody>
${workers.map((worker) => {
  const [host, name] = splitLockedBy(worker.lockedBy)
  return html`<tr><td>${host}</td><td><a href="${link(context, '/jobs', { state: 'running', text: undefined })}">${name}</a></td><td class="num">${worker.runningJobs}</td><td>${formatTime(worker.lastHeartbeat, context.clock.now)}</td></tr>`
})}</tbody></table>`
}

/** `/workers`: each live worker with the jobs it runs (queue, job, since). */
export function renderWorkersPage(context: PageContext, workers: WorkerSeen[], running: StoredJob[]): SafeHtml {
  const jobsOf = (lockedBy: string) => running.filter((job) => job.lockedBy === lockedBy)
  const body = html`<h1>Workers</h1>${renderWorkersTable(context, workers)}
${workers.map((worker) => html`<h2>${worker.lockedBy}</h2><table><thead><tr><th>job</th><th>queue</th><th>locked since</th></tr></thead><tbody>
${jobsOf(worker.lockedBy).map((job) => html`<tr><td><a href="${link(context, `/jobs/${job.id}`)}">#${job.id} ${readHandler(job.handler, context.redact).name}</a></td><td>${job.queue}</td><td>${formatTime(job.lockedAt, context.clock.now)}</td></tr>`)}
</tbody></table>`)}`
  return renderLayout(context, { title: 'Workers', section: 'workers', body })
}

/** `lockedBy` is `host:worker-name` (worker/worker-name.ts); older rows may lack the host. */
function splitLockedBy(lockedBy: string): [string, string] {
  const at = lockedBy.indexOf(':')
  return at < 0 ? ['', lockedBy] : [lockedBy.slice(0, at), lockedBy.slice(at + 1)]
}
