import { OptionalDependencyError } from '../../errors.js'
import { importOptionalPeer } from '../../import-optional-peer.js'

/*
 * The parts of BullMQ the adapter uses, typed here so that an app without
 * `bullmq` installed still type-checks the vendored runtime (bullmq is an
 * optional peer, loaded only when a BullMQAdapter is used).
 */

/** The ioredis client BullMQ hands out (`queue.client`): the few commands the adapter runs itself. */
export interface RedisClient {
  multi(): { incr(key: string): ReturnType<RedisClient['multi']>; sadd(key: string, member: string): ReturnType<RedisClient['multi']>; exec(): Promise<unknown> }
  incr(key: string): Promise<number>
  smembers(key: string): Promise<string[]>
  lrange(key: string, start: number, stop: number): Promise<string[]>
  get(key: string): Promise<string | null>
}

export interface BullJob {
  id?: string
  data: unknown
  opts: { attempts?: number; backoff?: unknown; removeOnComplete?: boolean; removeOnFail?: boolean }
  attemptsMade: number
  attemptsStarted: number
  timestamp: number
  finishedOn?: number
  failedReason?: string
  stacktrace?: string[]
  moveToCompleted(returnValue: unknown, token: string, fetchNext?: boolean): Promise<unknown>
  moveToFailed(error: Error, token: string, fetchNext?: boolean): Promise<unknown>
  moveToWait(token?: string): Promise<unknown>
  extendLock(token: string, durationMs: number): Promise<number>
  getState(): Promise<string>
}

export interface BullQueue {
  waitUntilReady(): Promise<void>
  /** BullMQ 6: the backend; the Redis one has the raw client (a promise of it). */
  getBackend(): { client: RedisClient | Promise<RedisClient> }
  /** `prefix:queue:type`, e.g. the `active` list or a job's hash (`toKey(id)`). */
  toKey(type: string): string
  add(name: string, data: unknown, options: Record<string, unknown>): Promise<BullJob>
  getJobCounts(...states: string[]): Promise<Record<string, number>>
  obliterate(options: { force: boolean }): Promise<void>
  on(event: 'error', listener: (error: unknown) => void): unknown
  close(): Promise<void>
}

export interface BullWorker {
  getNextJob(token: string, options: { block: boolean }): Promise<BullJob | undefined>
  moveStalledJobsToWait(): Promise<void>
  on(event: 'error', listener: (error: unknown) => void): unknown
  close(): Promise<void>
}

export interface BullMQModule {
  Queue: new (name: string, options: Record<string, unknown>) => BullQueue
  Worker: new (name: string, processor: null, options: Record<string, unknown>) => BullWorker
  Job: { fromId(queue: BullQueue, id: string): Promise<BullJob | undefined> }
}

const WHEN_MISSING = 'BullMQAdapter stores jobs in Redis through BullMQ: run `npm install bullmq ioredis` in your app.'

/** Loads the app's `bullmq` package, or says what to install. */
export async function loadBullMQ(): Promise<BullMQModule> {
  const module = await importOptionalPeer('bullmq', WHEN_MISSING)
  // ESM gets the named exports; a bundler may hand over the CommonJS exports as `default`.
  const found = (module.Queue ? module : module.default) as Partial<BullMQModule> | undefined
  if (!found?.Queue || !found.Worker || !found.Job) {
    throw new OptionalDependencyError('bullmq', 'The installed `bullmq` package has no Queue, Worker or Job export; install bullmq 5 or later.')
  }
  return found as BullMQModule
}
