import { isAbsolute, relative } from 'node:path'
import { createTwoFilesPatch } from 'diff'
import type { Tree } from '../tree/tree.js'
import { normalizeTreePath } from '../tree/normalize-path.js'
import { NotVendoredFileError } from './errors.js'
import { inspectVendoredFiles, type RenderVendoredFiles, type VendoredFileState } from './inspect-vendored-files.js'

/** Options of `diffVendoredFiles`. */
export interface DiffOptions {
  render: RenderVendoredFiles
  /** Version of the installed jobs-kit, for the diff headers. */
  version: string
  /** Only this file: app-relative, or relative to the vendored runtime folder. */
  file?: string
}

/** One vendored file's state and unified diffs (null where there is no difference to show). */
export interface FileDiff {
  path: string
  state: VendoredFileState
  /** Version the local copy came from (from `jobs-kit.json`), null for a file new upstream. */
  baseVersion: string | null
  /** The user's edits: base → local. */
  localDiff: string | null
  /** What the installed jobs-kit changed: base → upstream. For a file without a known base: local → upstream. */
  upstreamDiff: string | null
}

/**
 * Compares every vendored file (or one) with the pristine copy it came from
 * and with the installed jobs-kit's version. Reads only: nothing is staged.
 */
export async function diffVendoredFiles(tree: Tree, options: DiffOptions): Promise<FileDiff[]> {
  const snapshot = await inspectVendoredFiles(tree, { render: options.render })
  let files = snapshot.files
  if (options.file !== undefined) {
    const wanted = normalizeTreePath(isAbsolute(options.file) ? relative(tree.root, options.file) : options.file, tree.root)
    const inRuntime = normalizeTreePath(`${snapshot.project.paths.runtime}/${wanted}`, tree.root)
    const match = files.find((file) => file.path === wanted) ?? files.find((file) => file.path === inRuntime)
    if (!match) throw new NotVendoredFileError(options.file, files.map((file) => file.path))
    files = [match]
  }

  return files.map((file) => {
    const baseVersion = file.resolved?.version ?? file.record?.version ?? null
    const baseName = `${file.path} (jobs-kit ${baseVersion ?? 'none'})`
    const upstreamName = `${file.path} (jobs-kit ${options.version})`
    const localName = `${file.path} (local)`
    let localDiff: string | null = null
    let upstreamDiff: string | null = null
    if (file.base !== null) {
      if (file.local === null || file.localEdited) localDiff = unifiedDiff(baseName, localName, file.base, file.local)
      if (file.upstream === null || file.upstreamChanged) upstreamDiff = unifiedDiff(baseName, upstreamName, file.base, file.upstream)
    } else if (file.state === 'unresolved' || file.state === 'no-base') {
      if (file.local !== null && file.upstream !== null) upstreamDiff = unifiedDiff(localName, upstreamName, file.local, file.upstream)
    } else if (file.state === 'added') {
      upstreamDiff = unifiedDiff('/dev/null', upstreamName, null, file.upstream)
      if (file.local !== null) localDiff = unifiedDiff(localName, upstreamName, file.local, file.upstream)
    }
    return { path: file.path, state: file.state, baseVersion, localDiff, upstreamDiff }
  })
}

/** A unified diff with three lines of context; null content is a missing file. */
function unifiedDiff(oldName: string, newName: string, before: string | null, after: string | null): string | null {
  if (before === after) return null
  const patch = createTwoFilesPatch(before === null ? '/dev/null' : oldName, after === null ? '/dev/null' : newName, before ?? '', after ?? '', undefined, undefined, { context: 3 })
  // Drop the "Index:"/"====" preamble: the header lines say enough.
  return patch.split('\n').filter((line) => !line.startsWith('====') && !line.startsWith('Index:')).join('\n').trimEnd()
}
