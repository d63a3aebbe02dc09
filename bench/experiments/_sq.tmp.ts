import { createTestDatabase } from '/work/wt/bulk/test/support/databases.js'
const database = await createTestDatabase('sqlite')
const db = database.db as any
const N = 5000
const now = new Date()
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
const iso = now.toISOString().replace('Z', '+00:00')
const variants: Record<string, () => Promise<unknown>> = {
  values: () => {
    const values: unknown[] = []
    const rows: string[] = []
    for (let i = 0; i < N; i++) { rows.push('(?, ?, ?, ?, ?, ?)'); values.push(handler, 'default', 50, now, now, now) }
    return db.$queryRawUnsafe(`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") VALUES ${rows.join(', ')} RETURNING id`, ...values)
  },
  json: () => {
    const json = JSON.stringify(Array.from({ length: N }, () => ({ h: handler, q: 'default', p: 50, r: iso })))
    return db.$queryRawUnsafe(`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT value->>'h', value->>'q', value->>'p', value->>'r', ?, ? FROM json_each(?) ORDER BY key RETURNING id`, now, now, json)
  },
}
const ms: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
for (let round = 0; round < 9; round++) for (const [name, fn] of Object.entries(variants)) {
  const s = performance.now(); await fn(); ms[name]!.push(performance.now() - s)
  await db.$executeRawUnsafe(`DELETE FROM "BackgroundJob"`)
}
for (const [name, list] of Object.entries(ms)) { list.sort((a, b) => a - b); console.log(name, 'median', list[4]!.toFixed(0), 'ms; all', list.map((v) => v.toFixed(0)).join(' ')) }
await database.drop()
