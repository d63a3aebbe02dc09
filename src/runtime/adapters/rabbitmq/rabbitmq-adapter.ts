import { randomBytes } from 'node:crypto'
import { importOptionalPeer } from '../../import-optional-peer.js'
import type { AdapterCapabilities, ClearInput, ErrorInput, FindInput, JobsAdapter, Logger, QueueCounts, ScheduleInput, StoredJob } from '../../types.js'
import type { AmqpChannel, AmqpConfirmChannel, AmqpConnection, AmqpMessage, AmqplibModule } from './amqp-types.js'
import { ConsumerTimeoutError, DeliveryLostError, RabbitMQQueuesUnknownError } from './errors.js'
import {
  amqpPriority,
  declareQueueTopology,
  declareSharedTopology,
  delayQueue,
  delayRoute,
  DELAY_LEVELS,
  failedQueue,
  readyQueue,
} from './topology.js'

export interface RabbitMQAdapterOptions {
  /** `amqp://user:password@host:5672/vhost`. */
  url: string
  /**
   * Your queue names (the `queues` of your jobs config). Needed by workers on
   * `'*'`, by `status` and by `clear` without queues: AMQP cannot list queues.
   */
  queues?: readonly string[]
  /** Prefix of every queue and exchange the adapter declares. Default `jobs-kit`. */
  prefix?: string
  /**
   * The broker's `consumer_timeout`, in seconds (RabbitMQ's default: 1800).
   * A worker whose `maxRuntime` is longer is refused (see `ConsumerTimeoutError`).
   */
  consumerTimeoutSeconds?: number
  /** Where connection losses are reported. `console` by default. */
  logger?: Logger
}

/** RabbitMQ's default `consumer_timeout` (since 3.8.15): 30 minutes. */
export const RABBITMQ_DEFAULT_CONSUMER_TIMEOUT_SECONDS = 1800

/** How long `find` waits for a delivery the broker said it has ready (see `find`). */
const DELIVERY_WAIT_MS = 1000

/** A job as it travels in a message body. */
interface JobEnvelope {
  id: number
  handler: string
  queue: string
  priority: number
  runAt: string
  /** Runs counted so far (a found job reports one more). */
  attempts: number
  lastError: string | null
  failedAt: string | null
  createdAt: string
}

/** The consumer of one set of queues (a worker's): one channel, one AMQP consumer per queue. */
interface Consumer {
  channel: AmqpChannel
  /** Queues consumed, by jobs-kit name. */
  queues: Set<string>
  consumerTags: string[]
  /** Delivered, not yet handed to a worker. */
  buffer: AmqpMessage[]
  /** The channel's current prefetch. */
  prefetch: number
  closed: boolean
  /** Resolves the wait of a `find` for the next delivery. */
  onDelivery?: () => void
}

/** A job handed to a worker: its delivery, until acknowledged. */
interface InHand {
  consumer: Consumer
  message: AmqpMessage
  processName: string
}

/**
 * Jobs in RabbitMQ, through `amqplib` (an optional peer: `npm install amqplib`).
 *
 * ```ts
 * adapters: { rabbit: new RabbitMQAdapter({ url: process.env.AMQP_URL!, queues: ['default', 'email'] }) },
 * workers: [{ adapter: 'rabbit', queue: '*', concurrency: 4, maxRuntime: 1800 }],
 * ```
 *
 * A worker's lock on a job is RabbitMQ's own: the delivery stays
 * unacknowledged on the worker's channel while the job runs, and is
 * acknowledged only once the outcome is stored. A worker that dies (or whose
 * connection drops) loses its channel, and RabbitMQ hands the job to another.
 * Topology and delays: `topology.ts`. What it cannot do that the Prisma
 * adapter does (look a job up by id, enqueue inside your database
 * transaction, count running jobs, keep succeeded jobs): `docs/adapters.md`.
 */
