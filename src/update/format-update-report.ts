import { createTwoFilesPatch } from 'diff'
import type { FileChange } from '../tree/tree.js'
import type { UpdateAction, UpdateReport } from './update-vendored-files.js'

const ACTION_LABELS: Record<UpdateAction, string> = {
  updated: 'update',
  merged: 'merge',
  conflict: 'conflict',
  unresolved: 'conflict',
  added: 'create',
  removed: 'delete',
  restored: 'restore',
  kept: 'skip',
  'kept-deleted': 'skip',
  'kept-removed-upstream': 'keep',
  overwritten: 'overwrite',
}

/**
 * What `jobs-kit update` prints: one line per vendored file (action, path,
 * and why where it is not obvious), the unified diff of each planned change
 * on a dry run, then a summary and, when conflicts remain, what to do.
 */
export function formatUpdateReport(report: UpdateReport, options: { dryRun: boolean; changes: FileChange[] }): string {
  const changes = new Map(options.changes.map((change) => [change.path, change]))
  const lines: string[] = []
  if (options.dryRun) lines.push(`Dry run: nothing was written. Updating to jobs-kit ${report.version} would:`, '')

  for (const file of report.files) {
    lines.push(`${ACTION_LABELS[file.action].padEnd(8)} ${file.path}${note(file.action, file.conflicts)}`)
    const change = changes.get(file.path)
    if (options.dryRun && change) lines.push(indent(unifiedDiff(change)))
  }

  const count = (action: UpdateAction) => report.files.filter((file) => file.action === action).length
  const summary = [
    `${count('updated')} updated`,
    `${count('merged')} merged`,
    `${count('added')} added`,
    `${count('removed')} removed`,
    `${count('restored')} restored`,
    ...(count('overwritten') > 0 ? [`${count('overwritten')} overwritten`] : []),
    `${report.conflicts.length} with conflicts`,
  ].join(', ')
  lines.push('', `${options.dryRun ? 'Would update' : 'Updated'} the vendored files to jobs-kit ${report.version}: ${summary}.`)
  if (report.conflicts.length > 0) {
    lines.push(
      '',
      `${options.dryRun ? 'These files would hold' : 'These files hold'} conflict markers (<<<<<<< local … ======= … >>>>>>> jobs-kit ${report.version}):`,
      ...report.conflicts.map((path) => `  ${path}`),
    )
  }
  if (report.files.some((file) => file.action === 'kept-deleted')) {
    lines.push('', 'Files you deleted stay deleted; run `jobs-kit update --restore` to bring them back.')
  }
  return lines.join('\n')
}

function note(action: UpdateAction, conflicts: number): string {
  switch (action) {
    case 'conflict':
      return ` (${conflicts} conflict${conflicts === 1 ? '' : 's'})`
    case 'unresolved':
      return ' (conflict markers from an earlier update are still in it)'
    case 'kept-deleted':
      return ' (deleted locally)'
    case 'kept-removed-upstream':
      return ' (no longer part of jobs-kit; kept because you edited it, and no longer tracked)'
    case 'overwritten':
      return ' (your edits replaced: --force)'
    default:
      return ''
  }
}

function unifiedDiff(change: FileChange): string {
  const oldName = change.kind === 'create' ? '/dev/null' : `a/${change.path}`
  const newName = change.kind === 'delete' ? '/dev/null' : `b/${change.path}`
  const patch = createTwoFilesPatch(oldName, newName, change.before ?? '', change.after ?? '', undefined, undefined, { context: 3 })
  return patch.split('\n').filter((line) => !line.startsWith('====') && !line.startsWith('Index:')).join('\n').trimEnd()
}

function indent(text: string): string {
  return text.split('\n').map((line) => `    ${line}`).join('\n')
}
