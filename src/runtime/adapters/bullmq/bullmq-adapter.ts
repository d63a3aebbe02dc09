import { DEFAULT_FIND_LIMIT, DEFAULT_STALE_LOCK_SECONDS } from '../../defaults.js'
import { InvalidConfigError } from '../../errors.js'
import type {
  AdapterCapabilities,
  ClearInput,
  ErrorInput,
  FindInput,
  JobsAdapter,
  Logger,
  QueueCounts,
  ScheduleInput,
  StoredJob,
} from '../../types.js'
import { formatStoredError } from '../prisma/stored-error.js'
import { loadBullMQ, type BullJob, type BullMQModule, type BullQueue, type BullWorker, type RedisClient } from './load-bullmq.js'

export interface BullMQAdapterOptions {
  /**
   * How to reach Redis, as BullMQ takes it: ioredis options
   * (`{ host: '127.0.0.1', port: 6379 }`) or an ioredis instance. With an
   * instance, BullMQ shares it for queues and the adapter never closes it.
   */
  connection: unknown
  /** Prefix of every Redis key the adapter writes (BullMQ's `prefix`). Default `jobs-kit`. */
  prefix?: string
  logger?: Logger
}

/** What a job keeps in BullMQ's `data`. */
interface BullJobData {
  /** The `handler` column as the Prisma adapter stores it: JSON `{ name, path, args }`. */
  handler: string
  priority: number
  runAt: number
}

/** A job this adapter instance handed out and has not reported yet, with the lock token BullMQ checks. */
interface HeldJob {
  job: BullJob
  token: string
  lockMs: number
}

/** BullMQ's priorities run from 1 (first) to 2²¹; 0 would mean "no priority", served before every prioritized job. */
const MAX_BULL_PRIORITY = 2 ** 21
/** A stalled job is put back at most this often per queue (BullMQ's `stalledInterval`), and not more often than its lock lasts. */
const MAX_STALLED_CHECK_MS = 5000

/**
 * Stores jobs in Redis through BullMQ (`npm install bullmq ioredis`): one
 * BullMQ queue per jobs-kit queue, taken with BullMQ's own primitives, so
 * jobs-kit's worker keeps its concurrency, `maxRuntime`, `a⁴` backoff,
 * `maxAttempts` and hooks:
 *
 * - `schedule` is `Queue.add` with a delay (from `runAt`) and a priority
 *   (`priority + 1`: BullMQ's 1 runs first, as jobs-kit's 0 does);
 * - `find` is `Worker.getNextJob` (no processor: jobs are fetched by hand),
 *   which locks a job with a token for `staleAfterSeconds`;
 *   `attempts` is BullMQ's `attemptsStarted`;
 * - `heartbeat` extends the locks; a lock not extended expires, and BullMQ's
 *   stalled-job check (run by `find`, at most every 5 s per queue) puts the
 *   job back in its queue;
 * - `success`, `error` (retry at `retryAt`) and `failure` are
 *   `moveToCompleted`/`moveToFailed`, which BullMQ refuses when the token no
 *   longer holds the lock: a late report changes nothing.
 *
 * What it cannot do (`capabilities`, docs/adapters.md): enqueue inside your
 * Prisma transaction (Redis is not your database), order jobs across queues,
 * give exact counts.
 */
export class BullMQAdapter implements JobsAdapter {
  readonly capabilities: AdapterCapabilities = {
    transactionalEnqueue: false,
    order: 'per-queue',
    staleRecovery: 'periodic',
    statusCounts: 'approximate',
    jobLookup: true,
  }
  readonly prefix: string
  readonly logger: Logger
  private readonly connection: unknown
  private bullmq: Promise<BullMQModule> | undefined
  private readonly queues = new Map<string, BullQueue>()
  /** Fetching workers, per queue and lock duration (BullMQ takes the lock duration from the worker's options). */
  private readonly workers = new Map<string, BullWorker>()
  private readonly held = new Map<number, HeldJob>()
  /** When `find` last ran the stalled-job check of each queue. */
  private readonly stalledCheckedAt = new Map<string, number>()
  /** Restarted workers (name and start) whose earlier locks were already given back. */
  private readonly takenBack = new Set<string>()
  private tokens = 0
  /** Queues this instance has added to the set of known queues. */
  private readonly announced = new Set<string>()
  private redis: Promise<RedisClient> | undefined

