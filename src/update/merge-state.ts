/**
 * Merges in progress. When `update` writes conflict markers into a file, it
 * keeps the upstream content that file was merged against in
 * `.jobs-kit/merging.json`. Once the user has resolved the markers, the next
 * `update` takes their file as it is and records that upstream content as
 * the new base, so a resolved conflict is never merged (and conflicted) twice.
 * The file disappears when no merge is in progress.
 */
import type { Tree } from '../tree/tree.js'
import { InvalidMergeStateError } from './errors.js'

/** Where merges in progress are kept, relative to the app root. */
export const MERGE_STATE_PATH = '.jobs-kit/merging.json'

/** The upstream side of a conflicted merge: the version and content the markers were written against. */
export interface PendingMerge {
  version: string
  content: string
}

/** App-relative path → pending merge. */
export type MergeState = Record<string, PendingMerge>

/** Reads the merges in progress (none when the file does not exist). */
export function readMergeState(tree: Tree): MergeState {
  const text = tree.read(MERGE_STATE_PATH)
  if (text === null) return {}
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new InvalidMergeStateError(MERGE_STATE_PATH, `it is not valid JSON (${(error as Error).message})`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InvalidMergeStateError(MERGE_STATE_PATH, 'it is not a JSON object')
  const state: MergeState = {}
  for (const [path, entry] of Object.entries(json as Record<string, unknown>)) {
    const pending = entry as Partial<PendingMerge> | null
    if (typeof pending?.version !== 'string' || typeof pending.content !== 'string') {
      throw new InvalidMergeStateError(MERGE_STATE_PATH, `entry "${path}" must be { "version": string, "content": string }`)
    }
    state[path] = { version: pending.version, content: pending.content }
  }
  return state
}

/** Stages the merges in progress, or removes the file when there are none. */
export function writeMergeState(tree: Tree, state: MergeState): void {
  const paths = Object.keys(state).sort()
  if (paths.length === 0) {
    if (tree.read(MERGE_STATE_PATH) !== null) tree.delete(MERGE_STATE_PATH)
    return
  }
  const sorted: MergeState = {}
  for (const path of paths) sorted[path] = state[path]!
  tree.write(MERGE_STATE_PATH, `${JSON.stringify(sorted, null, 2)}\n`)
}
