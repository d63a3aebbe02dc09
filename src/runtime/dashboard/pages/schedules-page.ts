import type { ScheduleStatus } from '../../recurring/manage-schedules.js'
import { formatInZone } from '../../recurring/format-in-zone.js'
import { html, type SafeHtml } from '../html.js'
import { formatTime } from './format.js'
import { actionForm, renderLayout } from './layout.js'
import { link, type PageContext } from './page-context.js'

/**
 * `/schedules`: each recurring entry with its cron expression and time zone,
 * its next three runs as its zone reads them, its last run, and pause /
 * resume / run now. The same listing `status` prints (manage-schedules.ts).
 * The expression is shown as written, and in words when the app has
 * cronstrue installed (recurring/describe-cron.ts).
 */
export function renderSchedulesPage(context: PageContext, schedules: ScheduleStatus[], inWords: (cron: string) => string | undefined): SafeHtml {
  const body = html`<h1>Schedules</h1>
<table id="schedules"><thead><tr><th>schedule</th><th>job</th><th>cron</th><th>next runs</th><th>last run</th><th>state</th><th></th></tr></thead><tbody>
${schedules.map((status) => renderRow(context, status, inWords(status.cron)))}</tbody></table>`
  return renderLayout(context, { title: 'Schedules', section: 'schedules', body })
}

function renderRow(context: PageContext, status: ScheduleStatus, words: string | undefined): SafeHtml {
  const zone = (date: Date) => formatInZone(date, status.timezone)
  const paused = Boolean(status.row?.pausedAt)
  const row = status.row
  const lastRun = row?.lastRunSlotAt
    ? html`${zone(row.lastRunSlotAt)}${row.lastRunAt ? html` <span class="muted">(${formatTime(row.lastRunAt, context.clock.now)})</span>` : ''}${
        row.lastJobId === null ? '' : html` <a href="${link(context, `/jobs/${row.lastJobId}`)}">job #${row.lastJobId}</a>`
      }`
    : html`<span class="muted">never</span>`
  const state = status.removed
    ? html`<span class="muted">removed from the config (deleted at the next worker start)</span>`
    : paused
      ? html`<span class="state state-failed">paused</span> <span class="muted">since ${formatTime(row!.pausedAt, context.clock.now)}</span>`
      : html`<span class="state state-succeeded">active</span>`
  const fields = { schedule: status.name }
  const actions = status.removed
    ? html``
    : html`${paused ? actionForm(context, '/schedules/resume', 'Resume', fields) : actionForm(context, '/schedules/pause', 'Pause', fields)} ${actionForm(context, '/schedules/run', 'Run now', fields)}`
  return html`<tr data-schedule="${status.name}"><td>${status.name}</td><td>${status.job}</td><td><code>${status.cron}</code> <span class="muted">${status.timezone}</span>${words ? html`<div class="cron-words">${words}</div>` : ''}</td>
<td class="nowrap">${status.nextRuns.length ? html`${status.nextRuns.map((slot) => html`<div>${zone(slot)}</div>`)}` : html`<span class="muted">—</span>`}</td>
<td>${lastRun}</td><td>${state}</td><td>${actions}</td></tr>`
}
