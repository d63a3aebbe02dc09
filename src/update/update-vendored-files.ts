import type { Tree } from '../tree/tree.js'
import { deleteBase, writeBase } from '../app-record/base-store.js'
import { hashContent, sameText, toLf } from '../app-record/hash-content.js'
import { compareVersions } from './compare-versions.js'
import { OlderJobsKitError } from './errors.js'
import { inspectVendoredFiles, type RenderVendoredFiles, type VendoredFile, type VendoredFilesSnapshot, type VendoredFileState } from './inspect-vendored-files.js'
import { writeJobsKitJson, type JobsKitJson } from '../app-record/jobs-kit-json.js'
import { mergeText } from './merge-text.js'
import { writeMergeState, type MergeState } from './merge-state.js'

/** Options of `updateVendoredFiles`. */
export interface UpdateOptions {
  /** Renders the installed jobs-kit's vendored files for this app. */
  render: RenderVendoredFiles
  /** Version of the installed jobs-kit (recorded in `jobs-kit.json`, shown on `>>>>>>>` lines). */
  version: string
  /** Bring back vendored files the user deleted (they stay deleted otherwise). */
  restore?: boolean
  /** Replace every vendored file that differs from the installed jobs-kit's, edits and conflicts included. */
  force?: boolean
}

/**
 * What `update` did to one file:
 *
 * - `updated`: unedited, replaced by the new version;
 * - `merged`: edited and changed upstream, merged without conflict;
 * - `conflict`: merged with conflicts, written with conflict markers;
 * - `unresolved`: still holds markers from an earlier update, left alone;
 * - `added`: new upstream, written;
 * - `removed`: removed upstream and unedited, deleted;
 * - `restored`: deleted locally, written again (`--restore`);
 * - `kept`: nothing to do (already up to date, or only edited locally);
 * - `kept-deleted`: deleted locally, left deleted;
 * - `kept-removed-upstream`: removed upstream but edited, kept as the app's own file (no longer tracked);
 * - `overwritten`: edited (or conflicted), replaced by the new version because of `--force`.
 */
export type UpdateAction = 'updated' | 'merged' | 'conflict' | 'unresolved' | 'added' | 'removed' | 'restored' | 'kept' | 'kept-deleted' | 'kept-removed-upstream' | 'overwritten'

/** One file's outcome. */
export interface FileUpdate {
  path: string
  state: VendoredFileState
  action: UpdateAction
  /** Conflict blocks written (for `conflict`). */
  conflicts: number
}

/** The outcome of `updateVendoredFiles`. */
export interface UpdateReport {
  /** Version the app's files were updated to. */
  version: string
  files: FileUpdate[]
  /** Paths that hold conflict markers after this update (new and unresolved), in path order. */
  conflicts: string[]
}

/**
 * Plans the update of every vendored file to the installed jobs-kit on
 * `tree`: a three-way merge of base, local and upstream per file. Clean
 * results are staged and recorded (new version, hash and base); conflicts are
 * staged with markers and their upstream side kept in the merge state, and
 * their record is left as it was. Nothing is written until the caller commits
 * the tree.
 */
export async function updateVendoredFiles(tree: Tree, options: UpdateOptions): Promise<UpdateReport> {
  const snapshot = await inspectVendoredFiles(tree, { render: options.render })
  refuseDowngrade(snapshot, options.version)
  const project: JobsKitJson = { ...snapshot.project, files: { ...snapshot.project.files } }
  const mergeState: MergeState = { ...snapshot.mergeState }
  const label = `jobs-kit ${options.version}`
  const files: FileUpdate[] = []

  /** Takes `pristine` (upstream, as jobs-kit renders it) as the file's new base. */
  const record = (path: string, pristine: string, version: string) => {
    project.files[path] = { version, hash: hashContent(pristine) }
    writeBase(tree, path, pristine)
  }
  const untrack = (path: string) => {
    delete project.files[path]
    delete mergeState[path]
    deleteBase(tree, path)
  }

  for (const file of snapshot.files) {
    if (file.resolved !== null) {
      // The user resolved an earlier conflict: their file is the merge, and that update's upstream is its base now.
      delete mergeState[file.path]
      record(file.path, file.resolved.content, file.resolved.version)
    }
    const action = planFile(file, { tree, options, label, mergeState, record, untrack })
    files.push({ path: file.path, state: file.state, ...action })
  }

  const conflicts = files.filter((file) => file.action === 'conflict' || file.action === 'unresolved').map((file) => file.path)
  if (conflicts.length === 0) project.version = options.version
  writeMergeState(tree, mergeState)
  writeJobsKitJson(tree, project)
  return { version: options.version, files, conflicts }
}

