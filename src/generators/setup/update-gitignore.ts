import type { Tree } from '../../tree/tree.js'

/** Runner state that must not be committed: pid files and detached workers' logs. */
export const IGNORED_RUNNER_PATHS = ['.jobs-kit/pids/', '.jobs-kit/logs/']

/**
 * Appends the runner's state folders to `.gitignore` (creating it if needed),
 * each only when no line already ignores it (`.jobs-kit/`, `/.jobs-kit/pids`, …).
 */
export function updateGitignore(tree: Tree): void {
  const text = tree.read('.gitignore')
  const lines = (text ?? '').split(/\r?\n/).map((line) => line.trim())
  const covers = (wanted: string) => {
    const forms = new Set([wanted, wanted.replace(/\/$/, ''), `/${wanted}`, `/${wanted.replace(/\/$/, '')}`, '.jobs-kit/', '.jobs-kit', '/.jobs-kit/', '/.jobs-kit'])
    return lines.some((line) => forms.has(line))
  }
  const missing = IGNORED_RUNNER_PATHS.filter((path) => !covers(path))
  if (missing.length === 0) {
    if (text !== null) tree.write('.gitignore', text)
    return
  }
  const eol = text?.includes('\r\n') ? '\r\n' : '\n'
  const base = text === null || text === '' ? '' : text.endsWith('\n') ? `${text}${eol}` : `${text}${eol}${eol}`
  tree.write('.gitignore', `${base}# jobs-kit runner: pid files and worker logs${eol}${missing.join(eol)}${eol}`)
}
