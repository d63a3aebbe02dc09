import { posix } from 'node:path'
import { importStyleOf } from '../app-record/jobs-kit-json.js'
import { renderRuntimeFiles } from '../vendoring/render-runtime.js'
import type { RenderVendoredFiles } from './inspect-vendored-files.js'

/**
 * The runtime of the installed jobs-kit, rendered for the app the way `setup`
 * vendored it (language, module type and import style from `jobs-kit.json`),
 * keyed by app path (`<paths.runtime>/<file>`). This is "upstream" for
 * `diff` and `update`. The jobs config is not rendered: `setup` does not
 * record its base, so `update` leaves it to the app (see docs/update.md).
 */
export const renderInstalledRuntime: RenderVendoredFiles = (project) => {
  const rendered = renderRuntimeFiles({
    language: project.language,
    moduleType: project.moduleType,
    // `importExtension` is '' for TypeScript apps that import without extensions (bundler/node10 resolution).
    importStyle: importStyleOf(project.importExtension),
  })
  return new Map([...rendered].map(([path, content]) => [posix.join(project.paths.runtime, path), content]))
}
