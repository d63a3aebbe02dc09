import { createTwoFilesPatch } from 'diff'
import type { Tree } from './tree.js'

/** Options of `formatChanges`. */
export interface FormatOptions {
  /** Append a unified diff under each create, update, delete and conflict. */
  diff: boolean
}

/**
 * Lists what committing the tree would do, one line per file
 * (`create`, `update`, `delete`, `skip` for files already as wanted,
 * `conflict` for files that differ and need `--force`), in path order,
 * each optionally followed by its unified diff.
 */
export function formatChanges(tree: Tree, options: FormatOptions): string {
  const entries: { path: string; label: string; before: string; after: string }[] = []
  for (const change of tree.changes()) {
    entries.push({ path: change.path, label: change.kind, before: change.before ?? '', after: change.after ?? '' })
  }
  for (const conflict of tree.conflicts()) {
    entries.push({ path: conflict.path, label: 'conflict', before: conflict.existing, after: conflict.wanted })
  }
  for (const path of tree.skipped()) entries.push({ path, label: 'skip', before: '', after: '' })
  entries.sort((a, b) => a.path.localeCompare(b.path))

  const lines: string[] = []
  for (const entry of entries) {
    lines.push(`${entry.label.padEnd(8)} ${entry.path}`)
    if (options.diff && entry.label !== 'skip') lines.push(indent(unifiedDiff(entry.path, entry.label, entry.before, entry.after)))
  }
  return lines.join('\n')
}

function unifiedDiff(path: string, label: string, before: string, after: string): string {
  const oldName = label === 'create' ? '/dev/null' : `a/${path}`
  const newName = label === 'delete' ? '/dev/null' : `b/${path}`
  const patch = createTwoFilesPatch(oldName, newName, before, after, undefined, undefined, { context: 3 })
  // Drop the "Index:"/"====" preamble: the header lines say enough.
  return patch.split('\n').filter((line) => !line.startsWith('====') && !line.startsWith('Index:')).join('\n').trimEnd()
}

function indent(text: string): string {
  return text.split('\n').map((line) => `    ${line}`).join('\n')
}
