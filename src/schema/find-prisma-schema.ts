import { posix, isAbsolute, relative } from 'node:path'
import type { Tree } from '../tree/tree.js'
import {
  DatasourceNotFoundError,
  SchemaFileInFolderError,
  SchemaNotFoundError,
  SchemaPathNotFoundError,
  SchemaValidationError,
  UnsupportedProviderError,
} from './errors.js'
import { findEnclosingSchemaFolder } from './enclosing-schema-folder.js'
import { findExistingJobsModel } from './jobs-model.js'
import { readPrismaConfig } from './read-prisma-config.js'
import { readSchemaFiles } from './schema-files.js'
import type { JobsProvider, SchemaLocation } from './schema-location.js'
import { getDmmf, getSchemaConfig } from './schema-wasm.js'

/** Options of `findPrismaSchema`. */
export interface FindPrismaSchemaOptions {
  /** `--schema`: a file or a folder, relative to the tree root (or absolute inside it). */
  schema?: string
}

/**
 * Finds the app's Prisma schema the way the Prisma CLI does, then reads its
 * datasource and generator. Order: `--schema`; `schema` in prisma.config.*;
 * `prisma.schema` in package.json; `schema.prisma`, then
 * `prisma/schema.prisma` (Prisma's own order); then two places Prisma itself
 * only finds when configured: a `prisma/schema/` folder (the old
 * `prismaSchemaFolder` default) and RedwoodJS's `api/db/schema.prisma`.
 * A path that is configured but missing is an error, not a reason to keep
 * looking: Prisma would fail on it too.
 */
export async function findPrismaSchema(tree: Tree, options: FindPrismaSchemaOptions = {}): Promise<SchemaLocation> {
  const config = readPrismaConfig(tree)
  const { path, kind, foundBy } = locateSchema(tree, options, config?.schema, config?.file)
  // --schema at one file of the folder the app's prisma.config reads: that file may
  // validate on its own (the one with the datasource), but Prisma reads them all.
  const configuredFolder = config?.schema ? posix.normalize(config.schema).replace(/\/+$/, '') : undefined
  if (options.schema !== undefined && kind === 'file' && configuredFolder && path.startsWith(`${configuredFolder}/`)) {
    throw new SchemaFileInFolderError(path, configuredFolder, foundBy)
  }
  const files = readSchemaFiles(tree, { path, kind })
  if (files.length === 0) throw new SchemaPathNotFoundError(`${path}/*.prisma`, foundBy)

  // One file of a multi-file schema (a 37-file schema gives 135 lines of "type not found" on its own): name the folder.
  const rejectFileOfFolder = () => {
    const folder = kind === 'file' ? findEnclosingSchemaFolder(tree, path) : null
    if (folder) throw new SchemaFileInFolderError(path, folder, foundBy)
  }

  const { datasources, generators, errors } = getSchemaConfig(files)
  const datasource = datasources[0]
  if (!datasource) {
    rejectFileOfFolder()
    // An unreadable datasource block (e.g. an unknown provider) is reported as Prisma words it.
    const datasourceErrors = errors.filter((message) => !/no longer supported in schema files/.test(message))
    if (datasourceErrors.length > 0) throw new SchemaValidationError(path, datasourceErrors.join('\n'), 'before')
    throw new DatasourceNotFoundError(path)
  }
  const provider = normalizeProvider(datasource.activeProvider || datasource.provider)
  if (!isJobsProvider(provider)) throw new UnsupportedProviderError(provider, datasource.sourceFilePath)

  let dmmf
  try {
    dmmf = getDmmf(files)
  } catch (error) {
    rejectFileOfFolder()
    throw new SchemaValidationError(path, (error as Error).message, 'before')
  }

  const generator = generators.find((g) => /^prisma-client/.test(g.provider.value ?? '')) ?? generators[0]
  const location: SchemaLocation = {
    path,
    kind,
    provider,
    generator: { provider: generator?.provider.value ?? '' },
    migrationsPath: config?.migrationsPath ?? defaultMigrationsPath(tree, path, kind, datasource.sourceFilePath),
    datasourceFile: datasource.sourceFilePath,
    foundBy,
  }
  if (generator?.output?.value) location.generator.output = generator.output.value
  const existing = findExistingJobsModel(dmmf, provider)
  if (existing) location.modelName = existing.name
  return location
}

