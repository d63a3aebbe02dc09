/**
 * Runs a MySQL/MariaDB claim transaction again when InnoDB picked it as a
 * deadlock victim (error 1213), up to `DEADLOCK_ATTEMPTS` times in all: every
 * claim goes through it (`claimOnMariadbPool`, and `inReadCommittedTransaction`
 * on the Prisma path).
 *
 * Why: concurrent claims (a DELETE of finished jobs, a locking read with
 * SKIP LOCKED, an UPDATE) by workers on different paths (the `mariadb`
 * option's one-flight claim, an app pool's two flights, Prisma) can lock rows
 * in orders that form a cycle; InnoDB then rolls back one transaction whole
 * and answers "try restarting transaction". Seen in
 * prisma-adapter-mariadb.test.ts "3 adapters × 4 concurrent loops" (1 round
 * in 40, in a clean-clone CI run too). The worker survived it (a failed find
 * is retried after sleepDelay, a failed finish-and-find records its jobs
 * alone) but logged the driver's error and slept for nothing.
 *
 * Safe to repeat: a deadlock victim's transaction is rolled back entirely
 * (its DELETE and its locks included), so the next attempt starts from the
 * same state. Only 1213: a lock wait timeout (1205) rolls back the statement
 * alone, and is left to the caller.
 */
export async function retryOnDeadlock<T>(claim: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await claim()
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error
    }
  }
}

/** Three tries: a cycle between claims is rare (1 in ~6,000 claims measured), two in a row rarer still. */
const DEADLOCK_ATTEMPTS = 3

/** InnoDB's deadlock error, from the mariadb driver (errno/code) or through Prisma (P2010 with the server's code). */
export function isDeadlock(error: unknown): boolean {
  const e = error as { errno?: unknown; code?: unknown; meta?: { code?: unknown }; message?: unknown } | null
  if (!e || typeof e !== 'object') return false
  if (e.errno === 1213 || e.code === 'ER_LOCK_DEADLOCK' || String(e.meta?.code) === '1213') return true
  return typeof e.message === 'string' && /Code: `1213`|\b1213\b.*Deadlock|Deadlock found when trying to get lock/.test(e.message)
}
