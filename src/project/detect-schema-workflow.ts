import type { Tree } from '../tree/tree.js'
import type { PackageJson } from './read-package-json.js'

/**
 * How the app applies its Prisma schema to the database: with migrations
 * (`prisma migrate dev`, the default assumption) or with `prisma db push`
 * (prototyping, t3 apps), which keeps no migrations folder.
 */
export type SchemaWorkflow = { kind: 'migrate' } | { kind: 'db-push'; evidence: string }

const DB_PUSH = /\bprisma\b.*\bdb\s+push\b/

/**
 * `db-push` when the app has no migration yet and a package.json script runs
 * `prisma db push` (any name: `db:push`, `schema:sync`, `rw prisma db push`);
 * `migrate` otherwise. An app with migrations is a migrate app even when it
 * also has a push script (for prototyping on a scratch database).
 */
export function detectSchemaWorkflow(tree: Tree, packageJson: PackageJson, migrationsPath: string): SchemaWorkflow {
  if (hasMigrations(tree, migrationsPath)) return { kind: 'migrate' }
  const script = Object.entries(packageJson.scripts ?? {}).find(([, command]) => typeof command === 'string' && DB_PUSH.test(command))
  if (!script) return { kind: 'migrate' }
  return { kind: 'db-push', evidence: `package.json script "${script[0]}": "${script[1]}", and no migrations in ${migrationsPath}/` }
}

function hasMigrations(tree: Tree, migrationsPath: string): boolean {
  if (!tree.exists(migrationsPath)) return false
  return tree.children(migrationsPath).some((name) => tree.read(`${migrationsPath}/${name}/migration.sql`) !== null)
}
