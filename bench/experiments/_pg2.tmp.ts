import { createTestDatabase } from '/work/wt/bulk/test/support/databases.js'
const database = await createTestDatabase('postgresql')
const db = database.db as any
const N = 5000
const nowD = new Date()
const now = nowD.toISOString().slice(0, -1)
const json = JSON.stringify(Array.from({ length: N }, () => ({ h: JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] }), q: 'default', p: 50, r: now })))
const head = `WITH input AS MATERIALIZED (SELECT n, e->>'h' AS handler, e->>'q' AS queue, (e->>'p')::int AS priority, (e->>'r')::timestamp(3) AS run_at FROM json_array_elements($1::json) WITH ORDINALITY AS t(e, n)),
    ids AS MATERIALIZED (SELECT n, nextval((SELECT pg_get_serial_sequence($2, $3)::regclass)) AS id FROM input),
    inserted AS (INSERT INTO "BackgroundJob" (id, handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT ids.id, input.handler, input.queue, input.priority, input.run_at, $4::timestamp(3), $4::timestamp(3) FROM input JOIN ids USING (n) RETURNING 1)`
const values = [json, '"BackgroundJob"', 'id', now]
const variants: Record<string, () => Promise<unknown>> = {
  rows: () => db.$queryRawUnsafe(`${head} SELECT n, id FROM ids`, ...values),
  agg: () => db.$queryRawUnsafe(`${head} SELECT string_agg(id::text, ',' ORDER BY n) AS ids FROM ids`, ...values),
  plainRows: () => db.$queryRawUnsafe(`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT e->>'h', e->>'q', (e->>'p')::int, (e->>'r')::timestamp(3), $2::timestamp(3), $2::timestamp(3) FROM json_array_elements($1::json) WITH ORDINALITY AS t(e, n) ORDER BY n RETURNING id`, json, now),
  createMany: () => db.backgroundJob.createMany({ data: Array.from({ length: N }, () => ({ handler: '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', queue: 'default', priority: 50, runAt: nowD })) }),
}
const ms: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
for (const fn of Object.values(variants)) { await fn(); await db.$executeRawUnsafe('DELETE FROM "BackgroundJob"') }
for (let round = 0; round < 9; round++) for (const [name, fn] of Object.entries(variants)) {
  const s = performance.now(); await fn(); ms[name]!.push(performance.now() - s)
  await db.$executeRawUnsafe('DELETE FROM "BackgroundJob"')
}
for (const [name, list] of Object.entries(ms)) { list.sort((a, b) => a - b); console.log(name, 'median', list[4]!.toFixed(0), 'ms; all', list.map((v) => v.toFixed(0)).join(' ')) }
await database.drop()
