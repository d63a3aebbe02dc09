/**
 * One racing worker process of the conformance suite's contention test.
 *
 * Reads `{ module, config, processName }` from JOBS_KIT_CONFORMANCE_CHILD,
 * opens an adapter with the module's `createAdapter(config)`, prints `ready`,
 * waits for `go` on stdin (so every process starts at once), then finds 5
 * jobs at a time and finishes them until 20 finds in a row come back empty.
 * Prints `ids [..]`, the ids it was handed, and exits.
 */
import type { JobsAdapter } from '../../src/runtime/types.js'

const { module, config, processName } = JSON.parse(process.env.JOBS_KIT_CONFORMANCE_CHILD ?? '{}') as {
  module: string
  config: unknown
  processName: string
}
const { createAdapter } = (await import(module)) as { createAdapter(config: unknown): Promise<JobsAdapter> }
const adapter = await createAdapter(config)
// Opens the adapter's connections before the race, so that the first finds do not all wait on connecting.
await adapter.find({ processName, staleAfterSeconds: 3600, queues: [], limit: 1 })
await adapter.status?.()
process.stdout.write('ready\n')
await new Promise<void>((resolve) => {
  let input = ''
  process.stdin.on('data', (chunk) => {
    input += chunk
    if (input.includes('go')) resolve()
  })
})

const ids: number[] = []
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
// An empty find can mean "the rest is locked by others right now" (MariaDB
// locks every row a filesorted locking read examines): look a few more times.
let errors = 0
for (let emptyFinds = 0; emptyFinds < 20; ) {
  let jobs
  try {
    jobs = await adapter.find({ processName, staleAfterSeconds: 3600, queues: '*', limit: 5 })
  } catch (error) {
    // As a worker does: log, wait, find again (a busy machine can time out a
    // pool's wait for a connection). What is checked is that no job is handed
    // out twice, not that every find succeeds.
    if (++errors > 5) throw error
    process.stderr.write(`find failed, trying again: ${String(error)}\n`)
    await sleep(200)
    continue
  }
  if (jobs.length === 0) {
    emptyFinds++
    await sleep(20)
    continue
  }
  emptyFinds = 0
  for (const job of jobs) {
    if (job.lockedBy !== processName || job.attempts !== 1) throw new Error(`job ${job.id} came back as ${JSON.stringify(job)}`)
    ids.push(job.id)
  }
  await Promise.all(jobs.map((job) => adapter.success({ job, deleteJob: true })))
}
await adapter.close?.()
process.stdout.write(`ids ${JSON.stringify(ids)}\n`)
process.exit(0)
