import type { Dmmf } from './schema-wasm.js'

/**
 * What in the app's schema is in the way of the jobs model: a model, view,
 * enum or type of its name, or a model or view on its table. Used to refuse
 * with a clear message and to suggest names that are free.
 */

/** A name in the schema: a model or view (with its table and database schema), an enum or a composite type. */
export interface SchemaName {
  what: 'model' | 'enum' | 'type'
  name: string
  table?: string
  dbSchema?: string | null
}

export function namesIn(dmmf: Dmmf): SchemaName[] {
  // Views are listed among the DMMF's models.
  const { models, enums, types } = dmmf.datamodel
  return [
    ...models.map((m): SchemaName => ({ what: 'model', name: m.name, table: m.dbName ?? m.name, dbSchema: m.schema ?? null })),
    ...enums.map((e): SchemaName => ({ what: 'enum', name: e.name })),
    ...(types as Array<{ name: string }>).map((t): SchemaName => ({ what: 'type', name: t.name })),
  ]
}

/**
 * Table names compare case-insensitively (MySQL on Windows/macOS and
 * unquoted identifiers fold case), and only within one database schema.
 */
function sameTable(entry: SchemaName, table: string, dbSchema: string | undefined): boolean {
  return entry.table !== undefined && entry.table.toLowerCase() === table.toLowerCase() && (entry.dbSchema ?? null) === (dbSchema ?? null)
}

/** A model, view, enum or type already using the name, or a model or view already using the table. */
export function findClash(
  names: SchemaName[],
  modelName: string,
  tableName: string,
  dbSchema: string | undefined,
): { kind: 'model' | 'table'; existing: string; name?: string; table?: string } | undefined {
  // Two models whose names differ only in the first letter's case share a
  // client delegate (`prisma.task` for `Task` and `task`): the client then fails to load.
  const sameName = names.find(
    (entry) => entry.name === modelName || (entry.what === 'model' && lowerFirst(entry.name) === lowerFirst(modelName)),
  )
  if (sameName) return { kind: 'model', existing: sameName.what, name: sameName.name }
  const taken = names.find((entry) => sameTable(entry, tableName, dbSchema))
  if (taken) return { kind: 'table', existing: `${taken.what} ${taken.name}`, table: taken.table }
  return undefined
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

/** Whether a model `name` (case-insensitively: Prisma lower-cases the client's delegate names) or `table` is in use. */
export function isTaken(names: SchemaName[], name: string | undefined, table: string, dbSchema: string | undefined): boolean {
  return names.some((entry) => (name !== undefined && entry.name.toLowerCase() === name.toLowerCase()) || sameTable(entry, table, dbSchema))
}
