import type { Tree } from '../tree/tree.js'
import { InvalidJsonFileError, PackageJsonNotFoundError } from './errors.js'

/** The parts of package.json detection reads. */
export interface PackageJson {
  name?: string
  type?: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  scripts?: Record<string, string>
  prisma?: { schema?: string }
  packageManager?: string
  workspaces?: unknown
  [key: string]: unknown
}

/** Reads the app's package.json; throws `PackageJsonNotFoundError` when there is none. */
export function readPackageJson(tree: Tree): PackageJson {
  const text = tree.read('package.json')
  if (text === null) throw new PackageJsonNotFoundError(tree.root)
  try {
    const parsed = JSON.parse(text) as unknown
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
    return parsed as PackageJson
  } catch (error) {
    throw new InvalidJsonFileError('package.json', (error as Error).message)
  }
}

/** True when `name` is in dependencies or devDependencies. */
export function hasDependency(pkg: PackageJson, name: string): boolean {
  return Boolean(pkg.dependencies?.[name] ?? pkg.devDependencies?.[name])
}