  constructor(options: BullMQAdapterOptions) {
    if (!options || typeof options.connection !== 'object' || options.connection === null) {
      throw new InvalidConfigError(
        "BullMQAdapter needs a Redis connection: new BullMQAdapter({ connection: { host: '127.0.0.1', port: 6379 } }) or { connection: new IORedis(url, { maxRetriesPerRequest: null }) }.",
      )
    }
    this.connection = options.connection
    this.prefix = options.prefix ?? 'jobs-kit'
    this.logger = options.logger ?? console
  }

  async schedule(input: ScheduleInput): Promise<number> {
    if (input.db !== undefined) {
      throw new InvalidConfigError(
        'BullMQAdapter cannot store a job inside a database transaction (`db`): Redis is not your database. Schedule it after the transaction commits. See docs/adapters.md.',
      )
    }
    const queue = await this.queue(input.queue)
    const client = await this.client()
    // One id sequence for every queue: jobs-kit ids are numbers, unique across queues.
    // The queue's name is added to the known ones once per instance (`find` on '*', `status` and `clear` read them).
    let id: number
    if (this.announced.has(input.queue)) id = await client.incr(this.key('ids'))
    else {
      ;[[, id]] = (await client.multi().incr(this.key('ids')).sadd(this.key('queues'), input.queue).exec()) as [[unknown, number]]
      this.announced.add(input.queue)
    }
    const data: BullJobData = { handler: JSON.stringify(input.handler), priority: input.priority, runAt: input.runAt.getTime() }
    await queue.add(input.handler.name, data, {
      jobId: toBullId(id),
      delay: Math.max(0, input.runAt.getTime() - Date.now()),
      priority: toBullPriority(input.priority),
      // jobs-kit's worker decides retries and deletion; BullMQ keeps each job until told.
      attempts: 1,
      removeOnComplete: false,
      removeOnFail: false,
      // Only the last error is read back (lastError).
      stackTraceLimit: 1,
    })
    return id
  }

  async find(input: FindInput): Promise<StoredJob[]> {
    const limit = Math.floor(input.limit ?? DEFAULT_FIND_LIMIT)
    if (!(limit >= 1) || (input.queues !== '*' && input.queues.length === 0)) return []
    const names = input.queues === '*' ? await this.knownQueues() : input.queues
    const lockMs = Math.max(1, Math.round((input.staleAfterSeconds ?? DEFAULT_STALE_LOCK_SECONDS) * 1000))
    if (input.workerStartedAt) await this.takeBack(input.processName, input.workerStartedAt, names)
    const found: StoredJob[] = []
    for (const name of names) {
      const worker = await this.worker(name, lockMs)
      await this.checkStalled(name, worker, lockMs)
      while (found.length < limit) {
        const token = `${input.processName}|${Date.now()}|${process.pid}.${++this.tokens}`
        const job = await worker.getNextJob(token, { block: false })
        if (!job) break
        this.held.set(fromBullId(job.id), { job, token, lockMs })
        found.push(toStoredJob(job, name, input.processName))
      }
      if (found.length >= limit) break
    }
    return found
  }

  async success({ job, deleteJob }: { job: StoredJob; deleteJob: boolean }): Promise<void> {
    await this.report(job, 'success', async ({ job: bullJob, token }) => {
      // BullMQ reads removeOnComplete from the job object it is called on, not from Redis.
      bullJob.opts.removeOnComplete = deleteJob
      await bullJob.moveToCompleted(null, token, false)
    })
  }

  async error({ job, error, retryAt }: ErrorInput): Promise<void> {
    await this.report(job, 'failed attempt', async ({ job: bullJob, token }) => {
      // One more attempt allowed, after a fixed delay: BullMQ moves the job to
      // its delayed set with the error, in one script that checks the lock.
      bullJob.opts.attempts = bullJob.attemptsMade + 2
      bullJob.opts.backoff = { type: 'fixed', delay: Math.max(0, retryAt.getTime() - Date.now()) }
      await bullJob.moveToFailed(storedError(error), token, false)
    })
  }

