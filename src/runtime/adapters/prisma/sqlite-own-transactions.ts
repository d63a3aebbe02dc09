import { SqliteConnectionBusyError } from '../../errors.js'
import type { PrismaClientLike } from './prisma-client.js'

/**
 * How long a worker's write (find, report, heartbeat, release), a worker
 * registry or recurring schedule write, a dashboard action or `clear` waits
 * for a transaction of the app that holds the connection. A worker can wait:
 * its status writes are retried for 15 s and its locks go stale only after
 * 60 s (`defaults.ts`), so half a minute covers any transaction that keeps
 * to Prisma's default 5 s timeout many times over.
 */
export const SQLITE_WORKER_WRITE_MAX_WAIT_MS = 30_000

/**
 * How long one of our own transactions may last once it started: one
 * statement and its commit, normally a few milliseconds. Generous, because a
 * timed-out transaction is rolled back with whatever the app ran on the
 * connection meanwhile (see below), and a commit may wait for another
 * process's lock (better-sqlite3 waits up to 5 s, blocking).
 */
export const SQLITE_OWN_TRANSACTION_TIMEOUT_MS = 60_000

/** The model API's calls that write; every other call of a model delegate (`findMany`, `count`, `groupBy`, …) reads. */
const WRITE_METHODS = new Set([
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
])

/** Raw calls, whose statement says whether they write. */
const RAW_METHODS = new Set(['$queryRawUnsafe', '$executeRawUnsafe', '$queryRaw', '$executeRaw'])

/**
 * A statement that cannot write runs as it is: `SELECT`, and `PRAGMA`, which
 * SQLite refuses in a transaction for some (`journal_mode = WAL`). Anything
 * else is taken to write.
 */
const READ_ONLY_STATEMENT = /^\s*(SELECT|PRAGMA)\b/i

/**
 * The app's Prisma client on SQLite, as the runtime writes through it: every
 * write runs as an interactive transaction of its own
 * (`db.$transaction(async (tx) => …)`); reads and `$transaction` go through
 * untouched.
 *
 * Why: Prisma 7's `@prisma/adapter-better-sqlite3` has ONE connection. An
 * interactive transaction is a `BEGIN` on it, and the adapter's mutex is
 * taken only by transactions, so a statement sent outside a transaction
 * while one is open runs INSIDE it, and is undone if it rolls back. Without
 * this, the worker's claims, deletes of finished jobs and failure reports,
 * sent while the app (or a job) had a transaction open that then rolled
 * back, were undone and the jobs ran again (292 of 300 jobs ran twice in
 * bench/experiments/atk-sqlite-rollback.ts; 33 of 200 when a job's own
 * transaction failed, atk-sqlite-job-transaction.ts), and a `later()` made
 * meanwhile by another request was lost. A transaction of our own takes the
 * mutex, so it waits for theirs instead (up to `maxWaitMs`).
 *
 * The other way round, the app's statements sent outside a transaction may
 * run inside one of ours: harmless while ours commits, so ours always
 * commits: a failed write is caught inside the transaction, which commits
 * (SQLite undid the failed statement alone), and thrown after. Our
 * transaction fails only if its `BEGIN` or `COMMIT` does.
 *
 * Done on every SQLite client, whatever its driver adapter: there is no
 * public way to tell whether it shares one connection, and where it does not
 * (a pool, Prisma 6's engine; `@prisma/adapter-libsql` makes every statement
 * wait for an open transaction itself) a transaction of one statement changes
 * nothing but its cost: ~0.3 ms CPU a write through Prisma (a worker's
 * successAndFind 0.57 → 1.07 ms per job, `later()` 0.40 → 0.71 ms, load
 * 11–17, bench/experiments/sqlite-own-transactions.ts). Workers with
 * `betterSqlite3: true` write on a connection of their own and pay none of it.
 *
 * `maxWaitMs`: how long to wait for the app's transaction; undefined for the
 * client's own `transactionOptions.maxWait` (Prisma's default 2 s).
 */
