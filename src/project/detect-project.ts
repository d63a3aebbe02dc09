import type { Tree } from '../tree/tree.js'
import type { SchemaLocation } from '../schema/index.js'
import { detectImportAlias } from './detect-import-alias.js'
import { detectLanguage, type Language } from './detect-language.js'
import { detectImportStyle, detectModuleType, type ImportStyle, type ModuleType } from './detect-module-type.js'
import { detectPackageManager, type PackageManager } from './detect-package-manager.js'
import { detectSchemaWorkflow, type SchemaWorkflow } from './detect-schema-workflow.js'
import { detectSourceRoot } from './detect-source-root.js'
import { findPrismaClientModule, findPrismaClientModules, type PrismaClientModule } from './find-prisma-client.js'
import { readPackageJson, type PackageJson } from './read-package-json.js'
import { readTsconfig, type TsconfigInfo } from './read-tsconfig.js'

/** Everything `setup` needs to know about the host app. */
export interface ProjectInfo {
  packageJson: PackageJson
  packageManager: PackageManager
  language: Language
  moduleType: ModuleType
  importStyle: ImportStyle
  /** `api/src`, `src` or `.`. */
  srcRoot: string
  redwood: boolean
  tsconfig: TsconfigInfo | null
  /** tsconfig alias for the source root (`@/`, `src/`), or null. */
  importAlias: string | null
  db: PrismaClientModule
  /** Every module found exporting a client, `db` first; empty when `--db` chose. Several: setup asks on a terminal. */
  dbCandidates: PrismaClientModule[]
  schema: SchemaLocation
  /** Migrations, or `prisma db push` (then setup writes no migration). */
  schemaWorkflow: SchemaWorkflow
}

/** Options of `detectProject`: user choices that override detection. */
export interface DetectOptions {
  /** `--schema`. */
  schema?: string
  /** `--db file[#export]`. */
  db?: string
  /** `--ts` / `--js`. */
  language?: Language
}

/**
 * Detects the host app through the tree (so memfs tests work). Throws, with
 * advice, when the folder has no package.json, no Prisma schema or no module
 * exporting the Prisma client; it never writes.
 */
export async function detectProject(tree: Tree, options: DetectOptions = {}): Promise<ProjectInfo> {
  const packageJson = readPackageJson(tree)
  const { srcRoot, redwood } = detectSourceRoot(tree)
  const language = options.language ?? detectLanguage(tree, packageJson, srcRoot)
  const configCandidates = redwood
    ? ['api/tsconfig.json', 'api/jsconfig.json', 'tsconfig.json']
    : ['tsconfig.json', 'jsconfig.json']
  const tsconfig = readTsconfig(tree, configCandidates)
  // The schema is found before the client module: "no schema" is the more fundamental problem to report.
  const { findPrismaSchema } = await import('../schema/index.js')
  const schema = await findPrismaSchema(tree, { schema: options.schema })
  const dbCandidates = options.db ? [] : findPrismaClientModules(tree, srcRoot)
  return {
    packageJson,
    packageManager: detectPackageManager(tree, packageJson),
    language,
    moduleType: detectModuleType(packageJson),
    importStyle: detectImportStyle(language, tsconfig),
    srcRoot,
    redwood,
    tsconfig,
    importAlias: detectImportAlias(tsconfig, srcRoot),
    // --db, or the error saying where we looked.
    db: dbCandidates[0] ?? findPrismaClientModule(tree, srcRoot, options.db),
    dbCandidates,
    schema,
    schemaWorkflow: detectSchemaWorkflow(tree, packageJson, schema.migrationsPath),
  }
}
