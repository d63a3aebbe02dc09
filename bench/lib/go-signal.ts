/**
 * The start line of a throughput or latency run. A worker process that the
 * benchmark starts with BENCH_HOLD=1 says `{ type: 'ready' }` once its code is
 * loaded and then waits for `{ type: 'go' }` before it touches the queue, so
 * every system's clock starts with all its workers up: start-up time (tsx,
 * Prisma, pools) is never measured, and never steals CPU from a run.
 */
export async function readyAndWaitForGo(): Promise<void> {
  if (!process.send || process.env.BENCH_HOLD !== '1') return
  const go = new Promise<void>((resolve) => {
    const onMessage = (message: any) => {
      if (message?.type !== 'go') return
      process.off('message', onMessage)
      resolve()
    }
    process.on('message', onMessage)
  })
  process.send({ type: 'ready' })
  await go
}
