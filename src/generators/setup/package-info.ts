import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Files of the installed jobs-kit package. `src/generators/setup/` (tsx) and
 * `dist/generators/setup/` (built) are both three levels below the package
 * root, so these URLs hold for both.
 */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url))
const PACKAGE_JSON = new URL('../../../package.json', import.meta.url)

let cached: { version: string; tsxRange: string } | undefined

/** This package's version, and the tsx range it was built and tested with. */
export function readJobsKitPackage(): { version: string; tsxRange: string } {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string; devDependencies?: Record<string, string> }
    cached = { version: pkg.version, tsxRange: pkg.devDependencies?.tsx ?? '^4' }
  }
  return cached
}
