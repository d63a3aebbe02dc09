import { posix } from 'node:path'
import { PathOutsideTreeError } from './errors.js'

/**
 * Normalises a tree path to its canonical form (`src/lib/jobs.ts`, `.` for the
 * root): forward slashes, no `./`, no trailing slash. Refuses absolute paths
 * and paths that climb out of the tree.
 */
export function normalizeTreePath(path: string, root: string): string {
  const slashed = path.replaceAll('\\', '/')
  if (posix.isAbsolute(slashed) || /^[a-zA-Z]:\//.test(slashed)) throw new PathOutsideTreeError(path, root)
  const normalized = posix.normalize(slashed).replace(/\/+$/, '')
  if (normalized === '..' || normalized.startsWith('../')) throw new PathOutsideTreeError(path, root)
  return normalized === '' ? '.' : normalized
}
