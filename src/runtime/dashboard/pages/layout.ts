import { DASHBOARD_REFRESH_SECONDS } from '../../defaults.js'
import { html, SafeHtml } from '../html.js'
import { link, type PageContext } from './page-context.js'

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2329;background:#f6f7f9}
header{background:#1d2329;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.4rem;align-items:center}
header a{color:#cfd8e3;text-decoration:none}header a.active,header a:hover{color:#fff;font-weight:600}
header strong{margin-right:1rem}main{padding:1rem 1.2rem;max-width:1200px}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1.2rem}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{font-weight:600;background:#eef0f3}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
pre{background:#fff;border:1px solid #e3e6ea;padding:.7rem;overflow:auto;white-space:pre-wrap;word-break:break-word}
.muted{color:#7a8591}.cron-words{color:#4a5561;font-size:.9em}.notice{background:#e7f5ea;border:1px solid #a9d8b4;padding:.5rem .8rem;margin-bottom:1rem}
.state{padding:.05rem .45rem;border-radius:.6rem;font-size:12px;background:#e3e6ea}
.state-failed{background:#fbe0e0;color:#8a1c1c}.state-running{background:#dcecff;color:#0b4b94}
.state-waiting{background:#fff1cc;color:#6b5200}.state-succeeded{background:#e7f5ea;color:#1d6b30}
form.inline{display:inline}button{cursor:pointer;padding:.25rem .7rem}
button.danger{color:#8a1c1c}form.filters{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end;margin-bottom:.6rem}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:#4a5560}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}
.actions{display:flex;gap:.5rem;margin:.6rem 0}code{font-size:13px}td.nowrap{white-space:nowrap}`

/**
 * Refreshes the page while it is open: fetches the same URL and swaps the
 * content of <main>, so the scroll position stays. It waits while the
 * reader is typing in a field, has text selected, or the tab is hidden.
 * It shows no data of its own: only markup the server escaped.
 */
const REFRESH_SCRIPT = `
setInterval(async function () {
  if (document.hidden) return
  var active = document.activeElement
  if (active && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(active.tagName)) return
  if (String(window.getSelection() || '') !== '') return
  try {
    var response = await fetch(location.href, { headers: { 'x-dashboard-refresh': '1' }, credentials: 'same-origin' })
    if (!response.ok) return
    var next = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('main')
    var main = document.querySelector('main')
    if (next && main) main.innerHTML = next.innerHTML
  } catch (error) {}
}, ${DASHBOARD_REFRESH_SECONDS * 1000})`

// Constants of this file, never data: the only markup that does not go through the escaping of `html`.
const STYLE_MARKUP = new SafeHtml(STYLE)
const REFRESH_MARKUP = new SafeHtml(REFRESH_SCRIPT)

export type Section = 'overview' | 'jobs' | 'workers' | 'schedules'

export function renderLayout(context: PageContext, page: { title: string; section: Section; body: SafeHtml }): SafeHtml {
  const nav = (section: Section, path: string, label: string) =>
    html`<a href="${link(context, path)}" class="${page.section === section ? 'active' : ''}">${label}</a>`
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${page.title} · jobs</title><style nonce="${context.nonce}">${STYLE_MARKUP}</style></head>
<body><header><strong>jobs</strong>${nav('overview', '/', 'Overview')}${nav('jobs', '/jobs', 'Jobs')}${nav('workers', '/workers', 'Workers')}${context.hasSchedules ? nav('schedules', '/schedules', 'Schedules') : ''}
${context.readOnly ? html`<span class="muted">read-only</span>` : ''}</header>
<main>${context.notice ? html`<div class="notice" role="status">${context.notice}</div>` : ''}${page.body}</main>
<script nonce="${context.nonce}">${REFRESH_MARKUP}</script></body></html>`
}

/** A POST form with the CSRF token: every state change goes through one of these. */
export function actionForm(context: PageContext, path: string, label: string, fields: Record<string, string | undefined> = {}, danger = false): SafeHtml {
  if (context.readOnly) return html``
  const hidden = Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)
  return html`<form class="inline" method="post" action="${link(context, path)}"><input type="hidden" name="_csrf" value="${context.csrfToken}">${hidden}<button type="submit" class="${danger ? 'danger' : ''}">${label}</button></form>`
}