export class RabbitMQAdapter implements JobsAdapter {
  /** What it cannot do that the Prisma adapter does: see docs/adapters.md. */
  readonly capabilities = RABBITMQ_CAPABILITIES
  private readonly options: Required<Omit<RabbitMQAdapterOptions, 'queues'>> & { queues?: readonly string[] }
  private connection: AmqpConnection | undefined
  private connecting: Promise<AmqpConnection> | undefined
  private publisher: AmqpConfirmChannel | undefined
  private readonly declared = new Set<string>()
  private sharedDeclared = false
  /** By the set of queues consumed. */
  private readonly consumers = new Map<string, Consumer>()
  /** Jobs handed to workers of this process and not yet acknowledged, by id. */
  private readonly inHand = new Map<number, InHand>()
  /** Jobs `clear` deleted while a worker ran them: their outcome is dropped. */
  private readonly cleared = new Set<number>()
  private readonly wakers = new Set<() => void>()
  private closing = false

  constructor(options: RabbitMQAdapterOptions) {
    if (!options || typeof options.url !== 'string') {
      throw new TypeError("new RabbitMQAdapter({ url }) needs the broker's URL, e.g. amqp://guest:guest@127.0.0.1:5672/")
    }
    this.options = {
      prefix: 'jobs-kit',
      consumerTimeoutSeconds: RABBITMQ_DEFAULT_CONSUMER_TIMEOUT_SECONDS,
      logger: console,
      ...options,
    }
  }

  async schedule(input: ScheduleInput): Promise<number> {
    if (input.db !== undefined) {
      throw new TypeError(
        'RabbitMQAdapter cannot store a job inside your database transaction ({ db: tx }): RabbitMQ is not your database. ' +
          'Schedule it after the transaction commits instead.',
      )
    }
    const now = new Date()
    const envelope: JobEnvelope = {
      id: newJobId(),
      handler: JSON.stringify(input.handler),
      queue: input.queue,
      priority: input.priority,
      runAt: input.runAt.toISOString(),
      attempts: 0,
      lastError: null,
      failedAt: null,
      createdAt: now.toISOString(),
    }
    await this.publishWhenDue(envelope)
    return envelope.id
  }

