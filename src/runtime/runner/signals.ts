/**
 * How long after a SIGINT another one counts as the same Ctrl-C.
 *
 * One keypress can arrive as two or three SIGINTs: the terminal sends it to
 * every process of the foreground group, and `npm run` and `tsx` each relay
 * it to their child as well. Measured with `npm run jobs -- work` and a 3 s
 * job, SIGINT sent to the process group: about one try in four, the worker
 * took the relayed copy for a second Ctrl-C and stopped at once, abandoning
 * the job. The copies arrive within milliseconds; a person pressing Ctrl-C
 * twice on purpose takes longer than this.
 */
export const REPEATED_SIGINT_WINDOW_MS = 1000

/**
 * Wraps a SIGINT handler so that SIGINTs arriving within `windowMs` of the
 * last one it acted on are ignored (relayed copies of the same Ctrl-C).
 */
export function oncePerKeypress(handler: () => void, windowMs = REPEATED_SIGINT_WINDOW_MS, now: () => number = Date.now): () => void {
  let lastAt = Number.NEGATIVE_INFINITY
  return () => {
    const at = now()
    if (at - lastAt < windowMs) return
    lastAt = at
    handler()
  }
}
