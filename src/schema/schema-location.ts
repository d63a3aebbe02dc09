/** The database providers jobs-kit's Prisma adapter can store jobs in. */
export type JobsProvider = 'sqlite' | 'postgresql' | 'mysql'

/** Where the app's Prisma schema is, and what `setup` needs to know about it. */
export interface SchemaLocation {
  /** Relative to the tree root: a `.prisma` file, or a folder for a multi-file schema. */
  path: string
  kind: 'file' | 'folder'
  /** The datasource provider, normalised (`postgres` → `postgresql`). */
  provider: JobsProvider | string
  /** The first generator block (the client). */
  generator: { provider: string; output?: string }
  /** Name of an existing model that already is the jobs model (same fields), if any. */
  modelName?: string
  /** Folder of migrations, relative to the tree root, where Prisma would look for them. */
  migrationsPath: string
  /** The file (relative to the tree root) holding the datasource block. */
  datasourceFile: string
  /** Which rule found the schema, e.g. `--schema`, `prisma.config.ts`, `package.json "prisma.schema"`. */
  foundBy: string
}