  /**
   * Hands out up to `limit` jobs the broker delivered to the consumer of
   * these queues. Its prefetch is set, before each look, to its jobs in hand
   * plus `limit`: for a worker, its concurrency (it asks for its free slots
   * only), so RabbitMQ never holds more of a worker's jobs unacknowledged
   * than it can run, and other workers get the rest.
   *
   * Deliveries arrive on their own; to tell "nothing is ready" from "not
   * arrived yet" (`workoff` stops on an empty answer), `find` asks each queue
   * for its ready count on the consumer's own channel, then makes one more
   * round trip there: deliveries made before the count arrive before that
   * answer, so an empty buffer with no ready message means nothing is due.
   * When some are ready, it waits up to 1 s for one (another worker may take it).
   */
  async find(input: FindInput): Promise<StoredJob[]> {
    // Without `heartbeat`, the worker passes its maxRuntime as the stale
    // threshold (worker/stale-lock.ts): the longest a job of it may run.
    if (input.staleAfterSeconds > this.options.consumerTimeoutSeconds) {
      throw new ConsumerTimeoutError(input.staleAfterSeconds, this.options.consumerTimeoutSeconds)
    }
    const limit = input.limit ?? 1
    const queues = input.queues === '*' ? this.knownQueues(`a worker on queue '*'`) : input.queues
    if (queues.length === 0 || limit <= 0) return []
    const consumer = await this.consumerFor(queues)
    const prefetch = [...this.inHand.values()].filter((each) => each.consumer === consumer).length + limit
    if (consumer.prefetch !== prefetch) {
      // global = true: one limit for all the channel's consumers, whatever the number of queues.
      await consumer.channel.prefetch(prefetch, true)
      consumer.prefetch = prefetch
    }

    const wanted = (message: AmqpMessage) => queues.includes(parseEnvelope(message)?.queue ?? '')
    const found: StoredJob[] = []
    // A job sent round again (below) may be ready at once: look again, a few times at most.
    for (let round = 0, sentBack = true; round < 5 && sentBack && found.length < limit && !consumer.closed; round += 1) {
      sentBack = false
      if (consumer.buffer.filter(wanted).length < limit - found.length) {
        let ready = 0
        for (const queue of queues) ready += (await consumer.channel.checkQueue(readyQueue(this.options.prefix, queue))).messageCount
        // One more round trip on the channel: the broker's channel process
        // answers a queue's count before the deliveries the queue made while
        // counting (it waits for that reply selectively), and after them for
        // the next request.
        await consumer.channel.checkQueue(readyQueue(this.options.prefix, queues[0]!))
        if (!consumer.buffer.some(wanted) && ready > 0) await this.nextDelivery(consumer)
      }
      const now = new Date()
      for (const message of [...consumer.buffer]) {
        if (found.length >= limit || consumer.closed) break
        const envelope = parseEnvelope(message)
        if (envelope && !queues.includes(envelope.queue)) continue
        consumer.buffer.splice(consumer.buffer.indexOf(message), 1)
        if (!envelope) {
          await this.moveToFailed(message)
          consumer.channel.ack(message)
          continue
        }
        if (message.fields.redelivered) {
          // Delivered before to a worker that lost its channel (killed,
          // disconnected, consumer_timeout) before acknowledging it: that run
          // counts, so a job that kills its worker is given up after maxAttempts.
          envelope.attempts += 1
          envelope.lastError = 'RabbitMQ delivered this job again: the worker holding it lost its connection before recording an outcome'
          await this.publishWhenDue(envelope)
          consumer.channel.ack(message)
          sentBack = true
          continue
        }
        if (new Date(envelope.runAt).getTime() > now.getTime()) {
          // Longer than the delay levels reach, or a clock ahead of this one: send it round again.
          await this.publishWhenDue(envelope)
          consumer.channel.ack(message)
          sentBack = true
          continue
        }
        this.inHand.set(envelope.id, { consumer, message, processName: input.processName })
        found.push({
          ...toStoredJob(envelope),
          attempts: envelope.attempts + 1,
          lockedAt: now,
          lockedBy: input.processName,
          updatedAt: now,
        })
      }
    }
    return found
  }

  async success({ job }: { job: StoredJob; deleteJob: boolean }): Promise<void> {
    // A succeeded job is acknowledged, and so gone: RabbitMQ keeps no finished
    // messages (`deleteSuccessfulJobs: false` keeps nothing; see docs/adapters.md).
    const held = this.held(job)
    if (held) this.acknowledge(job, held)
  }

  async error({ job, error, retryAt }: ErrorInput): Promise<void> {
    const held = this.held(job)
    if (!held) return
    // Publish the retry (confirmed) before acknowledging: a crash in between
    // leaves two copies (the job may run twice), never none.
    await this.publishWhenDue({ ...toEnvelope(job), runAt: retryAt.toISOString(), lastError: describe(error) })
    this.acknowledge(job, held)
  }

  async failure({ job, error, deleteJob }: { job: StoredJob; error: Error; deleteJob: boolean }): Promise<void> {
    const held = this.held(job)
    if (!held) return
    if (!deleteJob) {
      const envelope: JobEnvelope = { ...toEnvelope(job), lastError: describe(error), failedAt: new Date().toISOString() }
      const channel = await this.publisherChannel()
      await this.declare(channel, job.queue)
      await this.publish('', failedQueue(this.options.prefix, job.queue), Buffer.from(JSON.stringify(envelope)), 0)
    }
    this.acknowledge(job, held)
  }

