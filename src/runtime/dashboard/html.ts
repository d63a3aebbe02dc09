import { OptionalDependencyError } from '../errors.js'
import { importOptionalPeer } from '../import-optional-peer.js'

/**
 * The one escaping path of the dashboard. Every page is written with the
 * `html` tag below: the literal parts are trusted markup, every `${value}`
 * is escaped as text unless it is `SafeHtml` made by `html` itself. Values
 * from the database therefore cannot become markup, whoever wrote them.
 *
 * The escaping itself is `escape-html` (the project's rule: a maintained
 * library rather than hand-written escaping). The dashboard is vendored into
 * apps that may never open it, so `escape-html` is an optional peer: loaded
 * here, lazily, only when a dashboard is created, with an error that says to
 * install it. Nothing else of the runtime needs it.
 */

/** Markup that is already safe: made by `html`, never from a raw string of data. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup
  }
}

type Escape = (text: string) => string
let escapeText: Escape | undefined

/** Loads `escape-html` once. The dashboard awaits it before it renders anything. */
export async function loadEscaper(): Promise<void> {
  if (escapeText) return
  const module = await importOptionalPeer(
    'escape-html',
    'The jobs dashboard escapes every value it shows with the `escape-html` package, which is not installed. ' +
      'Install it in your app (`npm install escape-html`) and start the dashboard again.',
  )
  const candidate = typeof module.default === 'function' ? module.default : module
  if (typeof candidate !== 'function') {
    throw new OptionalDependencyError('escape-html', 'The installed `escape-html` exports no function; install escape-html 1.x.')
  }
  escapeText = candidate as Escape
}

/** A value as escaped text (`SafeHtml` as is, arrays joined, null and undefined as nothing). */
function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.markup
  if (Array.isArray(value)) return value.map(render).join('')
  if (value === null || value === undefined || value === false) return ''
  if (!escapeText) throw new Error('The dashboard rendered a page before escape-html was loaded (call loadEscaper() first).')
  return escapeText(String(value))
}

/** The tagged template every page uses: `html\`<td>${job.queue}</td>\``. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let markup = strings[0] ?? ''
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '')
  })
  return new SafeHtml(markup)
}
