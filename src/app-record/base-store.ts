/**
 * The base store: the pristine content of every vendored file, as jobs-kit
 * wrote it, so `update` can tell the user's edits from upstream's changes
 * (a three-way merge needs the common ancestor).
 *
 * Each file is kept as plain text at `.jobs-kit/base/<app path>.base`, e.g.
 * `.jobs-kit/base/src/lib/jobs-kit/worker/worker.ts.base`. Plain files keep
 * the store diff-friendly in the app's repository (an update shows as an
 * ordinary diff of the bases), and the `.base` suffix keeps TypeScript,
 * ESLint, Prettier and test runners from treating the copies as source.
 * Which version a base belongs to, and its hash, are in `jobs-kit.json`.
 *
 * The store is meant to be committed. It is not under `.jobs-kit/pids/` or
 * `.jobs-kit/logs/`, which `setup` git-ignores.
 */
import { posix } from 'node:path'
import type { Tree } from '../tree/tree.js'
import { hashContent, hashMatches } from './hash-content.js'
import type { VendoredFileRecord } from './jobs-kit-json.js'

/** Folder of the base store, relative to the app root. */
export const BASE_STORE_DIR = '.jobs-kit/base'

/** Where the base of the vendored file at `path` (app-relative) is stored. */
export function basePath(path: string): string {
  return `${BASE_STORE_DIR}/${posix.normalize(path)}.base`
}

/** The stored base of `path`, or null when none is stored. */
export function readBase(tree: Tree, path: string): string | null {
  return tree.read(basePath(path))
}

/** Stages `content` as the base of `path`. */
export function writeBase(tree: Tree, path: string, content: string): void {
  tree.write(basePath(path), content)
}

/** Stages the removal of the base of `path`, if there is one. */
export function deleteBase(tree: Tree, path: string): void {
  if (tree.read(basePath(path)) !== null) tree.delete(basePath(path))
}

/**
 * Finds the base of a recorded file: the first of these whose hash is the
 * recorded one. The stored base; else the file itself, when it is still
 * unedited; else upstream's version, when jobs-kit did not change the file
 * since (so apps set up before the store existed, or whose store was not
 * committed, still update). Null when none matches: the file was edited,
 * changed upstream, and its base is lost.
 */
export function resolveBase(tree: Tree, path: string, record: VendoredFileRecord, local: string | null, upstream: string | null): string | null {
  for (const candidate of [readBase(tree, path), local, upstream]) {
    if (candidate !== null && hashMatches(candidate, record.hash)) return candidate
  }
  return null
}

/**
 * Stages the base of every file `setup` vendors, and returns the
 * `jobs-kit.json` records for them, so `setup` and the base store agree on
 * the hash. Call it from `setup` on the same tree, with the exact content
 * written for each vendored file (keys are app-relative paths such as
 * `src/lib/jobs-kit/index.ts`), and put the result under `files`.
 */
export function writeBaseSnapshot(tree: Tree, files: Map<string, string>, version: string): Record<string, VendoredFileRecord> {
  const records: Record<string, VendoredFileRecord> = {}
  for (const path of [...files.keys()].sort()) {
    const content = files.get(path)!
    writeBase(tree, path, content)
    records[path] = { version, hash: hashContent(content) }
  }
  return records
}