  /**
   * Gives back jobs found but not run (their worker is stopping):
   * republished as they were (their attempt not counted), then acknowledged.
   * Requeueing would mark them redelivered, which `find` counts as an
   * interrupted run. Their consumer stops consuming too, and gives back what
   * it had prefetched, so a stopping worker holds no job it will not run
   * (a later find consumes again).
   */
  async release({ jobs }: { jobs: StoredJob[] }): Promise<void> {
    const consumers = new Set<Consumer>()
    for (const job of jobs) {
      const held = this.held(job)
      if (!held) continue
      consumers.add(held.consumer)
      await this.publishWhenDue({ ...toEnvelope(job), attempts: job.attempts - 1 })
      this.acknowledge(job, held)
    }
    for (const consumer of consumers) await this.stopConsuming(consumer)
  }

  /**
   * Purges the queues' ready, delayed and failed jobs, and drops the jobs
   * this process's workers hold (their outcome is then ignored). Jobs other
   * processes hold are beyond reach: they finish, or come back if their
   * worker dies.
   */
  async clear(input: ClearInput = {}): Promise<number> {
    const queues = input.queues ?? this.knownQueues('clear() without queues')
    const channel = await this.publisherChannel()
    let count = 0
    for (const queue of queues) {
      await this.declare(channel, queue)
      count += (await channel.purgeQueue(readyQueue(this.options.prefix, queue))).messageCount
      count += (await channel.purgeQueue(failedQueue(this.options.prefix, queue))).messageCount
      for (let level = 0; level < DELAY_LEVELS; level += 1) {
        count += (await channel.purgeQueue(delayQueue(this.options.prefix, queue, level))).messageCount
      }
    }
    for (const [id, held] of [...this.inHand]) {
      if (!queues.includes(parseEnvelope(held.message)?.queue ?? '')) continue
      this.inHand.delete(id)
      this.cleared.add(id)
      if (!held.consumer.closed) held.consumer.channel.ack(held.message)
      count += 1
    }
    return count
  }

  /**
   * Per queue: `waiting` (ready messages, and those delivered to this
   * process but not handed out), `scheduled` (in the delay levels) and
   * `failed`. `running` is always 0: AMQP cannot count a queue's
   * unacknowledged messages (the management API can; see docs/adapters.md),
   * and jobs other processes have prefetched for their free slots are
   * counted nowhere until they run.
   */
  async status(): Promise<QueueCounts[]> {
    const queues = this.knownQueues('status')
    const channel = await this.publisherChannel()
    const counts: QueueCounts[] = []
    for (const queue of queues) {
      await this.declare(channel, queue)
      let scheduled = 0
      for (let level = 0; level < DELAY_LEVELS; level += 1) {
        scheduled += (await channel.checkQueue(delayQueue(this.options.prefix, queue, level))).messageCount
      }
      // Delivered to this process but not handed to a worker yet: still waiting (RabbitMQ counts them unacknowledged).
      const buffered = [...this.consumers.values()]
        .flatMap((consumer) => consumer.buffer)
        .filter((message) => parseEnvelope(message)?.queue === queue).length
      counts.push({
        queue,
        waiting: (await channel.checkQueue(readyQueue(this.options.prefix, queue))).messageCount + buffered,
        scheduled,
        running: 0,
        failed: (await channel.checkQueue(failedQueue(this.options.prefix, queue))).messageCount,
      })
    }
    return counts
  }

  /** Wakes idle workers of this process when a job is delivered, or when the consumer's channel closed (to consume again). */
  async subscribe({ wake }: { queues: '*' | string[]; wake: () => void }): Promise<() => Promise<void>> {
    this.wakers.add(wake)
    return async () => {
      this.wakers.delete(wake)
    }
  }

  /**
   * Stops consuming, gives back what was delivered but not handed out
   * (republished unchanged, so it does not count as an interrupted run), and
   * closes the connection. Jobs still in hand go back to their queue with
   * the channel, and count as interrupted runs.
   */
  async close(): Promise<void> {
    this.closing = true
    const consumers = [...this.consumers.values()]
    this.consumers.clear()
    for (const consumer of consumers) await this.stopConsuming(consumer)
    const connection = this.connection
    this.connection = undefined
    this.publisher = undefined
    await connection?.close().catch(() => {})
    // Their deliveries are back in their queues: late outcomes of jobs in hand are not recorded.
    for (const consumer of consumers) consumer.closed = true
  }

