import { commitTree } from '../tree/commit-tree.js'
import { createStagedTree } from '../tree/staged-tree.js'
import type { TreeFs } from '../tree/tree-fs.js'
import { formatUpdateReport } from './format-update-report.js'
import type { RenderVendoredFiles } from './inspect-vendored-files.js'
import { installedJobsKit } from './installed-jobs-kit.js'
import { updateVendoredFiles, type UpdateReport } from './update-vendored-files.js'

/** Options of `runUpdate`: the `jobs-kit update` command, minus argument parsing. */
export interface RunUpdateOptions {
  /** The app's root (where `jobs-kit.json` is). */
  root: string
  /** Backing file system (memfs in tests). */
  fs?: TreeFs
  /** Upstream's files and version; default: the installed jobs-kit's. */
  render?: RenderVendoredFiles
  version?: string
  /** Print the plan and unified diffs; write nothing. */
  dryRun?: boolean
  restore?: boolean
  force?: boolean
}

/** What the command prints and how it exits. */
export interface RunUpdateResult {
  report: UpdateReport
  output: string
  /** 1 while any vendored file holds conflict markers, else 0. */
  exitCode: number
}

/**
 * Plans the update on a staged tree, then commits it all at once (or, with
 * `dryRun`, only describes it). Conflicted files are written with markers
 * like clean ones, so the commit happens either way; the exit code says
 * whether the user has work left.
 */
export async function runUpdate(options: RunUpdateOptions): Promise<RunUpdateResult> {
  const installed = installedJobsKit()
  const render = options.render ?? installed.render
  const version = options.version ?? installed.version
  const tree = createStagedTree({ root: options.root, fs: options.fs })
  const report = await updateVendoredFiles(tree, { render, version, restore: options.restore, force: options.force })
  const changes = tree.changes()
  // Read before the commit: update leaves the schema alone, and the note is about it.
  const { previousIndexesNoteOf } = await import('../generators/setup/plan-setup.js')
  const indexesNote = await previousIndexesNoteOf(tree)
  if (!options.dryRun) commitTree(tree)
  const output = formatUpdateReport(report, { dryRun: options.dryRun ?? false, changes }) + (indexesNote ? `\n\nNote:\n  ${indexesNote}` : '')
  return { report, output, exitCode: report.conflicts.length > 0 ? 1 : 0 }
}
