import { posix } from 'node:path'
import type { ProjectInfo } from '../../project/detect-project.js'
import { moduleSpecifier } from './module-specifier.js'

/** How app code imports a module setup wrote, for the next steps. */
export interface ImportHint {
  specifier: string
  /** Where the specifier works from: null for an alias (any file), else the folder a relative path starts at. */
  relativeTo: string | null
}

/** Aliases people recognise, preferred when several reach the file. */
const CONVENTIONAL_ALIASES = ['@/', '~/', 'src/', '#/']

/**
 * The specifier app code uses for `target` (relative to the app root), in a
 * form the app's compiler accepts: through a tsconfig `paths` alias whose
 * folder holds the file (`@/lib/jobs`, `@/src/lib/jobs` when `@/` is the
 * root, `@lib/jobs` for a folder alias), else relative to a file in the source
 * root. NodeNext/Node16 and JavaScript need the emitted extension even through
 * an alias (`@/lib/jobs.js`); bundler and node10 resolution take none.
 */
export function importHint(project: Pick<ProjectInfo, 'tsconfig' | 'importStyle' | 'srcRoot'>, target: string): ImportHint {
  const viaAlias = aliasSpecifiers(project, target)
  if (viaAlias.length > 0) return { specifier: viaAlias[0]!, relativeTo: null }
  return { specifier: moduleSpecifier(posix.join(project.srcRoot, 'file'), target, project.importStyle), relativeTo: project.srcRoot }
}

function aliasSpecifiers(project: Pick<ProjectInfo, 'tsconfig' | 'importStyle'>, target: string): string[] {
  const { tsconfig, importStyle } = project
  if (!tsconfig) return []
  const found: Array<{ alias: string; specifier: string }> = []
  for (const [key, targets] of Object.entries(tsconfig.paths)) {
    const first = Array.isArray(targets) ? targets[0] : undefined
    if (!key.endsWith('/*') || typeof first !== 'string' || !first.endsWith('/*')) continue
    const folder = posix.normalize(posix.join(tsconfig.pathsBase, first.slice(0, -2))).replace(/\/$/, '') || '.'
    if (folder !== '.' && !target.startsWith(`${folder}/`)) continue
    const rest = folder === '.' ? target : target.slice(folder.length + 1)
    // moduleSpecifier gives `./rest` with the app's extension rule; the alias replaces `./`.
    const alias = key.slice(0, -1)
    found.push({ alias, specifier: alias + moduleSpecifier('file', rest, importStyle).slice(2) })
  }
  const rank = (alias: string) => {
    const index = CONVENTIONAL_ALIASES.indexOf(alias)
    return index === -1 ? CONVENTIONAL_ALIASES.length : index
  }
  return found
    .sort((a, b) => rank(a.alias) - rank(b.alias) || a.specifier.length - b.specifier.length)
    .map((entry) => entry.specifier)
}