  /**
   * The delivery of a job a worker of this process holds, or undefined when
   * its outcome must not be recorded: `clear` deleted it meanwhile, or the
   * channel that delivered it closed (RabbitMQ has put it back in its queue
   * and it runs again). Like a late report to the Prisma adapter, that
   * changes nothing and is logged as a warning.
   */
  private held(job: StoredJob): InHand | undefined {
    if (this.cleared.delete(job.id)) {
      this.options.logger.warn(`[jobs-kit] job ${job.id} was cleared while it ran; its outcome is not recorded`)
      return undefined
    }
    const held = this.inHand.get(job.id)
    if (!held || held.processName !== job.lockedBy || held.consumer.closed) {
      if (held?.consumer.closed) this.inHand.delete(job.id)
      const reason = held ? 'the channel that delivered it closed' : `${job.lockedBy ?? 'this worker'} does not hold it`
      this.options.logger.warn(`[jobs-kit] ${new DeliveryLostError(job.id, reason).message}`)
      return undefined
    }
    return held
  }

  private acknowledge(job: StoredJob, held: InHand): void {
    this.inHand.delete(job.id)
    try {
      held.consumer.channel.ack(held.message)
    } catch (thrown) {
      throw new DeliveryLostError(job.id, thrown instanceof Error ? thrown.message : String(thrown))
    }
  }

  private knownQueues(where: string): string[] {
    if (!this.options.queues || this.options.queues.length === 0) throw new RabbitMQQueuesUnknownError(where)
    return [...this.options.queues]
  }

  /** Publishes to the ready queue when due now, else through the delay levels. Waits for the broker's confirm. */
  private async publishWhenDue(envelope: JobEnvelope): Promise<void> {
    const channel = await this.publisherChannel()
    await this.declare(channel, envelope.queue)
    const content = Buffer.from(JSON.stringify(envelope))
    const priority = amqpPriority(envelope.priority)
    // Whole seconds, rounded up: never earlier than runAt.
    const delaySeconds = Math.ceil((new Date(envelope.runAt).getTime() - Date.now()) / 1000)
    if (delaySeconds <= 0) return this.publish('', readyQueue(this.options.prefix, envelope.queue), content, priority)
    const route = delayRoute(this.options.prefix, envelope.queue, delaySeconds)
    return this.publish(route.exchange, '', content, priority, route.headers)
  }

  private async publish(exchange: string, routingKey: string, content: Buffer, priority: number, headers?: Record<string, string>): Promise<void> {
    const channel = await this.publisherChannel()
    await new Promise<void>((resolve, reject) => {
      channel.publish(exchange, routingKey, content, { persistent: true, priority, headers, contentType: 'application/json' }, (error) =>
        error ? reject(error instanceof Error ? error : new Error(`RabbitMQ refused to store the job: ${String(error)}`)) : resolve(),
      )
    })
  }

  private async declare(channel: AmqpChannel, queue: string): Promise<void> {
    if (!this.sharedDeclared) {
      await declareSharedTopology(channel, this.options.prefix)
      this.sharedDeclared = true
    }
    if (this.declared.has(queue)) return
    await declareQueueTopology(channel, this.options.prefix, queue)
    this.declared.add(queue)
  }

  private async connect(): Promise<AmqpConnection> {
    if (this.connection) return this.connection
    this.connecting ??= (async () => {
      const amqplib = await importAmqplib()
      const connection = await amqplib.connect(this.options.url)
      connection.on('error', (error) => this.options.logger.error(`[jobs-kit] RabbitMQ connection error: ${error.message}`))
      connection.on('close', () => {
        if (this.connection === connection) this.connection = undefined
        this.publisher = undefined
        for (const consumer of this.consumers.values()) this.lose(consumer)
        if (!this.closing) this.options.logger.error('[jobs-kit] RabbitMQ connection closed; the adapter reconnects on the next find or schedule')
      })
      this.connection = connection
      return connection
    })().finally(() => {
      this.connecting = undefined
    })
    return this.connecting
  }

