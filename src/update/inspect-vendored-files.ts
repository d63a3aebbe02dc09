import type { Tree } from '../tree/tree.js'
import { resolveBase } from '../app-record/base-store.js'
import { hasConflictMarkers } from './conflict-markers.js'
import { sameText } from '../app-record/hash-content.js'
import { readJobsKitJson, type JobsKitJson, type VendoredFileRecord } from '../app-record/jobs-kit-json.js'
import { readMergeState, type MergeState, type PendingMerge } from './merge-state.js'

/**
 * Renders every file jobs-kit vendors into this app, as the installed
 * jobs-kit would write it today: app-relative path → content (TypeScript, or
 * JavaScript with types stripped, per `project.language`). It may include the
 * jobs config (`project.paths.config`); that file is only merged when
 * `jobs-kit.json` records it (see docs/update.md).
 */
export type RenderVendoredFiles = (project: JobsKitJson) => Map<string, string> | Promise<Map<string, string>>

/**
 * Where a vendored file stands, comparing the app's copy (local) and the
 * installed jobs-kit's (upstream) with the pristine copy it came from (base):
 *
 * - `unchanged`: local is the base, and upstream has not changed it;
 * - `edited`: edited locally, unchanged upstream;
 * - `upstream`: unedited locally, changed upstream;
 * - `both`: edited locally and changed upstream;
 * - `deleted`: deleted locally;
 * - `added`: new upstream, not vendored yet;
 * - `removed`: no longer part of jobs-kit;
 * - `unresolved`: holds conflict markers from an earlier `update`;
 * - `no-base`: edited locally, and its base is neither stored nor recoverable.
 */
export type VendoredFileState = 'unchanged' | 'edited' | 'upstream' | 'both' | 'deleted' | 'added' | 'removed' | 'unresolved' | 'no-base'

/** One vendored file, its three versions, and its state. */
export interface VendoredFile {
  path: string
  state: VendoredFileState
  /** What `jobs-kit.json` records (null for a file new upstream). */
  record: VendoredFileRecord | null
  /** The app's copy (null when it does not exist). */
  local: string | null
  /** The pristine content local came from, when known. */
  base: string | null
  /** The installed jobs-kit's content (null when removed upstream). */
  upstream: string | null
  /** The local copy differs from its base (true when the base is unknown and local differs from the record). */
  localEdited: boolean
  /** The installed jobs-kit's content differs from the base. */
  upstreamChanged: boolean
  /**
   * An earlier `update` conflicted on this file and the user has since
   * resolved it: `base` is that update's upstream content, which `update`
   * records as the file's new base.
   */
  resolved: PendingMerge | null
}

/** Everything `diff` and `update` need to know about the app's vendored files. */
export interface VendoredFilesSnapshot {
  project: JobsKitJson
  mergeState: MergeState
  /** In path order. */
  files: VendoredFile[]
}

/** Reads `jobs-kit.json`, the base store and the merges in progress, renders upstream, and classifies every vendored file. */
export async function inspectVendoredFiles(tree: Tree, options: { render: RenderVendoredFiles }): Promise<VendoredFilesSnapshot> {
  const project = readJobsKitJson(tree)
  const mergeState = readMergeState(tree)
  const rendered = await options.render(project)

  const paths = new Set([...Object.keys(project.files), ...Object.keys(mergeState)])
  for (const path of rendered.keys()) {
    // The jobs config is the user's file: it is merged only when setup recorded its base.
    if (path !== project.paths.config) paths.add(path)
  }

  const runtimePrefix = `${project.paths.runtime.replace(/\/+$/, '')}/`
  const files = [...paths]
    // A recorded file outside the runtime folder that the installed jobs-kit does not render
    // (a generated file it no longer offers to merge) is the app's: never "removed upstream".
    .filter((path) => rendered.has(path) || mergeState[path] !== undefined || path.startsWith(runtimePrefix))
    .sort()
    .map((path) => inspectFile(tree, path, project.files[path] ?? null, rendered.get(path) ?? null, mergeState[path] ?? null))
  return { project, mergeState, files }
}

function inspectFile(tree: Tree, path: string, record: VendoredFileRecord | null, upstream: string | null, pending: PendingMerge | null): VendoredFile {
  const local = tree.read(path)
  const file = { path, record, local, upstream, resolved: null as PendingMerge | null }

  if (local !== null && hasConflictMarkers(local) && (pending !== null || record !== null)) {
    return { ...file, state: 'unresolved', base: null, localEdited: true, upstreamChanged: upstream !== null }
  }
  if (pending !== null) file.resolved = pending
  const base = pending !== null ? pending.content : record !== null ? resolveBase(tree, path, record, local, upstream) : null
  const localEdited = local !== null && (base === null || !sameText(local, base))
  const upstreamChanged = upstream !== null && (base === null || !sameText(upstream, base))

  let state: VendoredFileState
  if (record === null && pending === null) state = 'added'
  else if (upstream === null) state = 'removed'
  else if (local === null) state = 'deleted'
  else if (base === null) state = 'no-base'
  else if (localEdited) state = upstreamChanged ? 'both' : 'edited'
  else state = upstreamChanged ? 'upstream' : 'unchanged'
  return { ...file, state, base, localEdited, upstreamChanged }
}
