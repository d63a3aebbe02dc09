import type { Tree } from '../tree/tree.js'
import type { JobsProvider } from './schema-location.js'

/** A table as the app's migrations leave it. */
export interface MigratedTable {
  /** Its name as the creating migration spells it. */
  name: string
  /** Its columns after every migration, in creation order. */
  columns: string[]
  /** The migration folder that created it. */
  createdBy: string
}

/** Tables after replaying every migration, keyed by `tableKey`. */
export type MigratedTables = Map<string, MigratedTable>

/**
 * The tables the app's migrations leave behind, read from each
 * `<folder>/migration.sql` in the order Prisma applies them (folder names
 * sorted). Only the statements that decide whether a table exists and which
 * columns it has are followed, in the forms Prisma writes and the usual
 * hand-written ones: `CREATE TABLE`, `DROP TABLE`, `ALTER TABLE … RENAME TO`,
 * MySQL's `RENAME TABLE`, and `ALTER TABLE … ADD/DROP/RENAME COLUMN`. (SQLite
 * migrations that redefine a table — create `new_X`, drop `X`, rename — come
 * out right from those.) Anything else is ignored.
 */
export function readMigratedTables(tree: Tree, migrationsPath: string, provider: JobsProvider): MigratedTables {
  const tables: MigratedTables = new Map()
  if (!tree.exists(migrationsPath)) return tables
  for (const folder of [...tree.children(migrationsPath)].sort()) {
    const sql = tree.read(`${migrationsPath}/${folder}/migration.sql`)
    if (sql === null) continue
    for (const statement of statements(sql)) apply(tables, statement, folder, provider)
  }
  return tables
}

/**
 * How tables are told apart: case-insensitively (MySQL on macOS/Windows and
 * unquoted PostgreSQL names fold case), and on PostgreSQL by schema, where an
 * unqualified name is in `public` (the schema of a URL without `?schema=`).
 * MySQL's qualifier names a database, SQLite's an attached file: both are
 * the app's own, so they are ignored.
 */
export function tableKey(provider: JobsProvider, dbSchema: string | null | undefined, table: string): string {
  const schema = provider === 'postgresql' && dbSchema && dbSchema !== 'public' ? dbSchema : ''
  return `${schema}.${table}`.toLowerCase()
}

// One identifier, quoted the PostgreSQL/SQLite, MySQL or SQL Server way, or bare.
const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|\`[^\`]+\`|\[[^\]]+\]|[A-Za-z_][\w$]*)`
const QUALIFIED = String.raw`(?:${IDENTIFIER}\s*\.\s*)?${IDENTIFIER}`

