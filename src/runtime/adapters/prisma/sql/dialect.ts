/** The SQL flavours the adapter writes raw SQL for. Other providers use the Prisma model API only. */
export type SqlDialect = 'postgresql' | 'mysql' | 'sqlite'

/** Quotes a table or column name: backticks for MySQL, double quotes for the others. */
export function quoteIdentifier(dialect: SqlDialect | 'other', name: string): string {
  if (dialect === 'mysql') return `\`${name.replaceAll('`', '``')}\``
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * Collects the values of one statement and hands out their placeholders, so
 * values are always bound parameters, never spliced into the SQL text.
 * PostgreSQL numbers them (`$1`); MySQL and SQLite use `?` in order.
 */
export class SqlParameters {
  readonly values: unknown[] = []

  constructor(private readonly dialect: SqlDialect) {}

  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value)
    return this.dialect === 'postgresql' ? `$${this.values.length}` : '?'
  }

  /**
   * PostgreSQL: the placeholder of `value` when this very value (`===`) was
   * added already, else adds it. Fewer parameters cost the Prisma raw-query
   * path less CPU per statement (see `find-postgresql.ts`). Other dialects
   * number nothing: `?` and a new value each time.
   */
  addOnce(value: unknown): string {
    if (this.dialect !== 'postgresql') return this.add(value)
    const index = this.values.indexOf(value)
    return index >= 0 ? `$${index + 1}` : this.add(value)
  }

  /** Adds a list and returns `(p1, p2, …)` for an `IN` clause. The list must not be empty. */
  addList(values: readonly unknown[]): string {
    return `(${values.map((value) => this.add(value)).join(', ')})`
  }
}
