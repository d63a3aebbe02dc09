import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'
import type { Logger } from '../../types.js'

/**
 * Milliseconds of quiet after the last write to the database files before
 * workers are woken. One commit is several writes (rollback journal: journal
 * created, written, database pages written, journal deleted; WAL: frames
 * appended, the last one the commit); waking on the first would let a worker
 * look before the commit is visible. The last event of a commit is its
 * commit point (the journal's deletion, or the WAL commit frame), so a short
 * quiet after it is enough.
 */
export const SQLITE_WAKE_SETTLE_MS = 2

/**
 * Wake-ups are rationed like tokens: up to `SQLITE_WAKE_BURST` at once, one
 * more every `SQLITE_WAKE_REFILL_MS`. Every commit to the database is told,
 * the app's own writes too, and each costs a look for a due job
 * (`sqlite-wake-filter.ts`, which spaces its looks further); this caps that
 * at 1000 / 10 = 100 a second however busy the app writes. The burst lets the few commits around
 * one job (the scheduler's insert, a worker's lock, its delete) each wake at
 * once: with a plain 20 ms gap between wake-ups instead, the next job's
 * insert usually fell inside the gap opened by the previous job's delete,
 * and pickup p50 (bench, SQLite, worker in another process) was 17.5 ms.
 */
export const SQLITE_WAKE_BURST = 4
export const SQLITE_WAKE_REFILL_MS = 10

/** The longest a wake-up waits for the files to go quiet: an app writing without pause still wakes workers. */
export const SQLITE_WAKE_MAX_WAIT_MS = 20

/**
 * Tells this process when another one committed to a SQLite database file,
 * so idle workers look at once instead of at their next poll.
 *
 * How: `fs.watch` on the database's folder (inotify on Linux, FSEvents on
 * macOS, ReadDirectoryChangesW on Windows), keeping the events of the
 * database file, its `-wal` and its `-journal`. The folder, not the files:
 * the `-wal` and `-journal` files come and go (the WAL is deleted when the
 * last connection closes), and a watch on a file ends when it is deleted.
 * Reads never write to these files, so idle workers polling cause no events:
 * a wake-up whose `find` finds nothing writes nothing and wakes no one.
 *
 * Measured (bench/experiments/sqlite-wake.ts, one process committing an
 * INSERT every 30 ms, another watching; 2-core machine under load):
 *
 * | method                          | DELETE journal p50 / p95 | WAL p50 / p95  | idle CPU      |
 * |---------------------------------|--------------------------|----------------|---------------|
 * | fs.watch on the folder (chosen) | < 0.1 / < 0.1 ms         | < 0.1 / 1.7 ms | 0.1 ms/s      |
 * | fs.watch on the files           | < 0.1 / 0.1 ms           | < 0.1 / 0.4 ms | 0.1 ms/s      |
 * | stat() of the files every 5 ms  | 2.2 / 4.4 ms             | 2.8 / 5.0 ms   | 34–51 ms/s    |
 * | PRAGMA data_version every 5 ms  | 2.0 / 9.6 ms             | 2.8 / 5.3 ms   | 20–23 ms/s    |
 * | PRAGMA data_version every 20 ms | 8.5 / 17.8 ms            | 10.3 / 19.9 ms | 7–11 ms/s     |
 *
 * Watching costs nothing while idle (no timer fires); polling at a few
 * milliseconds costs 2–5 % of a core per worker for a latency that is still
 * worse. `data_version` would also need a connection of our own (the
 * `better-sqlite3` package) beside Prisma's.
 *
 * Where events do not arrive (network file systems, a database shared through
 * a VM's mounted folder with a writer on the other side), nothing breaks:
 * workers poll every `sleepDelay` as always. This only ever makes a worker
 * look sooner.
 */
export class SqliteCommitWatcher {
  private watcher: FSWatcher | undefined
  private settleTimer: NodeJS.Timeout | undefined
  /** Wake-ups available now (see `SQLITE_WAKE_BURST`), as of `tokensAt`. */
  private tokens = SQLITE_WAKE_BURST
  private tokensAt = Date.now()
  /** When the first write not yet followed by a wake-up was seen. */
  private pendingSince: number | undefined
  private readonly names: Set<string>

  constructor(
    private readonly file: string,
    private readonly onCommit: () => void,
    private readonly logger: Logger,
  ) {
    const name = basename(file)
    this.names = new Set([name, `${name}-wal`, `${name}-journal`])
  }

  /** Starts watching; throws when the folder cannot be watched (the caller then polls only). */
  start(): void {
    // persistent: false, so an idle worker's watch never keeps a process alive on its own.
    const watcher = watch(dirname(this.file), { persistent: false }, (_event, name) => {
      // Some platforms leave out the name: then any change in the folder counts.
      if (name === null || this.names.has(String(name))) this.changed()
    })
    watcher.on('error', (error) => {
      this.logger.warn(
        `[jobs-kit] stopped watching ${this.file} for new jobs (${error.message}); workers keep polling every sleepDelay`,
      )
      this.stop()
    })
    this.watcher = watcher
  }

  stop(): void {
    clearTimeout(this.settleTimer)
    this.settleTimer = undefined
    this.pendingSince = undefined
    this.watcher?.close()
    this.watcher = undefined
  }

  /**
   * Each write pushes the wake-up back until the files are quiet, but never
   * past `SQLITE_WAKE_MAX_WAIT_MS` after the first write of the burst, and
   * never before a wake-up token is available.
   */
  private changed(): void {
    const now = Date.now()
    this.pendingSince ??= now
    this.refill(now)
    const quietAt = Math.min(now + SQLITE_WAKE_SETTLE_MS, this.pendingSince + SQLITE_WAKE_MAX_WAIT_MS)
    const tokenAt = this.tokens >= 1 ? now : now + (1 - this.tokens) * SQLITE_WAKE_REFILL_MS
    const fireAt = Math.max(quietAt, tokenAt)
    clearTimeout(this.settleTimer)
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined
      this.pendingSince = undefined
      this.refill(Date.now())
      this.tokens -= 1
      this.onCommit()
    }, Math.max(0, fireAt - now))
    this.settleTimer.unref()
  }

  private refill(now: number): void {
    this.tokens = Math.min(SQLITE_WAKE_BURST, this.tokens + (now - this.tokensAt) / SQLITE_WAKE_REFILL_MS)
    this.tokensAt = now
  }
}
