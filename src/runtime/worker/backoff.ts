/**
 * How long a failed job waits before its next attempt: `attempts⁴` seconds,
 * where `attempts` counts the runs so far (1 after the first failure).
 *
 * 1 s, 16 s, 81 s, 4 min, 10 min, 22 min, 40 min, 68 min, … With the default
 * 24 attempts a job keeps being retried for about 20 days.
 *
 * No jitter, on purpose: the rule is the one the stored `runAt` documents,
 * so a developer reading a row can tell when it will run again, and tests can
 * check it exactly. Jitter spreads retries of many jobs that failed at the same
 * moment (a database outage); here those jobs already spread out because each
 * worker takes a few at a time, so the thundering herd jitter guards against
 * is small. Add it in your copy if your jobs call a rate-limited service.
 */
export function backoffSeconds(attempts: number): number {
  return Math.max(attempts, 1) ** 4
}

/** The `runAt` of the next attempt after a job has failed `attempts` times. */
export function retryAt(attempts: number, now: Date = new Date()): Date {
  return new Date(now.getTime() + backoffSeconds(attempts) * 1000)
}
