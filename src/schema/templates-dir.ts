import { fileURLToPath } from 'node:url'

/**
 * `templates/schema/` of the installed jobs-kit. This file sits two levels
 * below the package root both as source (`src/schema/`) and built
 * (`dist/schema/`), so one relative URL serves both.
 */
export function schemaTemplatePath(...parts: string[]): string {
  return fileURLToPath(new URL(['../../templates/schema', ...parts].join('/'), import.meta.url))
}
