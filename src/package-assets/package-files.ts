/**
 * The one place that knows where the installed jobs-kit package keeps its
 * files: the templates, the runtime sources that get vendored, and its
 * package.json. Everything else asks here instead of counting `..` from its
 * own file.
 *
 * This file is `src/package-assets/package-files.ts` under tsx and
 * `dist/package-assets/package-files.js` once built (also in the installed
 * package, whose `files` ship `dist`, `src/runtime` and `templates`): two
 * levels below the package root either way.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The root of the jobs-kit package this code runs from. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** `templates/`: the handlebars templates and the migration SQL. */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates')

/** `src/runtime/`: the runtime as it is vendored, always read from the installed package, never from a copy. */
export const RUNTIME_SOURCES_DIR = join(PACKAGE_ROOT, 'src', 'runtime')

/** The absolute path of a file under `templates/`, e.g. `templatePath('schema', 'migrations', 'sqlite.sql')`. */
export function templatePath(...parts: string[]): string {
  return join(TEMPLATES_DIR, ...parts)
}

/** What jobs-kit needs from its own package.json. */
export interface JobsKitPackage {
  version: string
  /** The tsx range jobs-kit was built and tested with, which `setup` adds to TypeScript apps. */
  tsxRange: string
  /** The croner range jobs-kit checks cron expressions with, which `g job --cron` adds to the app (the recurring runtime's optional peer). */
  cronerRange: string
}

let cached: JobsKitPackage | undefined

/** This package's version, and the tsx and croner ranges it was built and tested with. */
export function readJobsKitPackage(): JobsKitPackage {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      version: string
      dependencies?: Record<string, string>
      devDependencies?: Record<string, string>
    }
    cached = { version: pkg.version, tsxRange: pkg.devDependencies?.tsx ?? '^4', cronerRange: pkg.dependencies?.croner ?? '^11' }
  }
  return cached
}