interface Located {
  path: string
  kind: 'file' | 'folder'
  foundBy: string
}

function locateSchema(tree: Tree, options: FindPrismaSchemaOptions, configSchema?: string, configFile?: string): Located {
  if (options.schema) return configured(tree, toTreePath(tree, options.schema), '--schema')
  if (configSchema && configFile) return configured(tree, configSchema, configFile)

  const packageSchema = readPackageJsonSchema(tree)
  if (packageSchema) return configured(tree, packageSchema, 'package.json "prisma.schema"')

  const defaults: Array<[string, string]> = [
    ['schema.prisma', 'default location'],
    ['prisma/schema.prisma', 'default location'],
    ['prisma/schema', 'multi-file schema folder'],
  ]
  if (tree.exists('redwood.toml')) defaults.push(['api/db/schema.prisma', 'RedwoodJS layout'])
  for (const [path, foundBy] of defaults) {
    const kind = kindOf(tree, path)
    if (kind === 'file' || (kind === 'folder' && readSchemaFiles(tree, { path, kind }).length > 0)) {
      return { path, kind, foundBy }
    }
  }
  const searched = ['--schema (not given)', 'prisma.config.* "schema"', 'package.json "prisma.schema"']
  searched.push(...defaults.map(([path]) => path))
  throw new SchemaNotFoundError(searched)
}

function configured(tree: Tree, path: string, foundBy: string): Located {
  const normalized = posix.normalize(path).replace(/\/$/, '') || '.'
  const kind = kindOf(tree, normalized)
  if (!kind) throw new SchemaPathNotFoundError(normalized, foundBy)
  return { path: normalized, kind, foundBy }
}

function kindOf(tree: Tree, path: string): 'file' | 'folder' | null {
  if (tree.read(path) !== null) return 'file'
  return tree.exists(path) ? 'folder' : null
}

function toTreePath(tree: Tree, path: string): string {
  const slashed = path.replace(/\\/g, '/')
  return isAbsolute(slashed) ? relative(tree.root, slashed).replace(/\\/g, '/') || '.' : slashed
}

function readPackageJsonSchema(tree: Tree): string | undefined {
  const text = tree.read('package.json')
  if (!text) return undefined
  try {
    const schema = (JSON.parse(text) as { prisma?: { schema?: unknown } }).prisma?.schema
    return typeof schema === 'string' ? schema : undefined
  } catch {
    return undefined // an unreadable package.json is project detection's error to report
  }
}

/**
 * Where Prisma looks for migrations when prisma.config does not say: next to a
 * single-file schema; inside a schema folder for Prisma 7; next to the file
 * with the datasource block for Prisma 6 (the two agree when that file is at
 * the top of the folder, as Prisma recommends).
 */
function defaultMigrationsPath(tree: Tree, path: string, kind: 'file' | 'folder', datasourceFile: string): string {
  const dir = kind === 'file' ? posix.dirname(path) : (prismaMajorVersion(tree) ?? 7) < 7 ? posix.dirname(datasourceFile) : path
  return dir === '.' ? 'migrations' : `${dir}/migrations`
}

function prismaMajorVersion(tree: Tree): number | undefined {
  try {
    const pkg = JSON.parse(tree.read('package.json') ?? '{}') as Record<string, Record<string, string> | undefined>
    const range = pkg.devDependencies?.prisma ?? pkg.dependencies?.prisma ?? pkg.dependencies?.['@prisma/client']
    const major = range ? /(\d+)/.exec(range)?.[1] : undefined
    return major ? Number(major) : undefined
  } catch {
    return undefined
  }
}

function normalizeProvider(provider: string): string {
  return provider === 'postgres' ? 'postgresql' : provider
}

function isJobsProvider(provider: string): provider is JobsProvider {
  return provider === 'sqlite' || provider === 'postgresql' || provider === 'mysql'
}
