import { html, type SafeHtml } from '../html.js'

/** A time as `<time>` with the UTC timestamp in full and how long ago / from now in words. */
export function formatTime(date: Date | null, now: Date): SafeHtml {
  if (!date) return html`<span class="muted">—</span>`
  return html`<time datetime="${date.toISOString()}" title="${date.toISOString()}">${formatRelative(date, now)}</time>`
}

export function formatRelative(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000)
  const amount = Math.abs(seconds)
  const words =
    amount < 60 ? `${amount} s` : amount < 3600 ? `${Math.floor(amount / 60)} min` : amount < 86_400 ? `${Math.floor(amount / 3600)} h` : `${Math.floor(amount / 86_400)} d`
  return seconds >= 0 ? `${words} ago` : `in ${words}`
}

/** Arguments as short one-line JSON for lists. */
export function previewJson(value: unknown, maxLength = 120): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? ''
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text
}

/** The first line of an error (the message), for lists. */
export function firstLine(text: string | null): string {
  return text ? (text.split('\n', 1)[0] ?? '') : ''
}