/** A teammate with an older jobs-kit in node_modules must not revert the files to it. */
function refuseDowngrade(snapshot: VendoredFilesSnapshot, installed: string): void {
  const versions = [
    snapshot.project.version,
    ...Object.values(snapshot.project.files).map((record) => record.version),
    ...Object.values(snapshot.mergeState).map((pending) => pending.version),
  ]
  const newest = versions.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b))
  if (compareVersions(newest, installed) > 0) throw new OlderJobsKitError(installed, newest)
}

/** What `planFile` stages through. */
interface PlanContext {
  tree: Tree
  options: UpdateOptions
  /** `jobs-kit <version>`, for `>>>>>>>` lines. */
  label: string
  /** Merges in progress, updated in place. */
  mergeState: MergeState
  /** Records `pristine` as the file's base at `version` (jobs-kit.json and the base store). */
  record: (path: string, pristine: string, version: string) => void
  /** Forgets the file: no record, no base, no merge in progress. */
  untrack: (path: string) => void
}

/** Stages one file's update according to its state (see the table in docs/update.md). */
function planFile(file: VendoredFile, context: PlanContext): { action: UpdateAction; conflicts: number } {
  const { tree, options, label, mergeState, record, untrack } = context
  const { path, local, base, upstream } = file
  const done = (action: UpdateAction) => ({ action, conflicts: 0 })

  const conflict = (merged: { text: string; conflicts: number }) => {
    tree.write(path, merged.text)
    mergeState[path] = { version: options.version, content: upstream! }
    return { action: 'conflict' as const, conflicts: merged.conflicts }
  }
  /** Three-way merge; records upstream as the base when clean. */
  const merge = (mergeBase: string | null) => {
    const merged = mergeText({ base: mergeBase, local: local!, upstream: upstream!, upstreamLabel: label })
    if (merged.conflicts > 0) return conflict(merged)
    tree.write(path, merged.text)
    record(path, upstream!, options.version)
    return done('merged')
  }
  /** Keeps local when it already reads as upstream (recorded at the new version), else merges it. */
  const keepOrMerge = (mergeBase: string | null) => {
    if (!sameText(local!, upstream!)) return merge(mergeBase)
    record(path, upstream!, options.version)
    return done('kept')
  }

  const overwritable = file.state !== 'upstream' && file.state !== 'unchanged'
  if (options.force && overwritable && local !== null && upstream !== null && !sameText(local, upstream)) {
    // --force: jobs-kit's version wins over the app's edits and over unresolved conflicts.
    delete mergeState[path]
    tree.write(path, withLineEndingsOf(local, upstream))
    record(path, upstream, options.version)
    return done('overwritten')
  }

  switch (file.state) {
    case 'unresolved':
      return { action: 'unresolved', conflicts: 0 }
    case 'added':
      if (local === null) {
        tree.write(path, upstream!)
        record(path, upstream!, options.version)
        return done('added')
      }
      // A file of the app's own sits where jobs-kit now vendors one: every difference is the user's call.
      return keepOrMerge(null)
    case 'removed':
      if (local === null) {
        untrack(path)
        return done('removed')
      }
      if (!file.localEdited) {
        tree.delete(path)
        untrack(path)
        return done('removed')
      }
      untrack(path)
      return done('kept-removed-upstream')
    case 'deleted':
      if (options.restore) {
        tree.write(path, upstream!)
        record(path, upstream!, options.version)
        return done('restored')
      }
      return done('kept-deleted')
    case 'no-base':
      return keepOrMerge(null)
    case 'unchanged':
    case 'edited':
      // Upstream did not change this file: the local copy stays as it is, recorded at the new version.
      record(path, upstream!, options.version)
      return done('kept')
    case 'upstream':
      tree.write(path, withLineEndingsOf(local!, upstream!))
      record(path, upstream!, options.version)
      return done('updated')
    case 'both':
      // Kept when the user already made upstream's change.
      return keepOrMerge(base)
  }
}

/** `text` with the line endings `like` uses, so an update does not rewrite every line of a CRLF checkout. */
function withLineEndingsOf(like: string, text: string): string {
  return like.includes('\r\n') ? toLf(text).replaceAll('\n', '\r\n') : text
}
