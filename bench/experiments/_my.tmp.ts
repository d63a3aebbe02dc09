import { createTestDatabase } from '/work/wt/bulk/test/support/databases.js'
const provider = process.argv[2] as any
const database = await createTestDatabase(provider)
const db = database.db as any
const N = 5000
const now = new Date()
const handler = JSON.stringify({ name: 'NoopJob', path: 'NoopJob/NoopJob', args: [] })
const q = (n: string) => (provider === 'mysql' ? '`' + n + '`' : '"' + n + '"')
const insert = (tag: boolean) => {
  const values: unknown[] = []
  const rows: string[] = []
  for (let i = 0; i < N; i++) {
    const v = [handler, 'default', 50, now, ...(tag ? ['jobs-kit:many:abc:' + i] : []), now, now]
    rows.push('(' + v.map(() => '?').join(', ') + ')')
    values.push(...v)
  }
  return db.$executeRawUnsafe(`INSERT INTO ${q('BackgroundJob')} (handler, queue, priority, ${q('runAt')}, ${tag ? q('lockedBy') + ', ' : ''}${q('createdAt')}, ${q('updatedAt')}) VALUES ${rows.join(', ')}`, ...values)
}
const variants: Record<string, () => Promise<unknown>> = {
  insertOnly: () => insert(false),
  ...(provider === 'mysql' ? { tagged3: () => db.$transaction(async (tx: any) => {
    const t0 = performance.now()
    await insert(true)
    const t1 = performance.now()
    const rows = await tx.$queryRawUnsafe(`SELECT id, ${q('lockedBy')} AS tag FROM ${q('BackgroundJob')} WHERE id >= LAST_INSERT_ID() AND ${q('lockedBy')} LIKE ?`, 'jobs-kit:many:abc:%')
    const t2 = performance.now()
    await tx.$executeRawUnsafe(`UPDATE ${q('BackgroundJob')} SET ${q('lockedBy')} = NULL WHERE id >= ? AND ${q('lockedBy')} LIKE ?`, 0, 'jobs-kit:many:abc:%')
    const t3 = performance.now()
    parts.push([t1 - t0, t2 - t1, t3 - t2].map((v) => v.toFixed(0)).join('/'))
    return rows
  }) } : {}),
  probe: () => db.$queryRawUnsafe('SELECT ? AS d, typeof(?) AS t', now, now).then((r: any) => console.log(JSON.stringify(r))),
}
const parts: string[] = []
const ms: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
for (let round = 0; round < 7; round++) for (const [name, fn] of Object.entries(variants)) {
  const s = performance.now(); await fn(); ms[name]!.push(performance.now() - s)
  await db.$executeRawUnsafe(`DELETE FROM ${q('BackgroundJob')}`)
}
for (const [name, list] of Object.entries(ms)) { list.sort((a, b) => a - b); console.log(name, 'median', list[3]!.toFixed(0), 'ms; all', list.map((v) => v.toFixed(0)).join(' ')) }
console.log('tagged parts insert/select/update', parts.join(' '))
await database.drop()
