import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Handlebars from 'handlebars'
import { TEMPLATES_DIR } from './package-info.js'

/**
 * Renders `templates/<name>` with handlebars. No HTML escaping: these are
 * source files, and the values are paths and identifiers jobs-kit computed.
 */
export function renderTemplate(name: string, data: Record<string, unknown>, templatesDir: string = TEMPLATES_DIR): string {
  const source = readFileSync(join(templatesDir, name), 'utf8')
  return Handlebars.compile(source, { noEscape: true, strict: true })(data)
}
