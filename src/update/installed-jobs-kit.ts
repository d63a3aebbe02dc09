import { readJobsKitPackage } from '../package-assets/package-files.js'
import type { RenderVendoredFiles } from './inspect-vendored-files.js'
import { renderInstalledRuntime } from './render-installed-runtime.js'

/** "Upstream" for `diff` and `update` when none is given: the installed jobs-kit's runtime and version. */
export function installedJobsKit(): { render: RenderVendoredFiles; version: string } {
  return { render: renderInstalledRuntime, version: readJobsKitPackage().version }
}
