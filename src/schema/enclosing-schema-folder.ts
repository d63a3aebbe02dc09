import { posix } from 'node:path'
import type { Tree } from '../tree/tree.js'
import { readSchemaFiles } from './schema-files.js'
import { getSchemaConfig, validateSchema } from './schema-wasm.js'

/**
 * The multi-file schema folder that `file` belongs to, when `file` on its own
 * does not make a schema but a folder around it does: the nearest ancestor
 * folder (below the app root) whose `.prisma` files, read as Prisma reads a
 * schema folder, include `file`, have a datasource and validate. Null when
 * there is none, so the engine's own message is the right thing to show.
 *
 * Used only after `file` failed, so a schema that works is never questioned.
 */
export function findEnclosingSchemaFolder(tree: Tree, file: string): string | null {
  for (let dir = posix.dirname(file); dir !== '.' && dir !== '/' && dir !== ''; dir = posix.dirname(dir)) {
    const files = readSchemaFiles(tree, { path: dir, kind: 'folder' })
    if (files.length < 2 || !files.some(([path]) => path === file)) continue
    if (getSchemaConfig(files).datasources.length === 0) continue
    if (validateSchema(files) === null) return dir
  }
  return null
}
