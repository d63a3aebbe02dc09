import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { templatePath } from './package-files.js'

type Handlebars = typeof import('handlebars')
type Template = (data: Record<string, unknown>) => string

let handlebars: Handlebars | undefined
const compiled = new Map<string, Template>()

/**
 * Renders `templates/<name>` of the installed package with handlebars, each
 * template compiled once per process. No HTML escaping: the output is source
 * code, and the values are paths and identifiers jobs-kit computed. Strict: a
 * value the template names but `data` lacks is an error, not an empty string
 * (pass null for "none"). Handlebars loads on the first call, so commands
 * that render nothing do not pay for it.
 */
export function renderTemplate(name: string, data: Record<string, unknown>): string {
  let template = compiled.get(name)
  if (!template) {
    handlebars ??= createRequire(import.meta.url)('handlebars') as Handlebars
    template = handlebars.compile(readFileSync(templatePath(name), 'utf8'), { noEscape: true, strict: true })
    compiled.set(name, template)
  }
  return template(data)
}