export function withOwnTransactions(db: PrismaClientLike, maxWaitMs: number | undefined): PrismaClientLike {
  const alone = (call: (tx: PrismaClientLike) => Promise<unknown>) => inOwnTransaction(db, maxWaitMs, call)
  const delegates = new Map<string, unknown>()
  const bound = new Map<PropertyKey, unknown>()
  return new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key)
      if (typeof key === 'string' && RAW_METHODS.has(key) && typeof value === 'function') {
        return (...args: unknown[]) =>
          READ_ONLY_STATEMENT.test(statementText(args[0]))
            ? (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
            : alone((tx) => (tx[key] as (...a: unknown[]) => Promise<unknown>)(...args))
      }
      if (typeof key === 'string' && isModelDelegate(key, value)) {
        if (!delegates.has(key)) delegates.set(key, delegateWithOwnTransactions(key, value, alone))
        return delegates.get(key)
      }
      if (typeof value !== 'function') return value
      // Prisma's methods need the client itself as `this` (private fields), not this proxy.
      if (!bound.has(key)) bound.set(key, (value as (...a: unknown[]) => unknown).bind(target))
      return bound.get(key)
    },
  })
}

/**
 * Runs `call` in a transaction of its own on `db` (see `withOwnTransactions`):
 * a failure of `call` is thrown after the transaction commits, so what the
 * app ran on the connection meanwhile is kept.
 */
export async function inOwnTransaction<T>(db: PrismaClientLike, maxWaitMs: number | undefined, call: (tx: PrismaClientLike) => Promise<T>): Promise<T> {
  let outcome: { value: T } | { error: unknown }
  try {
    outcome = (await db.$transaction!(
      async (tx) => {
        try {
          return { value: await call(tx) }
        } catch (error) {
          return { error }
        }
      },
      { maxWait: maxWaitMs, timeout: SQLITE_OWN_TRANSACTION_TIMEOUT_MS },
    )) as typeof outcome
  } catch (error) {
    if (waitedTooLong(error)) throw new SqliteConnectionBusyError(maxWaitMs, error)
    throw error
  }
  if ('error' in outcome) throw outcome.error
  return outcome.value
}

/** Prisma's error for a transaction that could not start within `maxWait` (P2028, the code of every transaction API error, says less). */
function waitedTooLong(error: unknown): boolean {
  return error instanceof Error && error.message.includes('Unable to start a transaction in the given time')
}

/** A model delegate (`db.backgroundJob`): an object with the model API, under a name that is not Prisma's own (`$…`, `_…`). */
function isModelDelegate(key: string, value: unknown): value is Record<string, unknown> {
  return !key.startsWith('$') && !key.startsWith('_') && typeof value === 'object' && value !== null && typeof (value as { updateMany?: unknown }).updateMany === 'function'
}

function delegateWithOwnTransactions(
  name: string,
  delegate: Record<string, unknown>,
  alone: (call: (tx: PrismaClientLike) => Promise<unknown>) => Promise<unknown>,
): unknown {
  return new Proxy(delegate, {
    get(target, method) {
      const value = Reflect.get(target, method)
      if (typeof method !== 'string' || typeof value !== 'function') return value
      if (!WRITE_METHODS.has(method)) return (value as (...a: unknown[]) => unknown).bind(target)
      return (...args: unknown[]) => alone((tx) => ((tx[name] as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!)(...args))
    },
  })
}

/** The SQL of a raw call's first argument: a string, a template's strings, or a `Prisma.sql` object. */
function statementText(first: unknown): string {
  if (typeof first === 'string') return first
  if (Array.isArray(first)) return String(first[0] ?? '')
  const strings = (first as { strings?: unknown } | null)?.strings
  return Array.isArray(strings) ? String(strings[0] ?? '') : ''
}
