import type { FileDiff } from './diff-vendored-files.js'
import type { VendoredFileState } from './inspect-vendored-files.js'

const STATE_LABELS: Record<VendoredFileState, string> = {
  unchanged: 'unchanged',
  edited: 'locally edited',
  upstream: 'changed upstream',
  both: 'locally edited and changed upstream',
  deleted: 'deleted locally',
  added: 'new upstream',
  removed: 'removed upstream',
  unresolved: 'conflict markers from an earlier update',
  'no-base': 'locally edited, base unknown',
}

/**
 * What `jobs-kit diff` prints: a state line per vendored file, then, for each
 * file that differs, the user's edits (base → local) and jobs-kit's changes
 * (base → installed version) as unified diffs.
 */
export function formatDiffReport(diffs: FileDiff[], options: { version: string }): string {
  const width = Math.max(...diffs.map((diff) => STATE_LABELS[diff.state].length), 0)
  const lines = [`Vendored files compared with jobs-kit ${options.version} (installed):`, '']
  for (const diff of diffs) lines.push(`  ${STATE_LABELS[diff.state].padEnd(width)}  ${diff.path}`)

  for (const diff of diffs) {
    if (diff.localDiff === null && diff.upstreamDiff === null) continue
    lines.push('', `### ${diff.path}: ${STATE_LABELS[diff.state]}`)
    if (diff.localDiff !== null) lines.push('', diff.state === 'added' ? 'Your file → jobs-kit\'s:' : `Your edits (jobs-kit ${diff.baseVersion} → local):`, diff.localDiff)
    if (diff.upstreamDiff !== null) {
      const title = diff.state === 'unresolved' || diff.state === 'no-base'
        ? `Local → jobs-kit ${options.version}:`
        : diff.state === 'added'
          ? `New in jobs-kit ${options.version}:`
          : `Changes upstream (jobs-kit ${diff.baseVersion} → ${options.version}):`
      lines.push('', title, diff.upstreamDiff)
    }
  }
  return lines.join('\n')
}
