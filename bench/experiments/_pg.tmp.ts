import pg from 'pg'
import { createTestDatabase } from '/work/wt/bulk/test/support/databases.js'
const database = await createTestDatabase('postgresql')
const client = new pg.Client({ connectionString: database.url })
await client.connect()
const N = 5000
const now = new Date().toISOString().slice(0, -1)
const json = JSON.stringify(Array.from({ length: N }, () => ({ h: JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] }), q: 'default', p: 50, r: now })))
const variants: Record<string, [string, unknown[]]> = {
  exact: [`WITH input AS MATERIALIZED (SELECT n, e->>'h' AS handler, e->>'q' AS queue, (e->>'p')::int AS priority, (e->>'r')::timestamp(3) AS run_at FROM json_array_elements($1::json) WITH ORDINALITY AS t(e, n)),
    ids AS MATERIALIZED (SELECT n, nextval((SELECT pg_get_serial_sequence($2, $3)::regclass)) AS id FROM input),
    inserted AS (INSERT INTO "BackgroundJob" (id, handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT ids.id, input.handler, input.queue, input.priority, input.run_at, $4::timestamp(3), $4::timestamp(3) FROM input JOIN ids USING (n) RETURNING 1)
    SELECT n, id FROM ids`, [json, '"BackgroundJob"', 'id', now]],
  exactOneCte: [`WITH input AS MATERIALIZED (SELECT n, nextval((SELECT pg_get_serial_sequence($2, $3)::regclass)) AS id, e->>'h' AS handler, e->>'q' AS queue, (e->>'p')::int AS priority, (e->>'r')::timestamp(3) AS run_at FROM json_array_elements($1::json) WITH ORDINALITY AS t(e, n)),
    inserted AS (INSERT INTO "BackgroundJob" (id, handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT id, handler, queue, priority, run_at, $4::timestamp(3), $4::timestamp(3) FROM input RETURNING 1)
    SELECT n, id FROM input`, [json, '"BackgroundJob"', 'id', now]],
  plain: [`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT e->>'h', e->>'q', (e->>'p')::int, (e->>'r')::timestamp(3), $2::timestamp(3), $2::timestamp(3) FROM json_array_elements($1::json) WITH ORDINALITY AS t(e, n) ORDER BY n RETURNING id`, [json, now]],
}
for (let round = 0; round < 2; round++) for (const [name, [sql, values]] of Object.entries(variants)) {
  const ms: number[] = []
  for (let i = 0; i < 7; i++) {
    const s = performance.now(); await client.query(sql, values); ms.push(performance.now() - s)
    await client.query('DELETE FROM "BackgroundJob"')
  }
  ms.sort((a, b) => a - b)
  console.log(name, 'median', ms[3]!.toFixed(0), 'ms; all', ms.map((v) => v.toFixed(0)).join(' '))
}
await client.end()
await database.drop()