  private async publisherChannel(): Promise<AmqpConfirmChannel> {
    if (this.publisher) return this.publisher
    const channel = await (await this.connect()).createConfirmChannel()
    channel.on('error', (error) => this.options.logger.error(`[jobs-kit] RabbitMQ publishing channel error: ${error.message}`))
    channel.on('close', () => {
      if (this.publisher === channel) this.publisher = undefined
    })
    // A new channel may face a broker that lost its definitions (a reset node): declare again.
    this.declared.clear()
    this.sharedDeclared = false
    this.publisher = channel
    return channel
  }

  /**
   * The consumer of exactly `queues` (a worker always asks for the same
   * ones): a channel of its own, so its prefetch covers those queues only;
   * started on first use, and again after its channel closed.
   */
  private async consumerFor(queues: string[]): Promise<Consumer> {
    const key = [...new Set(queues)].sort().join('\n')
    let consumer = this.consumers.get(key)
    if (!consumer || consumer.closed) {
      const channel = await (await this.connect()).createChannel()
      const created: Consumer = { channel, queues: new Set(), consumerTags: [], buffer: [], prefetch: 0, closed: false }
      channel.on('error', (error) => this.options.logger.error(`[jobs-kit] RabbitMQ consuming channel error: ${error.message}`))
      channel.on('close', () => this.lose(created))
      this.consumers.set(key, created)
      consumer = created
    }
    const publisher = await this.publisherChannel()
    for (const queue of queues) {
      if (consumer.queues.has(queue)) continue
      await this.declare(publisher, queue)
      if (consumer.prefetch === 0) {
        // Nothing is delivered before the first find sets the real prefetch.
        await consumer.channel.prefetch(1, true)
        consumer.prefetch = 1
      }
      const { consumerTag } = await consumer.channel.consume(readyQueue(this.options.prefix, queue), (message) => {
        if (message === null) {
          // The broker cancelled the consumer (its queue was deleted): start over on the next find.
          this.lose(consumer)
          return
        }
        consumer.buffer.push(message)
        consumer.onDelivery?.()
        for (const wake of this.wakers) wake()
      })
      consumer.queues.add(queue)
      consumer.consumerTags.push(consumerTag)
    }
    return consumer
  }

  /**
   * Cancels a consumer's AMQP consumers (jobs in hand stay held) and gives
   * back what it prefetched, republished unchanged (requeued, they would
   * count as interrupted runs). The next find for its queues consumes again.
   */
  private async stopConsuming(consumer: Consumer): Promise<void> {
    if (consumer.closed) return
    for (const tag of consumer.consumerTags.splice(0)) await consumer.channel.cancel(tag).catch(() => {})
    consumer.queues.clear()
    for (const message of consumer.buffer.splice(0)) {
      const envelope = parseEnvelope(message)
      if (!envelope) await this.moveToFailed(message)
      else {
        // Delivered again after a lost channel: that run counts, as in find.
        if (message.fields.redelivered) envelope.attempts += 1
        await this.publishWhenDue(envelope)
      }
      consumer.channel.ack(message)
    }
  }

  /** A message in a ready queue that is not a jobs-kit job: kept, as it came, in that queue's failed queue. */
  private async moveToFailed(message: AmqpMessage): Promise<void> {
    await this.publish('', failedQueue(this.options.prefix, queueOf(message, this.options.prefix)), message.content, 0)
    this.options.logger.error(
      `[jobs-kit] RabbitMQAdapter moved a message that is not a jobs-kit job from ${message.fields.routingKey} to its failed queue`,
    )
  }

