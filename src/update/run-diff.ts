import { createStagedTree } from '../tree/staged-tree.js'
import type { TreeFs } from '../tree/tree-fs.js'
import { diffVendoredFiles, type FileDiff } from './diff-vendored-files.js'
import { formatDiffReport } from './format-diff-report.js'
import type { RenderVendoredFiles } from './inspect-vendored-files.js'
import { installedJobsKit } from './installed-jobs-kit.js'

/** Options of `runDiff`: the `jobs-kit diff` command, minus argument parsing. */
export interface RunDiffOptions {
  root: string
  fs?: TreeFs
  /** Upstream's files and version; default: the installed jobs-kit's. */
  render?: RenderVendoredFiles
  version?: string
  file?: string
}

/** Compares the vendored files (or one) and describes them. Writes nothing. */
export async function runDiff(options: RunDiffOptions): Promise<{ diffs: FileDiff[]; output: string }> {
  const installed = installedJobsKit()
  const render = options.render ?? installed.render
  const version = options.version ?? installed.version
  const tree = createStagedTree({ root: options.root, fs: options.fs })
  const diffs = await diffVendoredFiles(tree, { render, version, file: options.file })
  return { diffs, output: formatDiffReport(diffs, { version }) }
}
