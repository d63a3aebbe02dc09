/**
 * The statement shapes `later.many()` chose between, per database, through
 * the Prisma client as the adapter runs them: 5,000 jobs per statement,
 * alternating variants, 9 rounds, medians. The figures are quoted in
 * src/runtime/adapters/prisma/sql/schedule-many-*.ts.
 *
 *   npx tsx bench/experiments/schedule-many-sql.ts postgresql|mysql|sqlite
 */
import { createTestDatabase, type TestProvider } from '../../test/support/databases.js'

const provider = (process.argv[2] ?? 'postgresql') as TestProvider
const database = await createTestDatabase(provider)
const db = database.db as any
const N = 5000
const now = new Date()
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
const q = (name: string) => (provider === 'mysql' ? `\`${name}\`` : `"${name}"`)
const table = q('BackgroundJob')

/** A multi-row VALUES list with every value bound (`extra` adds the MySQL tag column). */
function valuesInsert(client: any, tag?: string): Promise<unknown> {
  const values: unknown[] = []
  const rows: string[] = []
  for (let i = 0; i < N; i++) {
    const row = [handler, 'default', 50, now, ...(tag ? [tag + i] : []), now, now]
    rows.push(`(${row.map((_, j) => (provider === 'postgresql' ? `$${values.length + j + 1}` : '?')).join(', ')})`)
    values.push(...row)
  }
  const columns = `handler, queue, priority, ${q('runAt')}, ${tag ? `${q('lockedBy')}, ` : ''}${q('createdAt')}, ${q('updatedAt')}`
  const sql = `INSERT INTO ${table} (${columns}) VALUES ${rows.join(', ')}`
  return provider === 'mysql' ? client.$executeRawUnsafe(sql, ...values) : client.$queryRawUnsafe(`${sql} RETURNING id`, ...values)
}

const pgNow = now.toISOString().slice(0, -1)
const pgJson = JSON.stringify(Array.from({ length: N }, () => ({ h: handler, q: 'default', p: 50, r: pgNow })))
const pgNestedJson = JSON.stringify(Array.from({ length: N }, () => ({ h: JSON.parse(handler), q: 'default', p: 50, r: pgNow })))
const pgHead = (handlerExpression: string) => `WITH input AS MATERIALIZED (SELECT n, ${handlerExpression} AS handler, e->>'q' AS queue, (e->>'p')::int AS priority, (e->>'r')::timestamp(3) AS run_at FROM json_array_elements($1::json) WITH ORDINALITY AS t(e, n)),
  ids AS MATERIALIZED (SELECT n, nextval((SELECT pg_get_serial_sequence($2, $3)::regclass)) AS id FROM input),
  inserted AS (INSERT INTO ${table} (id, handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT ids.id, input.handler, input.queue, input.priority, input.run_at, $4::timestamp(3), $4::timestamp(3) FROM input JOIN ids USING (n) RETURNING 1)`

const variants: Record<string, () => Promise<unknown>> =
  provider === 'postgresql'
    ? {
        'json, handler as a string, ids as rows': () => db.$queryRawUnsafe(`${pgHead("e->>'h'")} SELECT n, id FROM ids`, pgJson, table, 'id', pgNow),
        'json, handler as a string, ids as one string': () => db.$queryRawUnsafe(`${pgHead("e->>'h'")} SELECT string_agg(id::text, ',' ORDER BY n) AS ids FROM ids`, pgJson, table, 'id', pgNow),
        'json, handler nested, ids as one string (chosen)': () =>
          db.$queryRawUnsafe(`${pgHead("(e->'h')::text")} SELECT string_agg(id::text, ',' ORDER BY n) AS ids FROM ids`, pgNestedJson, table, 'id', pgNow),
        'values list': () => valuesInsert(db),
        createMany: () => db.backgroundJob.createMany({ data: Array.from({ length: N }, () => ({ handler, queue: 'default', priority: 50, runAt: now })) }),
      }
    : provider === 'sqlite'
      ? {
          'values list': () => valuesInsert(db),
          'json_each (chosen)': () =>
            db.$queryRawUnsafe(
              `INSERT INTO ${table} (handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT json_extract(value, '$.h'), json_extract(value, '$.q'), json_extract(value, '$.p'), json_extract(value, '$.r'), ?, ? FROM json_each(?) ORDER BY key RETURNING id`,
              now,
              now,
              JSON.stringify(Array.from({ length: N }, () => ({ h: handler, q: 'default', p: 50, r: now.toISOString().replace('Z', '+00:00') }))),
            ),
        }
      : {
          'values list alone (ids unknown)': () => db.$transaction((tx: any) => valuesInsert(tx)),
          'values list + tag read-back + clear (chosen)': () =>
            db.$transaction(async (tx: any) => {
              await valuesInsert(tx, 'jobs-kit:many:experiment:')
              await tx.$queryRawUnsafe(`SELECT id, ${q('lockedBy')} FROM ${table} WHERE id >= LAST_INSERT_ID() AND ${q('lockedBy')} LIKE ?`, 'jobs-kit:many:experiment:%')
              await tx.$executeRawUnsafe(`UPDATE ${table} SET ${q('lockedBy')} = NULL WHERE id >= 0 AND ${q('lockedBy')} LIKE ?`, 'jobs-kit:many:experiment:%')
            }),
        }

const ms: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]))
try {
  for (const run of Object.values(variants)) {
    await run() // warm-up
    await db.$executeRawUnsafe(`DELETE FROM ${table}`)
  }
  for (let round = 0; round < 9; round++) {
    for (const [name, run] of Object.entries(variants)) {
      const started = performance.now()
      await run()
      ms[name]!.push(performance.now() - started)
      await db.$executeRawUnsafe(`DELETE FROM ${table}`)
    }
  }
  for (const [name, list] of Object.entries(ms)) {
    list.sort((a, b) => a - b)
    console.log(`${provider} ${name}: median ${list[4]!.toFixed(0)} ms; all ${list.map((v) => v.toFixed(0)).join(' ')}`)
  }
} finally {
  await database.drop()
}
