/**
 * Driver process for one system (spawned by run.ts): measures it and sends
 * `{ type: 'result', system, figures }` back over IPC.
 *
 *   tsx bench/measure-system.ts --system graphile-worker [--quick] [--concurrency 1]
 */
import { parseArgs } from 'node:util'
import { getCounts } from './lib/counts.js'
import { dropAllBenchDatabases } from './lib/databases.js'
import { measureSystem } from './lib/measure.js'
import { killAllWorkers } from './lib/processes.js'
import type { QueueSystem } from './lib/queue-system.js'
import { getSystemSpecs } from './lib/systems.js'

const { values: flags } = parseArgs({
  options: { system: { type: 'string' }, quick: { type: 'boolean', default: false }, concurrency: { type: 'string', default: '1' } },
})
const counts = getCounts(flags.quick!, Number(flags.concurrency))
const spec = getSystemSpecs(counts).find((s) => s.id === flags.system)
if (!spec) throw new Error(`unknown system ${flags.system}; one of: ${getSystemSpecs(counts).map((s) => s.id).join(', ')}`)

let current: QueueSystem | undefined
let cleaning: Promise<void> | undefined
const cleanUp = () =>
  (cleaning ??= (async () => {
    killAllWorkers()
    // close() drops the system's database; do not let a stuck connection keep the process alive.
    await Promise.race([current?.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10_000))])
    await dropAllBenchDatabases()
  })())
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void cleanUp().finally(() => process.exit(130)))
process.on('disconnect', () => void cleanUp().finally(() => process.exit(130)))

const result = await measureSystem(spec, counts, (system) => (current = system))
current = undefined
await new Promise<void>((resolve) => process.send!({ type: 'result', ...result }, () => resolve()))
process.exit(0)