  async failure({ job, error, deleteJob }: { job: StoredJob; error: Error; deleteJob: boolean }): Promise<void> {
    await this.report(job, 'failure', async ({ job: bullJob, token }) => {
      bullJob.opts.attempts = bullJob.attemptsMade + 1
      bullJob.opts.removeOnFail = deleteJob
      await bullJob.moveToFailed(storedError(error), token, false)
    })
  }

  /** Extends the locks of the jobs this process still holds. */
  async heartbeat({ jobs }: { jobs: StoredJob[]; processName: string }): Promise<void> {
    await Promise.all(
      jobs.map(async (job) => {
        const held = this.held.get(job.id)
        if (held) await held.job.extendLock(held.token, held.lockMs)
      }),
    )
  }

  /** Deletes every job of the queues (all known queues when left out), running ones included. */
  async clear(input: ClearInput = {}): Promise<number> {
    let count = 0
    for (const name of input.queues ?? (await this.knownQueues())) {
      const queue = await this.queue(name)
      const counts = await queue.getJobCounts('wait', 'prioritized', 'paused', 'delayed', 'active', 'completed', 'failed', 'waiting-children')
      count += Object.values(counts).reduce((sum, each) => sum + each, 0)
      await queue.obliterate({ force: true })
    }
    return count
  }

  /** Counts per queue, read queue by queue from BullMQ (`getJobCounts`). */
  async status(): Promise<QueueCounts[]> {
    const counts: QueueCounts[] = []
    for (const name of await this.knownQueues()) {
      const queue = await this.queue(name)
      const read = await queue.getJobCounts('wait', 'prioritized', 'paused', 'delayed', 'active', 'completed', 'failed')
      const each = (state: string) => read[state] ?? 0
      counts.push({
        queue: name,
        waiting: each('wait') + each('prioritized') + each('paused'),
        scheduled: each('delayed'),
        running: each('active'),
        failed: each('failed'),
        succeeded: each('completed'),
      })
    }
    return counts
  }

  /** The stored job by id, or null when there is none (for tests and tools: jobs-kit's worker never needs it). */
  async readJob(id: number): Promise<(StoredJob & { state: string }) | null> {
    const { Job } = await this.load()
    for (const name of await this.knownQueues()) {
      const queue = await this.queue(name)
      const job = await Job.fromId(queue, toBullId(id))
      if (!job) continue
      const state = await job.getState()
      const lock = await (await redisClient(queue)).get(`${queue.toKey(toBullId(id))}:lock`)
      const stored = toStoredJob(job, name, lock?.split('|')[0] ?? null)
      if (!lock) stored.lockedAt = null
      if (state === 'failed') stored.failedAt = new Date(job.finishedOn ?? Date.now())
      return { ...stored, state }
    }
    return null
  }

  /** Closes the queues and workers the adapter opened (an ioredis instance you passed stays open). */
  async close(): Promise<void> {
    const all = [...this.workers.values(), ...this.queues.values()]
    this.workers.clear()
    this.queues.clear()
    this.redis = undefined
    await Promise.all(all.map((each) => each.close()))
  }

