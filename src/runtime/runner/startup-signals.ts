import { REPEATED_SIGINT_WINDOW_MS } from './signals.js'

/**
 * SIGINT while the runner starts, before a worker has its own handlers.
 *
 * Loading the runner, the app's config and its Prisma client takes a second or
 * more; a Ctrl-C then (or `npm run` relaying one) used to meet Node's default
 * action, so `work` died with 130 instead of stopping as a Ctrl-C stops a
 * running worker: nothing in hand, exit 0. `cli.ts` installs this guard
 * before it loads anything else; it only notes the first SIGINT, and a worker
 * that then starts (`runWorker`, `runAttachedWorkers`) exits 0 without taking
 * a job. A second SIGINT a second or more later stops at once (130), as it
 * does for a running worker. Commands that are not workers give the signal
 * back: `release()` restores Node's default, re-raising a SIGINT that came.
 *
 * Not covered: the moments before `cli.ts` runs at all (Node and tsx
 * starting: the first line of a `.ts` file ran 1.1–1.3 s after start at load
 * 9–11, ~0.3 s for plain node), where Node's default still applies (130; no
 * job is in hand yet, so none is affected).
 */
let interruptedAt: number | undefined
/** A worker's own handlers are in place: the guard stays out of their way. */
let owned = false
let installed = false

function onSigint(): void {
  if (owned) return
  const now = Date.now()
  if (interruptedAt === undefined) interruptedAt = now
  // A second Ctrl-C (not a relayed copy of the first) while nobody can stop gracefully: stop at once, as a worker does.
  else if (now - interruptedAt >= REPEATED_SIGINT_WINDOW_MS) process.exit(130)
}

/** Notes SIGINTs from now on (called by `cli.ts` before it loads the rest of the runner). */
export function guardStartup(): void {
  if (installed) return
  installed = true
  process.on('SIGINT', onSigint)
}

/**
 * A worker's handlers are in place: returns whether a SIGINT came while it
 * was starting (it should then exit 0 without taking a job), and leaves the
 * signals to it until `takeBack()`.
 */
export function handOver(): { interrupted: boolean } {
  owned = true
  return { interrupted: interruptedAt !== undefined }
}

/** The worker removed its handlers (it is returning): SIGINTs are noted again, so a relayed copy does not kill the process while it closes. */
export function takeBack(): void {
  owned = false
}

/** Not a worker command: SIGINT gets Node's default action back, and one that came meanwhile is raised again. */
export function release(): void {
  if (!installed) return
  installed = false
  process.off('SIGINT', onSigint)
  if (interruptedAt !== undefined && process.listenerCount('SIGINT') === 0) process.kill(process.pid, 'SIGINT')
}
