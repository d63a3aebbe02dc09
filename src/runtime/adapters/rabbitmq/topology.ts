import type { AmqpChannel } from './amqp-types.js'

/**
 * The queues and exchanges the RabbitMQ adapter declares, and how a delayed
 * job travels through them. Everything is durable; nothing needs a plugin.
 *
 * Per jobs-kit queue `q` (with the default prefix `jobs-kit`):
 *
 * - `jobs-kit.q`: the ready queue workers consume, a priority queue
 *   (`x-max-priority` 10).
 * - `jobs-kit.q.failed`: jobs given up after `maxAttempts`.
 * - `jobs-kit.q.delay.0` … `jobs-kit.q.delay.27`: delay levels. Level `n`
 *   holds a job for exactly 2ⁿ seconds (a per-queue TTL, `x-message-ttl`), then
 *   dead-letters it to the next level's exchange.
 *
 * A job due in `d` seconds is published with one header per bit of `d`
 * (`jobs-kit-delay-bit-n`: '1' or '0') to the exchange of the top level.
 * Each level's headers exchange sends it through that level's queue when its
 * bit is 1, or straight on to the next level's exchange when it is 0; after
 * level 0 the `jobs-kit.due` exchange routes it by its `jobs-kit-queue`
 * header to the ready queue. So a job waits the sum of its bits' levels:
 * exactly `d` seconds, in at most 28 hops, without a consumer (the idea of
 * NServiceBus's delay infrastructure).
 *
 * Why levels of one TTL each, and not one delay queue with a TTL per message:
 * RabbitMQ expires messages only at the head of a queue, so a job delayed by
 * an hour at the head would hold back one delayed by a second behind it
 * (head-of-line blocking). In a queue where every message has the same TTL,
 * the head is always the first to expire. Levels are per jobs-kit queue so
 * `clear` and `status` can purge and count one queue's delayed jobs.
 *
 * Delays longer than 2²⁸ s (8.5 years) leave the levels early; the adapter
 * sees a job not yet due when it arrives and sends it round again.
 *
 * The delayed-message exchange plugin (`x-delayed-message`) is not used even
 * when installed: it keeps delayed messages in one node's local table
 * (not replicated, lost with that node's disk) and is documented as unfit
 * for large numbers of delayed messages (and it is not installed where this
 * adapter is tested). The adapter does not look for it.
 *
 * Dead-lettering between levels is RabbitMQ's own, at most once for classic
 * queues: a broker that crashes in the middle of a hop can lose that
 * delayed job (quorum queues' at-least-once dead-lettering would not, but
 * RabbitMQ 3.10's quorum queues have no priorities).
 */
export const DELAY_LEVELS = 28
/** RabbitMQ advises at most 10 priority levels: each is a separate internal queue. */
export const MAX_AMQP_PRIORITY = 10

export interface Topology {
  prefix: string
}

export function readyQueue(prefix: string, queue: string): string {
  return `${prefix}.${queue}`
}

export function failedQueue(prefix: string, queue: string): string {
  return `${prefix}.${queue}.failed`
}

export function delayQueue(prefix: string, queue: string, level: number): string {
  return `${prefix}.${queue}.delay.${level}`
}

function delayExchange(prefix: string, level: number): string {
  return level < 0 ? `${prefix}.due` : `${prefix}.delay.${level}`
}

function bitHeader(prefix: string, level: number): string {
  return `${prefix}-delay-bit-${level}`
}

function queueHeader(prefix: string): string {
  return `${prefix}-queue`
}

/** Declares the exchanges every queue shares: the delay levels' and the due exchange, with the "bit is 0" bindings. */
export async function declareSharedTopology(channel: AmqpChannel, prefix: string): Promise<void> {
  await channel.assertExchange(delayExchange(prefix, -1), 'headers', { durable: true })
  for (let level = 0; level < DELAY_LEVELS; level += 1) {
    await channel.assertExchange(delayExchange(prefix, level), 'headers', { durable: true })
    await channel.bindExchange(delayExchange(prefix, level - 1), delayExchange(prefix, level), '', {
      'x-match': 'all',
      [bitHeader(prefix, level)]: '0',
    })
  }
}

/** Declares one jobs-kit queue's ready, failed and delay-level queues and their bindings (idempotent). */
export async function declareQueueTopology(channel: AmqpChannel, prefix: string, queue: string): Promise<void> {
  const ready = readyQueue(prefix, queue)
  await channel.assertQueue(ready, { durable: true, arguments: { 'x-max-priority': MAX_AMQP_PRIORITY } })
  await channel.bindQueue(ready, delayExchange(prefix, -1), '', { 'x-match': 'all', [queueHeader(prefix)]: queue })
  await channel.assertQueue(failedQueue(prefix, queue), { durable: true })
  for (let level = 0; level < DELAY_LEVELS; level += 1) {
    const name = delayQueue(prefix, queue, level)
    await channel.assertQueue(name, {
      durable: true,
      arguments: { 'x-message-ttl': 2 ** level * 1000, 'x-dead-letter-exchange': delayExchange(prefix, level - 1) },
    })
    await channel.bindQueue(name, delayExchange(prefix, level), '', {
      'x-match': 'all',
      [bitHeader(prefix, level)]: '1',
      [queueHeader(prefix)]: queue,
    })
  }
}

/** Where to publish a job due in `delaySeconds` (whole seconds, ≥ 1), and the headers that route it. */
export function delayRoute(prefix: string, queue: string, delaySeconds: number): { exchange: string; headers: Record<string, string> } {
  const capped = Math.min(delaySeconds, 2 ** DELAY_LEVELS - 1)
  const headers: Record<string, string> = { [queueHeader(prefix)]: queue }
  for (let level = 0; level < DELAY_LEVELS; level += 1) {
    headers[bitHeader(prefix, level)] = Math.floor(capped / 2 ** level) % 2 === 1 ? '1' : '0'
  }
  return { exchange: delayExchange(prefix, DELAY_LEVELS - 1), headers }
}

/**
 * jobs-kit priorities (any integer, lower first, default 50) in AMQP's
 * 0–10 (higher first), by bands of ten: below 10 → 10, 10–19 → 9, …,
 * 50–59 → 5 (the default), 100 and above → 0. Within a band, jobs run in
 * the order they became due.
 */
export function amqpPriority(priority: number): number {
  return MAX_AMQP_PRIORITY - Math.min(Math.max(Math.floor(priority / 10), 0), MAX_AMQP_PRIORITY)
}
