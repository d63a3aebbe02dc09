import { createHash } from 'node:crypto'
import { posix } from 'node:path'
import type { Tree } from '../../tree/tree.js'
import { writeOrConflict } from '../../tree/write-or-conflict.js'
import { renderRuntimeFiles, type RenderRuntimeOptions } from '../../vendor/render-runtime.js'

/** A vendored file as jobs-kit.json records it. */
export interface VendoredFile {
  version: string
  /** `sha256-<base64>` of the content jobs-kit wrote (SRI form). */
  hash: string
}

/**
 * Stages the rendered runtime under `runtimeDir`. A file that exists with
 * other content (edited by the app's team) is a conflict unless `force`.
 * Returns the jobs-kit.json `files` entries, keyed by path from the app root.
 */
export function vendorRuntime(
  tree: Tree,
  runtimeDir: string,
  options: RenderRuntimeOptions & { version: string; force: boolean; sources?: Map<string, string> },
): Record<string, VendoredFile> {
  const files: Record<string, VendoredFile> = {}
  for (const [relativePath, content] of renderRuntimeFiles(options, options.sources)) {
    const path = posix.join(runtimeDir, relativePath)
    writeOrConflict(tree, path, content, { force: options.force })
    files[path] = { version: options.version, hash: hashContent(content) }
  }
  return files
}

/** The hash jobs-kit.json records for a file's content. */
export function hashContent(content: string): string {
  return `sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}`
}
