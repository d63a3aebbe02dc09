/**
 * What every benchmarked queue (jobs-kit on each database, graphile-worker,
 * pg-boss, and the raw-SQL ceiling) implements, so `run.ts` measures them all
 * the same way.
 */
import type { Provider } from './databases.js'
import type { WorkerProcess } from './processes.js'

export type JobKind = 'noop' | 'report'

/** Where a system keeps its jobs: a database (ceilings are per database), or Redis (BullMQ). */
export type Store = Provider | 'redis'

export interface QueueSystem {
  /** Stable id used in latest.json, e.g. `jobs-kit/postgresql`. */
  id: string
  /** Row label in the tables. */
  label: string
  /** Where this system stores jobs (ceilings are per database). */
  provider: Store
  /** Settings a reader needs to judge the figures (poll intervals, modes). */
  notes: string[]
  /** Whether pickup latency means anything for it (the ceiling has no workers that wait). */
  measuresLatency: boolean
  /** Creates the schema/queue. */
  prepare(): Promise<void>
  /**
   * Schedules one job with one call (`later()`, `addJob`, `send`). A `report`
   * job tells the parent over IPC that it started, with `key`.
   */
  enqueueOne(kind: JobKind, key: string): Promise<void>
  /** Schedules `count` no-op jobs with the fewest calls the system offers (measured). */
  enqueueBulk(count: number): Promise<void>
  /**
   * Fills the queue with `count` no-op jobs before a throughput run, as fast
   * as possible (not measured). The peers and the ceiling use their bulk
   * insert; jobs-kit writes the rows `later()` would write with multi-row
   * INSERTs whose `runAt` is 1 ms apart, as one-by-one scheduling gives (the
   * throughput rows were measured that way before `later.many()` existed).
   */
  fill(count: number): Promise<void>
  /**
   * Refreshes the planner's statistics on the jobs table. Run after the bulk
   * insert for every system alike: a table analysed while empty makes
   * PostgreSQL scan and sort every row on each claim (docs/benchmarks.md, Findings).
   */
  analyze(): Promise<void>
  /** Jobs not finished yet. */
  remaining(): Promise<number>
  /** Starts `processes` separate worker processes running `concurrency` jobs each. */
  startWorkers(processes: number, concurrency: number, onMessage: (message: unknown) => void): Promise<WorkerProcess[]>
  /** Removes every job (between phases). */
  clear(): Promise<void>
  /** Closes connections and drops the database. */
  close(): Promise<void>
}
