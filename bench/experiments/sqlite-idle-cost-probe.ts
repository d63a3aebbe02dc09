/**
 * Loaded with `--import` into each worker of bench/experiments/sqlite-idle-cost.ts:
 * counts the PrismaAdapter's `find` calls and the commit watcher's looks
 * (one `subscribedQueues()` per look; absent before the look existed), and
 * answers `{ type: 'probe' }` over IPC with the counts.
 */
const root = process.env.PROBE_ROOT!
const { PrismaAdapter } = await import(`${root}/src/runtime/adapters/prisma/prisma-adapter.ts`)
const counts = { finds: 0, looks: 0 }
const prototype = PrismaAdapter.prototype as Record<string, (...args: unknown[]) => unknown>
for (const [method, key] of [['find', 'finds'], ['subscribedQueues', 'looks']] as const) {
  const original = prototype[method]
  if (!original) continue
  prototype[method] = function (this: unknown, ...args: unknown[]) {
    counts[key]++
    return original.apply(this, args)
  }
}
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'probe') process.send!({ type: 'probe', ...counts })
})