  /**
   * Runs a report with the lock token `find` got. A report BullMQ refuses
   * (the lock expired and the job went to another worker, or was deleted)
   * changes nothing and is logged, as with the Prisma adapter.
   */
  private async report(job: StoredJob, outcome: string, write: (held: HeldJob) => Promise<void>): Promise<void> {
    const held = this.held.get(job.id)
    this.held.delete(job.id)
    try {
      if (!held) throw new Error('this adapter did not hand it out')
      await write(held)
    } catch (error) {
      this.logger.warn(
        `[jobs-kit] job ${job.id}: its ${outcome} was not recorded because ${job.lockedBy ?? 'this worker'} no longer holds it ` +
          `(its lock expired and another worker took it, or it was cleared): ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }

  /**
   * Gives back, once per restart, the jobs a worker of this name locked
   * before it started (it was killed): BullMQ moves them from active back to
   * their queue, where any worker may take them.
   */
  private async takeBack(processName: string, startedAt: Date, names: string[]): Promise<void> {
    const key = `${processName}|${startedAt.getTime()}`
    if (this.takenBack.has(key)) return
    this.takenBack.add(key)
    const { Job } = await this.load()
    for (const name of names) {
      const queue = await this.queue(name)
      const client = await redisClient(queue)
      for (const id of await client.lrange(queue.toKey('active'), 0, -1)) {
        const token = await client.get(`${queue.toKey(id)}:lock`)
        if (!token) continue
        const [owner, lockedAt] = token.split('|')
        if (owner !== processName || !(Number(lockedAt) < startedAt.getTime())) continue
        const job = await Job.fromId(queue, id)
        await job?.moveToWait(token).catch(() => {
          // It was finished or taken back meanwhile: nothing to give back.
        })
      }
    }
  }

  /** BullMQ's stalled-job check: puts back jobs whose lock expired (it needs two passes: one marks, the next moves). */
  private async checkStalled(name: string, worker: BullWorker, lockMs: number): Promise<void> {
    const now = Date.now()
    if (now - (this.stalledCheckedAt.get(name) ?? 0) < Math.min(lockMs, MAX_STALLED_CHECK_MS)) return
    this.stalledCheckedAt.set(name, now)
    await worker.moveStalledJobsToWait()
  }

  private async knownQueues(): Promise<string[]> {
    const client = await this.client()
    return ((await client.smembers(this.key('queues'))) as string[]).sort()
  }

  private key(name: string): string {
    return `${this.prefix}:jobs-kit:${name}`
  }

  /** A Redis client for the adapter's own keys (the id sequence, the known queues): any queue's will do. */
  private client(): Promise<RedisClient> {
    this.redis ??= this.queue('default').then(redisClient)
    return this.redis
  }

  private async queue(name: string): Promise<BullQueue> {
    let queue = this.queues.get(name)
    if (!queue) {
      const { Queue } = await this.load()
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix })
      queue.on('error', (error: unknown) => this.logger.error(`[jobs-kit] BullMQ queue ${name}:`, error))
      this.queues.set(name, queue)
    }
    return queue
  }

  private async worker(name: string, lockMs: number): Promise<BullWorker> {
    const key = `${name}\u0000${lockMs}`
    let worker = this.workers.get(key)
    if (!worker) {
      const { Worker } = await this.load()
      worker = new Worker(name, null, {
        connection: this.connection,
        prefix: this.prefix,
        autorun: false,
        lockDuration: lockMs,
        stalledInterval: Math.min(lockMs, MAX_STALLED_CHECK_MS),
        // jobs-kit counts attempts and gives up at maxAttempts; a job put back after a crash is a new attempt, not a failure.
        maxStalledCount: Number.MAX_SAFE_INTEGER,
        // The adapter renews locks (heartbeat) and runs the stalled check itself (find).
        skipLockRenewal: true,
        skipStalledCheck: true,
      })
      worker.on('error', (error: unknown) => this.logger.error(`[jobs-kit] BullMQ worker ${name}:`, error))
      this.workers.set(key, worker)
    }
    return worker
  }

  private load(): Promise<BullMQModule> {
    this.bullmq ??= loadBullMQ()
    return this.bullmq
  }
}

async function redisClient(queue: BullQueue): Promise<RedisClient> {
  await queue.waitUntilReady()
  return queue.getBackend().client
}

/** BullMQ refuses custom job ids that are integers (they would clash with its own): `j42` for jobs-kit's 42. */
function toBullId(id: number): string {
  return `j${id}`
}

function fromBullId(id: string | undefined): number {
  return Number(id?.slice(1))
}

function toBullPriority(priority: number): number {
  return Math.min(Math.max(Math.round(priority), 0), MAX_BULL_PRIORITY - 1) + 1
}

function toStoredJob(job: BullJob, queue: string, lockedBy: string | null): StoredJob {
  const data = job.data as BullJobData
  const now = new Date()
  const stack = job.stacktrace?.at(-1)
  return {
    id: fromBullId(job.id),
    handler: data.handler,
    queue,
    priority: data.priority,
    runAt: new Date(data.runAt),
    attempts: job.attemptsStarted,
    lockedAt: lockedBy ? now : null,
    lockedBy,
    lastError: stack ?? job.failedReason ?? null,
    failedAt: null,
    createdAt: new Date(job.timestamp),
    updatedAt: now,
  }
}

/** The error as jobs-kit stores it (message and stack, cleaned and capped), kept by BullMQ as the job's stack trace. */
function storedError(error: Error): Error {
  const stored = new Error(error.message)
  stored.name = error.name
  stored.stack = formatStoredError(error)
  return stored
}
