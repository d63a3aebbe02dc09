/**
 * Three-way merge of one text file, line by line. The merge itself is
 * node-diff3's `diff3Merge` (the diff3 algorithm over an LCS); this file only
 * splits lines, narrows conflicts the way git does, and writes git's markers.
 */
import { diff3Merge, diffComm } from 'node-diff3'
import { toLf } from '../app-record/hash-content.js'

/** What to merge. */
export interface MergeTextInput {
  /** The common ancestor: the pristine file jobs-kit wrote. Null when it is unknown (every difference is then a conflict). */
  base: string | null
  /** The app's copy, possibly edited. */
  local: string
  /** The new upstream version. */
  upstream: string
  /** Label of the upstream side on `>>>>>>>` lines, e.g. `jobs-kit 0.2.0`. */
  upstreamLabel: string
}

/** The merged text and how many conflict blocks it holds. */
export interface MergeTextResult {
  text: string
  conflicts: number
}

type Region = { ok: string[] } | { conflict: { local: string[]; upstream: string[] } }

/**
 * Merges `local` and `upstream` against `base`. Changes on one side only are
 * taken; the same change on both sides is taken once; different changes to
 * the same lines become a conflict block:
 *
 * ```
 * <<<<<<< local
 * (the app's lines)
 * =======
 * (upstream's lines)
 * >>>>>>> jobs-kit 0.2.0
 * ```
 *
 * Lines are compared without CR; the result uses the local file's line
 * endings (CRLF when the local file has any).
 */
export function mergeText(input: MergeTextInput): MergeTextResult {
  const crlf = input.local.includes('\r\n')
  const local = splitLines(input.local)
  const upstream = splitLines(input.upstream)
  const base = input.base === null ? [] : splitLines(input.base)

  const regions: Region[] = []
  for (const region of diff3Merge(local, base, upstream, { excludeFalseConflicts: true })) {
    if (region.ok) regions.push({ ok: region.ok })
    else if (region.conflict) regions.push(...narrowConflict(region.conflict.a, region.conflict.b))
  }

  let text = ''
  let conflicts = 0
  for (const region of coalesce(regions)) {
    if ('ok' in region) {
      text += region.ok.join('')
      continue
    }
    conflicts++
    text += `<<<<<<< local\n${terminated(region.conflict.local)}=======\n${terminated(region.conflict.upstream)}>>>>>>> ${input.upstreamLabel}\n`
  }
  return { text: crlf ? text.replaceAll('\n', '\r\n') : text, conflicts }
}

/**
 * Lines with their `\n` (compared without CR, so CRLF and LF copies match).
 * Keeping the terminator makes "no newline at end of file" a change like any
 * other, and keeps the file's final newline out of conflicts.
 */
function splitLines(text: string): string[] {
  return toLf(text).match(/[^\n]*\n|[^\n]+$/g) ?? []
}

/** The lines of one side of a conflict, ending in a newline so the next marker starts its own line (as git does). */
function terminated(lines: string[]): string {
  const text = lines.join('')
  return text === '' || text.endsWith('\n') ? text : `${text}\n`
}

/**
 * Splits one conflict into the lines both sides share and smaller conflicts
 * around them (git's "zealous" refinement), so a conflict shows only the
 * lines that really differ.
 */
function narrowConflict(local: string[], upstream: string[]): Region[] {
  const regions: Region[] = []
  for (const part of diffComm(local, upstream)) {
    if (part.common) regions.push({ ok: part.common })
    else regions.push({ conflict: { local: part.buffer1 ?? [], upstream: part.buffer2 ?? [] } })
  }
  return regions
}

/**
 * Joins conflicts separated only by lines without a letter or digit (blank
 * lines, lone braces), like git's default merge level: splitting there makes
 * the conflict harder to read, not easier.
 */
function coalesce(regions: Region[]): Region[] {
  const result: Region[] = []
  for (let index = 0; index < regions.length; index++) {
    const region = regions[index]!
    const previous = result.at(-1)
    const next = regions[index + 1]
    if ('ok' in region && previous && 'conflict' in previous && next && 'conflict' in next && region.ok.every((line) => !/[\p{L}\p{N}]/u.test(line))) {
      previous.conflict.local.push(...region.ok, ...next.conflict.local)
      previous.conflict.upstream.push(...region.ok, ...next.conflict.upstream)
      index++
      continue
    }
    if ('conflict' in region && previous && 'conflict' in previous) {
      previous.conflict.local.push(...region.conflict.local)
      previous.conflict.upstream.push(...region.conflict.upstream)
      continue
    }
    if ('ok' in region && region.ok.length === 0) continue
    result.push('ok' in region ? { ok: [...region.ok] } : { conflict: { local: [...region.conflict.local], upstream: [...region.conflict.upstream] } })
  }
  return result
}
