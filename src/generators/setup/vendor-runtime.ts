import { posix } from 'node:path'
import type { Tree } from '../../tree/tree.js'
import { writeOrConflict } from '../../tree/write-or-conflict.js'
import { writeBaseSnapshot } from '../../app-record/base-store.js'
import type { VendoredFileRecord } from '../../app-record/jobs-kit-json.js'
import { renderRuntimeFiles, type RenderRuntimeOptions } from '../../vendoring/render-runtime.js'

/**
 * Stages the rendered runtime under `runtimeDir`, and its pristine copy in
 * the base store (`.jobs-kit/base/`), which `jobs-kit update` needs as the
 * common ancestor of a three-way merge. A file that exists with other
 * content (edited by the app's team) is a conflict unless `force`.
 * Returns the jobs-kit.json `files` entries, keyed by path from the app root.
 */
export function vendorRuntime(
  tree: Tree,
  runtimeDir: string,
  options: RenderRuntimeOptions & { version: string; force: boolean; sources?: Map<string, string> },
): Record<string, VendoredFileRecord> {
  const rendered = new Map<string, string>()
  for (const [relativePath, content] of renderRuntimeFiles(options, options.sources)) {
    const path = posix.join(runtimeDir, relativePath)
    writeOrConflict(tree, path, content, { force: options.force })
    rendered.set(path, content)
  }
  return writeBaseSnapshot(tree, rendered, options.version)
}
