/**
 * After an empty look, the next waits at least this long, doubling with each
 * further empty look up to `SQLITE_LOOK_MAX_GAP_MS`; a look that finds a due
 * job starts the doubling over. A commit after a quiet spell is looked at
 * at once, so a job scheduled on a quiet app is still picked up within a few
 * milliseconds; an app committing without pause costs an idle worker at most
 * 1000 / 50 = 20 looks a second, and a job it schedules then waits for the
 * next look, 50 ms at most (never past `sleepDelay`: the worker's own poll
 * does not depend on wake-ups).
 */
export const SQLITE_LOOK_FIRST_GAP_MS = 5
export const SQLITE_LOOK_MAX_GAP_MS = 50
/** While every worker is busy, how often a commit held for later checks whether one went to sleep. */
export const SQLITE_ASLEEP_CHECK_MS = 5

/**
 * Between the SQLite commit watcher (`sqlite-commit-watcher.ts`) and the
 * idle workers of this process: on a commit by any process, looks whether a
 * job is due (a read, `sql/any-due-job-sqlite.ts`) and wakes the workers
 * only then, and after looks that found nothing, looks less often (see
 * `SQLITE_LOOK_MAX_GAP_MS`). Without it every commit of the app cost every
 * idle worker a `find`, a writing `UPDATE … RETURNING` that takes SQLite's
 * write lock even when it finds nothing, up to 100 a second.
 *
 * Both halves are needed. Through Prisma, a read costs about what an empty
 * find costs in CPU (both ~1 ms: the cost is Prisma's raw-query path, not
 * SQLite), so the look alone only spares the write lock; the gap is what
 * spares the CPU. Measured (bench/experiments/sqlite-idle-cost.ts, 2-core
 * machine at load average 8–12; before → after, ranges over 3 rounds; the
 * full table is in docs/worker.md):
 *
 * | 1 idle worker, app commits/s | worker CPU ms/s | finds/s  | reads/s | pickup p50  |
 * |------------------------------|-----------------|----------|---------|-------------|
 * | 100                          | 133–183 → 40–58 | 79–99 → 0 | 0 → 19.5 | 8–11 → 41–46 ms |
 * | 500                          | 168–195 → 65–75 | 84–96 → 0 | 0 → 19   | 10–11 → 39–46 ms |
 * | quiet app                    | –               | –        | –       | 6–8 → 10–26 ms |
 *
 * With 4 worker processes the CPU per worker goes from 90–188 to 36–88 ms/s
 * and pickup under load is 12–18 ms p50 (their looks fall at different
 * times). A 100 ms gap (tried first) halves the reads again, but one
 * worker's pickup under load was then 69 ms p50; 50 ms keeps a job the app
 * schedules while busy well under a tenth of a second.
 *
 * No wake-up is lost: one look runs at a time, and a commit seen while a
 * look is under way or waiting for its gap is looked at by a look that
 * starts after it. The look that read just before a job's commit is
 * therefore always followed by one that sees the job.
 *
 * While no worker of the process sleeps (all of them running jobs, as
 * through a backlog), a commit is held instead of looked at: a busy worker
 * looks for its next job itself, and the workers' own claims and deletes
 * would otherwise cost a read each (a look that finds the backlog due does
 * not back off). A held commit is looked at as soon as a worker is seen
 * asleep (checked every `SQLITE_ASLEEP_CHECK_MS`), so a job committed just
 * before a worker went to sleep still wakes it.
 */
export class SqliteWakeFilter {
  private looking = false
  /** A commit was seen during the look under way: look again after it. */
  private lookAgain = false
  private nextLook: NodeJS.Timeout | undefined
  private lastLookEndedAt = 0
  private emptyLooks = 0
  /** Checks again whether a worker sleeps, for a commit held while all were busy. */
  private asleepCheck: NodeJS.Timeout | undefined

  constructor(
    /** Resolves true when a job is due for one of the idle workers. */
    private readonly anyDueJob: () => Promise<boolean>,
    private readonly wake: () => void,
    /** Whether some worker sleeps between polls now. */
    private readonly anyoneAsleep: () => boolean = () => true,
  ) {}

  /** Another process (or this one) committed to the database file. */
  committed(): void {
    if (this.looking) this.lookAgain = true
    else if (this.anyoneAsleep()) this.scheduleLook()
    else this.holdUntilAsleep()
  }

  /** Cancels a look waiting for its gap, and a held commit. */
  stop(): void {
    clearTimeout(this.nextLook)
    this.nextLook = undefined
    clearTimeout(this.asleepCheck)
    this.asleepCheck = undefined
  }

  private holdUntilAsleep(): void {
    if (this.asleepCheck) return
    this.asleepCheck = setTimeout(() => {
      this.asleepCheck = undefined
      this.committed()
    }, SQLITE_ASLEEP_CHECK_MS)
    this.asleepCheck.unref()
  }

  private scheduleLook(): void {
    // A look already waiting starts after this commit's event: it will see the commit.
    if (this.nextLook) return
    const gapMs = this.emptyLooks === 0 ? 0 : Math.min(SQLITE_LOOK_MAX_GAP_MS, SQLITE_LOOK_FIRST_GAP_MS * 2 ** (this.emptyLooks - 1))
    this.nextLook = setTimeout(() => {
      this.nextLook = undefined
      void this.look()
    }, Math.max(0, this.lastLookEndedAt + gapMs - Date.now()))
    // Never keeps the process alive on its own (the watcher does not either).
    this.nextLook.unref()
  }

  private async look(): Promise<void> {
    this.looking = true
    this.lookAgain = false
    let due: boolean
    try {
      due = await this.anyDueJob()
    } catch {
      // A look that failed (the database busy or closing) wakes: the workers' find decides, as without the look.
      due = true
    }
    this.looking = false
    this.lastLookEndedAt = Date.now()
    this.emptyLooks = due ? 0 : this.emptyLooks + 1
    if (due) this.wake()
    if (this.lookAgain) {
      this.lookAgain = false
      this.committed()
    }
  }
}
