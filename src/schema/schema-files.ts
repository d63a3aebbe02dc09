import type { Tree } from '../tree/tree.js'
import type { SchemaFiles } from './schema-wasm.js'

/**
 * The `.prisma` files of a schema, as `[path, content]` pairs with paths
 * relative to the tree root. A folder is read recursively, like Prisma does
 * for multi-file schemas (`prisma/schema/models/user.prisma` counts);
 * `migrations` and `node_modules` are skipped.
 */
export function readSchemaFiles(tree: Tree, location: { path: string; kind: 'file' | 'folder' }): SchemaFiles {
  if (location.kind === 'file') return [[location.path, tree.read(location.path) ?? '']]
  const files: SchemaFiles = []
  collect(tree, location.path, files)
  return files
}

function collect(tree: Tree, dir: string, files: SchemaFiles): void {
  for (const name of tree.children(dir)) {
    const path = dir === '.' ? name : `${dir}/${name}`
    const content = tree.read(path)
    if (content !== null) {
      if (name.endsWith('.prisma')) files.push([path, content])
    } else if (name !== 'migrations' && name !== 'node_modules') {
      collect(tree, path, files)
    }
  }
}