const CREATE_TABLE = new RegExp(String.raw`^CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(${QUALIFIED})\s*\(([\s\S]*)\)[^)]*$`, 'i')
const DROP_TABLE = new RegExp(String.raw`^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(${QUALIFIED}(?:\s*,\s*${QUALIFIED})*)`, 'i')
const RENAME_TABLE = new RegExp(String.raw`^(?:ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QUALIFIED})\s+RENAME\s+TO|RENAME\s+TABLE\s+(${QUALIFIED})\s+TO)\s+(${QUALIFIED})\s*$`, 'i')
const ALTER_TABLE = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QUALIFIED})\s+([\s\S]+)$`, 'i')

/** Words that start a table constraint, not a column, in a CREATE TABLE body or after ADD/DROP. */
const NOT_A_COLUMN = /^(CONSTRAINT|PRIMARY|UNIQUE|INDEX|KEY|FOREIGN|CHECK|FULLTEXT|SPATIAL|EXCLUDE|PERIOD)\b/i

function apply(tables: MigratedTables, statement: string, folder: string, provider: JobsProvider): void {
  const key = (qualified: string) => {
    const [schema, name] = splitQualified(qualified)
    return tableKey(provider, schema, name)
  }
  let match: RegExpExecArray | null
  if ((match = CREATE_TABLE.exec(statement))) {
    const [, ifNotExists, qualified, body] = match
    if (ifNotExists && tables.has(key(qualified!))) return
    const columns = splitTopLevel(body!).map(leadingIdentifier).filter((column): column is string => column !== null)
    tables.set(key(qualified!), { name: splitQualified(qualified!)[1], columns, createdBy: folder })
  } else if ((match = DROP_TABLE.exec(statement))) {
    for (const qualified of splitTopLevel(match[1]!)) tables.delete(key(qualified))
  } else if ((match = RENAME_TABLE.exec(statement))) {
    const from = key(match[1] ?? match[2]!)
    const table = tables.get(from)
    if (!table) return
    tables.delete(from)
    tables.set(key(match[3]!), { ...table, name: splitQualified(match[3]!)[1] })
  } else if ((match = ALTER_TABLE.exec(statement))) {
    const table = tables.get(key(match[1]!))
    if (table) for (const action of splitTopLevel(match[2]!)) alterColumns(table, action)
  }
}

/** `ADD [COLUMN] x …`, `DROP [COLUMN] [IF EXISTS] x`, `RENAME [COLUMN] x TO y`; constraints and indexes are not columns. */
function alterColumns(table: MigratedTable, action: string): void {
  const [, verb, rest] = /^(ADD|DROP|RENAME)\s+(?:COLUMN\s+)?([\s\S]*)$/i.exec(action) ?? []
  if (!verb || NOT_A_COLUMN.test(rest!) || /^(TO|AS)\b/i.test(rest!)) return
  const same = (a: string) => (b: string) => a.toLowerCase() === b.toLowerCase()
  if (/^ADD$/i.test(verb)) {
    const column = leadingIdentifier(rest!.replace(/^IF\s+NOT\s+EXISTS\s+/i, ''))
    if (column && !table.columns.some(same(column))) table.columns.push(column)
  } else if (/^DROP$/i.test(verb)) {
    const column = leadingIdentifier(rest!.replace(/^IF\s+EXISTS\s+/i, ''))
    if (column) table.columns = table.columns.filter((existing) => !same(column)(existing))
  } else {
    const [, from, to] = new RegExp(String.raw`^(${IDENTIFIER})\s+TO\s+(${IDENTIFIER})`, 'i').exec(rest!) ?? []
    if (from && to) table.columns = table.columns.map((existing) => (same(unquote(from))(existing) ? unquote(to) : existing))
  }
}

/** The statements of a script, without comments. Good enough for migrations: no `;` inside string literals is expected. */
function statements(sql: string): string[] {
  return sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .split(';')
    .map((statement) => statement.trim())
    .filter(Boolean)
}

/** Splits at commas outside parentheses and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote: string | null = null
  let current = ''
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = null
    } else if (char === '"' || char === '`' || char === "'") quote = char
    else if (char === '[') quote = ']'
    else if (char === '(') depth++
    else if (char === ')') depth--
    else if (char === ',' && depth === 0) {
      parts.push(current.trim())
      current = ''
      continue
    }
    current += char
  }
  if (current.trim()) parts.push(current.trim())
  return parts
}

/** The column a CREATE TABLE item or an ADD/DROP action starts with, or null for a table constraint. */
function leadingIdentifier(item: string): string | null {
  if (NOT_A_COLUMN.test(item)) return null
  const match = new RegExp(`^${IDENTIFIER}`).exec(item.trim())
  return match ? unquote(match[0]) : null
}

function splitQualified(qualified: string): [schema: string | null, name: string] {
  const parts = splitOutsideQuotes(qualified.trim())
  return parts.length === 2 ? [unquote(parts[0]!), unquote(parts[1]!)] : [null, unquote(parts[0]!)]
}

function splitOutsideQuotes(qualified: string): string[] {
  const match = new RegExp(String.raw`^(${IDENTIFIER})\s*\.\s*(${IDENTIFIER})$`).exec(qualified)
  return match ? [match[1]!, match[2]!] : [qualified]
}

function unquote(identifier: string): string {
  const trimmed = identifier.trim()
  if (/^".*"$/s.test(trimmed)) return trimmed.slice(1, -1).replaceAll('""', '"')
  if (/^`.*`$/s.test(trimmed) || /^\[.*\]$/s.test(trimmed)) return trimmed.slice(1, -1)
  return trimmed
}
