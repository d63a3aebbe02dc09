import { posix } from 'node:path'
import type { Tree } from '../tree/tree.js'
import { PrismaClientModuleInvalidError, PrismaClientModuleNotFoundError } from './errors.js'

/** The module that exports the app's Prisma client, and how. */
export interface PrismaClientModule {
  /** Relative to the app root, e.g. `src/lib/db.ts`. */
  path: string
  /** The export to import: `db`, `prisma`, … or `default` (which is also `module.exports = client`). */
  exportName: string
}

/**
 * Where apps usually put the client, relative to the source root (and to the
 * app root as a fallback). Each is tried as a file and as a folder index
 * (`lib/prisma.ts`, then `lib/prisma/index.ts`, common in monorepos).
 */
const CANDIDATE_MODULES = [
  'lib/db', 'lib/prisma', 'db', 'prisma', 'server/db', 'server/prisma', 'lib/server/db', 'lib/server/prisma',
  'utils/db', 'utils/prisma', 'lib/database', 'database',
]
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']
/** Names we accept when a module exports several things. */
const PREFERRED_EXPORTS = ['db', 'prisma', 'client', 'prismaClient', 'database']

/**
 * Finds the module that exports the app's PrismaClient: `--db file[#name]`
 * when given, else the first of `findPrismaClientModules`. Throws with advice
 * when there is none; it never creates one (see docs/setup.md: a second
 * client would ignore the app's adapter and logging).
 */
export function findPrismaClientModule(tree: Tree, srcRoot: string, explicit?: string): PrismaClientModule {
  if (explicit) return checkExplicit(tree, explicit)
  const [first] = findPrismaClientModules(tree, srcRoot)
  if (!first) throw new PrismaClientModuleNotFoundError(searchFolders(srcRoot), CANDIDATE_MODULES, EXTENSIONS)
  return first
}

/**
 * Every candidate module (under the source root, then the app root) that
 * mentions PrismaClient and exports it as `db`, `prisma`, … or by default, in
 * order of preference. Several means the app has more than one client module
 * (a monorepo, an old and a new one): setup asks which on a terminal.
 */
export function findPrismaClientModules(tree: Tree, srcRoot: string): PrismaClientModule[] {
  const found: PrismaClientModule[] = []
  const seen = new Set<string>()
  for (const folder of searchFolders(srcRoot)) {
    for (const candidate of CANDIDATE_MODULES) {
      for (const base of [candidate, `${candidate}/index`]) {
        for (const extension of EXTENSIONS) {
          const path = posix.join(folder, base + extension)
          if (seen.has(path)) continue
          seen.add(path)
          const text = tree.read(path)
          if (text === null) continue
          if (!/PrismaClient|@prisma\/client|generated\/prisma|\/client['"]/.test(text)) continue
          const exportName = findClientExport(text)
          if (exportName) found.push({ path, exportName })
        }
      }
    }
  }
  return found
}

function searchFolders(srcRoot: string): string[] {
  return srcRoot === '.' ? ['.'] : [srcRoot, '.']
}

/**
 * The name under which a module exports its client, or null. Recognises
 * `export const db = …`, `export { prisma }`, `export { client as db }`,
 * `export default …`, `exports.db = …` and `module.exports = …`.
 */
export function findClientExport(text: string): string | null {
  const names = new Set<string>()
  for (const match of text.matchAll(/export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) names.add(match[1]!)
  for (const match of text.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of match[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim()
      if (name && name !== 'default') names.add(name)
      else if (name === 'default') names.add('default')
    }
  }
  for (const match of text.matchAll(/(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=/g)) names.add(match[1]!)
  const objectExport = /module\.exports\s*=\s*\{([^}]*)\}/.exec(text)
  if (objectExport) {
    for (const part of objectExport[1]!.split(',')) {
      const name = part.split(':')[0]!.trim()
      if (/^[A-Za-z_$][\w$]*$/.test(name)) names.add(name)
    }
  }
  for (const name of PREFERRED_EXPORTS) if (names.has(name)) return name
  const constructed = /export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)[^=]*=[^;\n]*PrismaClient/.exec(text)
  if (constructed) return constructed[1]!
  if (/export\s+default\b/.test(text) || names.has('default')) return 'default'
  if (/module\.exports\s*=\s*(?!\{)/.test(text)) return 'default'
  return null
}

function checkExplicit(tree: Tree, explicit: string): PrismaClientModule {
  const [rawPath, name] = explicit.split('#') as [string, string | undefined]
  const path = posix.normalize(rawPath.replaceAll('\\', '/').replace(/^\.\//, ''))
  const text = tree.read(path)
  if (text === null) throw new PrismaClientModuleInvalidError(explicit, `${path} does not exist`)
  if (name) return { path, exportName: name }
  const exportName = findClientExport(text)
  if (!exportName) throw new PrismaClientModuleInvalidError(explicit, `${path} exports no \`db\`, \`prisma\` or default export`)
  return { path, exportName }
}
