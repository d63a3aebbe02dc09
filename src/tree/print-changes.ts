import { createTwoFilesPatch } from 'diff'
import type { Tree } from './tree.js'

/** Options of `formatChanges`. */
export interface FormatOptions {
  /** Append a unified diff under each create, update, delete and conflict. */
  diff: boolean
  /**
   * Folders whose entries are summarised, one line per kind of change
   * (`create   src/lib/jobs-kit/ (42 files)`), for listings where each file
   * would be noise. Conflicts are always listed one by one.
   */
  collapse?: string[]
  /** Said after each summarised folder's count, e.g. how to see its files (`--full-diff shows them`). */
  collapseHint?: string
  /**
   * Files or folders listed before everything else, in this order (the ones
   * a reviewer wants to read: the schema, the config). The rest follow in
   * path order, summarised folders last.
   */
  first?: string[]
}

/**
 * Lists what committing the tree would do, one line per file
 * (`create`, `update`, `delete`, `skip` for files already as wanted,
 * `conflict` for files that differ and need `--force`): `first` in its
 * order, then path order, each optionally followed by its unified diff.
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
  const within = (path: string, prefix: string) => {
    const folder = prefix.replace(/\/$/, '')
    return path === folder || path.startsWith(`${folder}/`)
  }
  const rank = (path: string) => {
    const index = options.first?.findIndex((prefix) => within(path, prefix)) ?? -1
    if (index !== -1) return index
    const collapsed = options.collapse?.findIndex((folder) => within(path, folder)) ?? -1
    return (options.first?.length ?? 0) + 1 + collapsed
  }
  entries.sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path))

  const lines: string[] = []
  const summarised = new Map<string, number>()
  for (const entry of entries) {
    const folder = options.collapse?.find((dir) => entry.path.startsWith(`${dir.replace(/\/$/, '')}/`))
    if (folder && entry.label !== 'conflict') {
      const key = `${entry.label.padEnd(8)} ${folder.replace(/\/$/, '')}/`
      if (!summarised.has(key)) lines.push(key)
      summarised.set(key, (summarised.get(key) ?? 0) + 1)
      continue
    }
    lines.push(`${entry.label.padEnd(8)} ${entry.path}`)
    if (options.diff && entry.label !== 'skip') lines.push(indent(unifiedDiff(entry.path, entry.label, entry.before, entry.after)))
  }
  const hint = options.collapseHint ? `; ${options.collapseHint}` : ''
  return lines.map((line) => (summarised.has(line) ? `${line} (${plural(summarised.get(line)!)}${hint})` : line)).join('\n')
}

function plural(count: number): string {
  return count === 1 ? '1 file' : `${count} files`
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