  /** The consumer's channel closed: what it held goes back to the queues (broker side); the next find consumes anew. */
  private lose(consumer: Consumer): void {
    if (consumer.closed) return
    consumer.closed = true
    consumer.buffer.length = 0
    consumer.onDelivery?.()
    if (!this.closing) {
      const held = [...this.inHand.values()].filter((each) => each.consumer === consumer).length
      this.options.logger.error(
        `[jobs-kit] RabbitMQ closed the channel this process consumes on; ${held} job(s) in hand go back to their queue ` +
          'and run again. Workers consume again on their next find.',
      )
      for (const wake of this.wakers) wake()
    }
    void consumer.channel.close().catch(() => {})
  }

  private nextDelivery(consumer: Consumer): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, DELIVERY_WAIT_MS)
      function done() {
        clearTimeout(timer)
        consumer.onDelivery = undefined
        resolve()
      }
      consumer.onDelivery = done
    })
  }
}

/**
 * What the RabbitMQ adapter promises beyond the contract (types.ts,
 * `AdapterCapabilities`; docs/adapters.md).
 */
export const RABBITMQ_CAPABILITIES: AdapterCapabilities = Object.freeze({
  /** RabbitMQ is not the app's database: `later(…, { db: tx })` is refused. */
  transactionalEnqueue: false,
  /** Priority (in bands of ten) within a queue, first come first served within a band. */
  order: 'per-queue',
  /**
   * A job is held while its worker's connection lives: it comes back as soon
   * as the connection closes (the worker died), or after RabbitMQ's
   * heartbeat timeout (60 s) when the worker stalls; never on a timer while
   * the worker is alive.
   */
  staleRecovery: 'on-disconnect',
  /** Read queue by queue while jobs move; `running` is not counted (0). */
  statusCounts: 'no-running',
  /** No message can be read by id. */
  jobLookup: false,
})

async function importAmqplib(): Promise<AmqplibModule> {
  const module = await importOptionalPeer('amqplib', 'RabbitMQAdapter needs the amqplib package: npm install amqplib')
  return ((module.default as AmqplibModule | undefined)?.connect ? module.default : module) as AmqplibModule
}

/** A random 53-bit id: RabbitMQ has no sequence, and ids only need to be unique among jobs in flight. */
function newJobId(): number {
  return Number(BigInt.asUintN(53, randomBytes(8).readBigUInt64BE())) || 1
}

function parseEnvelope(message: AmqpMessage): JobEnvelope | undefined {
  try {
    const parsed = JSON.parse(message.content.toString('utf8')) as JobEnvelope
    return typeof parsed.id === 'number' && typeof parsed.handler === 'string' && typeof parsed.queue === 'string' ? parsed : undefined
  } catch {
    return undefined
  }
}

function queueOf(message: AmqpMessage, prefix: string): string {
  return message.fields.routingKey.startsWith(`${prefix}.`) ? message.fields.routingKey.slice(prefix.length + 1) : 'unknown'
}

function toStoredJob(envelope: JobEnvelope): StoredJob {
  return {
    id: envelope.id,
    handler: envelope.handler,
    queue: envelope.queue,
    priority: envelope.priority,
    runAt: new Date(envelope.runAt),
    attempts: envelope.attempts,
    lockedAt: null,
    lockedBy: null,
    lastError: envelope.lastError,
    failedAt: envelope.failedAt === null ? null : new Date(envelope.failedAt),
    createdAt: new Date(envelope.createdAt),
    updatedAt: new Date(envelope.createdAt),
  }
}

/** The envelope of a job handed out by `find` (its `attempts` already counts the run). */
function toEnvelope(job: StoredJob): JobEnvelope {
  return {
    id: job.id,
    handler: job.handler,
    queue: job.queue,
    priority: job.priority,
    runAt: (job.runAt ?? new Date()).toISOString(),
    attempts: job.attempts,
    lastError: job.lastError,
    failedAt: job.failedAt?.toISOString() ?? null,
    createdAt: job.createdAt.toISOString(),
  }
}

function describe(error: Error): string {
  return error.stack ?? `${error.name}: ${error.message}`
}
